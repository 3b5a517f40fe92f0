/**
 * A finished index's results (usages and unresolved calls) answering the
 * same questions as WorkspaceIndex, without the facts behind them: the
 * language server shows a stored result this way while it builds the live
 * index (lsp/replaying-index.ts). Constant references are not known here
 * (they need a file's facts): `symbolAt` finds usages and key literals only.
 */
import type { Location, Unresolved, Usage } from '../types';
import { keySitesOf, usageSymbolAt, type SymbolAtPosition } from './workspace-index';

export class StoredResults {
  private readonly byFile = new Map<string, { usages: Usage[]; unresolved: Unresolved[] }>();
  private readonly byKey = new Map<string, Usage[]>();
  private readonly keyList: string[];

  /** `usages` and `unresolved` sorted by file, line, column (as a ScanResult holds them). */
  constructor(
    private readonly allUsages: Usage[],
    private readonly allUnresolved: Unresolved[],
  ) {
    const slot = (file: string) => {
      let s = this.byFile.get(file);
      if (!s) this.byFile.set(file, (s = { usages: [], unresolved: [] }));
      return s;
    };
    for (const u of allUsages) {
      slot(u.file).usages.push(u);
      const list = this.byKey.get(u.key);
      if (list) list.push(u);
      else this.byKey.set(u.key, [u]);
    }
    for (const u of allUnresolved) slot(u.file).unresolved.push(u);
    this.keyList = [...this.byKey.keys()].sort();
  }

  usages(): Usage[] {
    return this.allUsages;
  }

  usagesInFile(file: string): Usage[] {
    return this.byFile.get(file)?.usages ?? [];
  }

  usagesOfKey(key: string): Usage[] {
    return this.byKey.get(key) ?? [];
  }

  unresolved(): Unresolved[] {
    return this.allUnresolved;
  }

  unresolvedInFile(file: string): Unresolved[] {
    return this.byFile.get(file)?.unresolved ?? [];
  }

  keys(): string[] {
    return this.keyList;
  }

  /** The files with a usage or an unresolved call, sorted (the others have nothing to show). */
  files(): string[] {
    return [...this.byFile.keys()].sort();
  }

  symbolAt(file: string, line: number, column: number): SymbolAtPosition | undefined {
    return usageSymbolAt(this.usagesInFile(file), this.allUsages, file, { line, column });
  }

  definitionAt(file: string, line: number, column: number): Location | undefined {
    return this.symbolAt(file, line, column)?.keySite;
  }

  keySites(key: string): Location[] {
    return keySitesOf(this.usagesOfKey(key));
  }
}
