/**
 * A folder's index while its stored result is shown: on a warm start whose
 * files all have the stamps stored with the last complete indexing (same
 * listing, same configs: lsp/index-cache.ts), that result is exactly what a
 * cold start would find, so queries answer from it at once while the live
 * index is built behind it from the cached facts.
 *
 * Every change goes to the live index. Start-up batches leave the stored
 * result shown; anything else (a buffer whose text is not the stored file's,
 * a file changed, created or removed on disk, other configs) makes it stale,
 * so the live index takes over at once (`end`), as it does when it is built.
 */
import type { Location, Skipped, Unresolved, Usage } from '../core/types';
import type { IndexEntry } from '../core/index/workspace-index';
import type { ProjectResolver } from '../core/index/project-resolver';
import type { FactsCache } from '../core/index/facts-cache';
import type { StoredResults } from '../core/index/stored-results';
import type { FlagIndex, SymbolAtPosition } from './index-port';

export class ReplayingIndex implements FlagIndex {
  private stored: StoredResults | undefined;

  /**
   * `unchanged(file, text)`: whether a buffer's text is the file the stored
   * result was made from. `onEnd(files)`: the live index takes over; `files`
   * may show something else now (what either side has output for).
   */
  constructor(
    readonly live: FlagIndex,
    stored: StoredResults,
    private readonly unchanged: (file: string, text: string) => boolean,
    private readonly onEnd: (files: string[]) => void,
  ) {
    this.stored = stored;
  }

  /** Whether the stored result is still what queries see. */
  get replaying(): boolean {
    return this.stored !== undefined;
  }

  /** The live index answers from now on; returns the files whose output may differ. Idempotent. */
  end(): string[] {
    const stored = this.stored;
    if (!stored) return [];
    this.stored = undefined;
    const files = new Set(stored.files());
    for (const u of this.live.usages()) files.add(u.file);
    for (const u of this.live.unresolved()) files.add(u.file);
    const out = [...files].sort();
    this.onEnd(out);
    return out;
  }

  // ---------- changes: all to the live index ----------

  update(file: string, text: string): string[] {
    // An editor opening a file as it is on disk changes nothing the stored result shows.
    if (this.stored && !this.unchanged(file, text)) this.end();
    return this.live.update(file, text);
  }

  remove(file: string): string[] {
    this.end();
    return this.live.remove(file);
  }

  /** Start-up batches build the live index; the stored result already shows what they will find. */
  updateBatch(files: IndexEntry[], opts?: { partial?: boolean }): string[] {
    const changed = this.live.updateBatch ? this.live.updateBatch(files, opts) : files.flatMap((e) => (e.text !== undefined ? this.live.update(e.file, e.text) : []));
    return this.stored ? [] : changed;
  }

  setResolver(resolver: ProjectResolver | undefined): string[] {
    this.end();
    return this.live.setResolver?.(resolver) ?? [];
  }

  useFactsCache(cache: FactsCache | undefined): void {
    this.live.useFactsCache?.(cache);
  }

  skipped(): Skipped[] {
    return this.live.skipped?.() ?? [];
  }

  parseErrors(): Array<{ file: string; error: string; fatal: boolean }> {
    return this.live.parseErrors?.() ?? [];
  }

  // ---------- queries ----------

  private get view(): StoredResults | FlagIndex {
    return this.stored ?? this.live;
  }

  usages(): Usage[] {
    return this.view.usages();
  }

  usagesInFile(file: string): Usage[] {
    return this.view.usagesInFile(file);
  }

  usagesOfKey(key: string): Usage[] {
    return this.view.usagesOfKey(key);
  }

  unresolved(): Unresolved[] {
    return this.view.unresolved();
  }

  unresolvedInFile(file: string): Unresolved[] {
    return this.view.unresolvedInFile(file);
  }

  keys(): Iterable<string> {
    return this.view.keys();
  }

  /** The live index's files, and while replaying those with output in the stored result. */
  files(): Iterable<string> {
    if (!this.stored) return this.live.files();
    return [...new Set([...this.stored.files(), ...this.live.files()])].sort();
  }

  symbolAt(file: string, line: number, column: number): SymbolAtPosition | undefined {
    return this.view.symbolAt(file, line, column);
  }

  definitionAt(file: string, line: number, column: number): Location | undefined {
    return this.view.definitionAt(file, line, column);
  }

  keySites(key: string): Location[] {
    return this.view.keySites(key);
  }
}
