import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams, type SymbolInformation, type WorkspaceSymbolParams } from 'vscode-languageserver';
import type { ServerState } from '../lsp/state';
import { locate, uriOfFile } from '../lsp/state';
import { toRange } from '../lsp/positions';
import { flagState } from '../core/flags/state';

const MAX_WORKSPACE_SYMBOLS = 500;

/** Document symbols: one per flag usage in the file, named by its key. */
export function documentSymbols(state: ServerState, params: DocumentSymbolParams): DocumentSymbol[] | SymbolInformation[] {
  const where = locate(state, params.textDocument.uri);
  if (!where) return [];
  const snapshot = state.flags.snapshot;
  const usages = where.folder.index.usagesInFile(where.file);
  if (state.support.hierarchicalSymbols) {
    return usages.map((u) => {
      const range = toRange(u);
      return {
        name: u.key,
        detail: `${u.call}${snapshot ? ` · ${flagState(u.key, snapshot)}` : ''}`,
        kind: SymbolKind.Key,
        range,
        selectionRange: range,
      };
    });
  }
  return usages.map((u) => ({
    name: u.key,
    kind: SymbolKind.Key,
    containerName: u.call,
    location: { uri: params.textDocument.uri, range: toRange(u) },
  }));
}

/**
 * Workspace symbols: the flags used in code (one per key, at its first key
 * site or usage), filtered by the query (case-insensitive subsequence).
 */
export function workspaceSymbols(state: ServerState, params: WorkspaceSymbolParams): SymbolInformation[] {
  const query = params.query.toLowerCase();
  const snapshot = state.flags.snapshot;
  const out: SymbolInformation[] = [];
  const seen = new Set<string>();
  for (const folder of state.folders.values()) {
    if (folder.disposed) continue;
    for (const key of folder.index.keys()) {
      if (seen.has(key) || !matchesQuery(key, query)) continue;
      const site = folder.index.keySites(key)[0] ?? folder.index.usagesOfKey(key)[0];
      if (!site) continue;
      seen.add(key);
      const flag = snapshot?.byKey.get(key);
      out.push({
        name: key,
        kind: SymbolKind.Key,
        containerName: `PostHog flag${snapshot ? ` · ${flagState(key, snapshot)}` : ''}${flag?.name ? ` · ${flag.name}` : ''}`,
        location: { uri: uriOfFile(folder, site.file), range: toRange(site) },
      });
      if (out.length >= MAX_WORKSPACE_SYMBOLS) return out;
    }
  }
  return out;
}

function matchesQuery(key: string, query: string): boolean {
  if (!query) return true;
  const k = key.toLowerCase();
  let i = 0;
  for (const ch of k) if (ch === query[i]) i++;
  return i >= query.length;
}
