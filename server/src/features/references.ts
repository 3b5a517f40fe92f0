import type { Location, ReferenceParams } from 'vscode-languageserver';
import type { ServerState } from '../lsp/state';
import { keyLocations, symbolUnderCursor } from './navigation';

/**
 * Find references: every usage of the key under the cursor across all
 * workspace folders, through constants and wrappers, plus the places its
 * literal is defined when the client asks for declarations.
 */
export function references(state: ServerState, params: ReferenceParams): Location[] | null {
  const hit = symbolUnderCursor(state, params.textDocument.uri, params.position);
  if (!hit) return null;
  return keyLocations(state, hit.symbol.key, { usages: true, keySites: params.context?.includeDeclaration !== false });
}

/** `posthog.flagUsages {key}`: every usage of a key (no definitions). */
export function flagUsages(state: ServerState, key: string): Location[] {
  return keyLocations(state, key, { usages: true, keySites: false });
}
