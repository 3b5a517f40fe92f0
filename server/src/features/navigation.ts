/**
 * Shared lookups for the navigation features: what key is under the cursor,
 * and every place it is written across the workspace.
 */
import type { Location as LspLocation, Position } from 'vscode-languageserver';
import type { Location, Span } from '../core/types';
import type { SymbolAtPosition } from '../lsp/index-port';
import { spanContains, toCorePosition, toRange } from '../lsp/positions';
import { locate, uriOfFile, type FolderState, type ServerState } from '../lsp/state';

export interface SymbolHit {
  folder: FolderState;
  file: string;
  symbol: SymbolAtPosition;
}

/** The key under the cursor (usage, constant reference or definition, wrapper call), if any. */
export function symbolUnderCursor(state: ServerState, uri: string, position: Position): SymbolHit | undefined {
  const where = locate(state, uri);
  if (!where) return undefined;
  const { line, column } = toCorePosition(position);
  let symbol = where.folder.index.symbolAt(where.file, line, column);
  // A cursor right after the closing quote or at the end of the key still counts.
  if (!symbol && column > 1) symbol = where.folder.index.symbolAt(where.file, line, column - 1);
  return symbol ? { folder: where.folder, file: where.file, symbol } : undefined;
}

/** An unresolved (dynamic-key) call under the cursor, if any. */
export function unresolvedUnderCursor(state: ServerState, uri: string, position: Position) {
  const where = locate(state, uri);
  if (!where) return undefined;
  return where.folder.index.unresolvedInFile(where.file).find((u) => spanContains(u, position));
}

export function toLspLocation(folder: FolderState, loc: Location): LspLocation {
  return { uri: uriOfFile(folder, loc.file), range: toRange(loc) };
}

/**
 * Every place `key` appears across all folders: usages (literal key
 * arguments, constant references, wrapper calls) and, when asked, the
 * key sites (where a constant's or wrapper argument's literal is written).
 */
export function keyLocations(state: ServerState, key: string, opts: { usages: boolean; keySites: boolean }): LspLocation[] {
  const seen = new Set<string>();
  const out: LspLocation[] = [];
  const push = (folder: FolderState, loc: Location) => {
    const id = `${folder.uri}\u0000${loc.file}:${loc.line}:${loc.column}:${loc.endLine}:${loc.endColumn}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(toLspLocation(folder, loc));
  };
  for (const folder of state.folders.values()) {
    if (folder.disposed) continue;
    if (opts.usages) for (const u of folder.index.usagesOfKey(key)) push(folder, u);
    if (opts.keySites) for (const site of folder.index.keySites(key)) push(folder, site);
  }
  return out;
}

/** Spans where the key's literal text is written (what a rename edits), per folder. */
export function literalSitesOfKey(state: ServerState, key: string): Array<{ folder: FolderState; loc: Location }> {
  const seen = new Set<string>();
  const out: Array<{ folder: FolderState; loc: Location }> = [];
  const push = (folder: FolderState, loc: Location) => {
    const id = `${folder.uri}\u0000${loc.file}:${loc.line}:${loc.column}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ folder, loc });
  };
  for (const folder of state.folders.values()) {
    if (folder.disposed) continue;
    for (const u of folder.index.usagesOfKey(key)) {
      if (u.kind === 'literal') push(folder, u);
      else if (u.keySite) push(folder, u.keySite);
    }
    for (const site of folder.index.keySites(key)) push(folder, site);
  }
  return out;
}

export function sameSpan(a: Span, b: Span): boolean {
  return a.line === b.line && a.column === b.column && a.endLine === b.endLine && a.endColumn === b.endColumn;
}
