import { ResponseError, ErrorCodes, type PrepareRenameParams, type RenameParams, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { ServerState } from '../lsp/state';
import { uriOfFile } from '../lsp/state';
import { toRange } from '../lsp/positions';
import { flagKeyProblem } from '../shared/flag-key';
import { literalSitesOfKey, symbolUnderCursor, unresolvedUnderCursor } from './navigation';


/**
 * prepareRename: only a flag key can be renamed; a key computed at run time
 * (an unresolved call) is refused with a reason, anything else with "not a
 * flag key".
 */
export function prepareRename(state: ServerState, params: PrepareRenameParams): { range: Range; placeholder: string } {
  const hit = symbolUnderCursor(state, params.textDocument.uri, params.position);
  if (!hit) {
    if (unresolvedUnderCursor(state, params.textDocument.uri, params.position)) {
      throw new ResponseError(ErrorCodes.InvalidRequest, 'This flag key is computed at run time, so it cannot be renamed here.');
    }
    throw new ResponseError(ErrorCodes.InvalidRequest, 'Place the cursor on a PostHog flag key to rename it.');
  }
  return { range: toRange(hit.symbol.span), placeholder: hit.symbol.key };
}

/**
 * Renames a key in code across the workspace: every literal usage and every
 * place a constant's (or wrapper argument's) literal is written. PostHog
 * itself is not changed.
 */
export function rename(state: ServerState, params: RenameParams): WorkspaceEdit | null {
  const hit = symbolUnderCursor(state, params.textDocument.uri, params.position);
  if (!hit) throw new ResponseError(ErrorCodes.InvalidRequest, 'Place the cursor on a PostHog flag key to rename it.');
  const newKey = params.newName.trim();
  const invalid = flagKeyProblem(newKey);
  if (invalid) throw new ResponseError(ErrorCodes.InvalidParams, `'${newKey.slice(0, 80)}' is not a valid flag key. ${invalid}`);
  const changes: Record<string, TextEdit[]> = {};
  for (const { folder, loc } of literalSitesOfKey(state, hit.symbol.key)) {
    const uri = uriOfFile(folder, loc.file);
    (changes[uri] ??= []).push({ range: toRange(loc), newText: newKey });
  }
  return { changes };
}
