import type { DefinitionParams, Location } from 'vscode-languageserver';
import type { ServerState } from '../lsp/state';
import { toCorePosition } from '../lsp/positions';
import { symbolUnderCursor, toLspLocation } from './navigation';

/**
 * Go to definition: a constant reference, enum member or wrapper call jumps
 * to where the key's literal is written (the index's `definitionAt`, else the
 * usage's key site). A literal key has no definition in code.
 */
export function definition(state: ServerState, params: DefinitionParams): Location[] | null {
  const hit = symbolUnderCursor(state, params.textDocument.uri, params.position);
  if (!hit) return null;
  const { line, column } = toCorePosition(params.position);
  const loc = hit.folder.index.definitionAt(hit.file, line, column) ?? hit.symbol.usage?.keySite;
  if (loc) return [toLspLocation(hit.folder, loc)];
  if (hit.symbol.role === 'key-definition') return [toLspLocation(hit.folder, { file: hit.file, ...hit.symbol.span })];
  return null;
}
