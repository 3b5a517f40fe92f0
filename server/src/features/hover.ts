import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { toRange } from '../lsp/positions';
import { usagesOfKeyEverywhere, type ServerState } from '../lsp/state';
import { flagMarkdown } from './flag-markdown';
import { symbolUnderCursor } from './navigation';

/**
 * Hover on a flag key: a usage's literal, a constant reference, the
 * constant's definition, an enum member or a wrapper call. Answers from
 * memory: the index and the last good flags.
 */
export function hover(state: ServerState, params: HoverParams): Hover | null {
  const hit = symbolUnderCursor(state, params.textDocument.uri, params.position);
  if (!hit) return null;
  const key = hit.symbol.key;
  const usages = usagesOfKeyEverywhere(state, key);
  const files = new Set(usages.map((u) => `${u.folder.uri}\u0000${u.usage.file}`));
  const value = flagMarkdown(state, key, state.flags.snapshot, {
    usages: { count: usages.length, files: files.size },
    commandLinks: state.clientCommands,
  });
  return {
    contents: { kind: state.support.markdown ? MarkupKind.Markdown : MarkupKind.PlainText, value },
    range: toRange(hit.symbol.span),
  };
}
