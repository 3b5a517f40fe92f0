import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { toRange } from '../lsp/positions';
import { usagesOfKeyEverywhere, type ServerState } from '../lsp/state';
import { flagMarkdown } from './flag-markdown';
import { symbolUnderCursor, unresolvedUnderCursor } from './navigation';
import type { Unresolved, Usage } from '../core/types';
import { evaluationSentence } from '../core/eval';

/**
 * Hover on a flag key: a usage's literal, a constant reference, the
 * constant's definition, an enum member or a wrapper call. Answers from
 * memory: the index and the last good flags.
 */
export function hover(state: ServerState, params: HoverParams): Hover | null {
  const hit = symbolUnderCursor(state, params.textDocument.uri, params.position);
  if (!hit) {
    const u = unresolvedUnderCursor(state, params.textDocument.uri, params.position);
    if (!u) return null;
    return { contents: { kind: state.support.markdown ? MarkupKind.Markdown : MarkupKind.PlainText, value: unresolvedText(u) }, range: toRange(u) };
  }
  const key = hit.symbol.key;
  const usages = usagesOfKeyEverywhere(state, key);
  const files = new Set(usages.map((u) => `${u.folder.uri}\u0000${u.usage.file}`));
  let value = flagMarkdown(state, key, state.flags.snapshot, {
    usages: { count: usages.length, files: files.size },
    commandLinks: state.clientCommands,
    writable: state.flagSource === 'api',
  });
  const how = resolutionNote(hit.symbol.usage);
  if (how) value += `\n\n${how}`;
  // Right under the title: while debugging, the person's value is what the hover is for.
  const debugLine = debugSentence(state, key);
  if (debugLine) {
    const nl = value.indexOf('\n');
    value = nl < 0 ? `${value}\n\n${debugLine}` : `${value.slice(0, nl)}\n\n${debugLine}\n${value.slice(nl)}`;
  }
  return {
    contents: { kind: state.support.markdown ? MarkupKind.Markdown : MarkupKind.PlainText, value },
    range: toRange(hit.symbol.span),
  };
}

/** "For ID: value, because …" while a person is debugged (`posthog.evaluateFor`). */
export function debugSentence(state: ServerState, key: string): string | undefined {
  const id = state.debug.distinctId;
  const e = state.debug.evaluation(key);
  if (id === undefined || !e) return undefined;
  const sentence = evaluationSentence(id, e);
  if (!state.support.markdown) return sentence;
  const prefix = `For ${id}:`;
  return `**${escapeMarkdown(prefix)}**${escapeMarkdown(sentence.slice(prefix.length))}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|~]/g, (c) => `\\${c}`);
}

/** How a usage was found when it was not certain: an import matched by file name, or a wrapper package not read. */
export function resolutionNote(u: Usage | undefined): string | undefined {
  if (u?.guessedImport) return `_Found through \`${u.guessedImport}\`, resolved by file name only: no tsconfig \`paths\`, bundler alias or workspace package explains that import._`;
  if (u?.viaPackage) return `_Found through a wrapper in \`${u.viaPackage}\`, a package outside the workspace named for PostHog (its code was not read)._`;
  return undefined;
}

/** Why a flag call's key is not known (contract: "Unresolved usages say why"). */
export function unresolvedText(u: Unresolved): string {
  const call = `\`${u.call}\``;
  switch (u.reason) {
    case 'import':
      return `PostHog flag call ${call}: the key could not be resolved, because the import \`${u.module ?? '?'}\` could not be followed (check tsconfig \`paths\`, bundler aliases or workspace packages).`;
    case 'parameter':
      return `PostHog flag call ${call}: the key is a parameter that is never given a known value.`;
    case 'other':
      return `PostHog flag call ${call}: the key could not be resolved.`;
    default:
      return `PostHog flag call ${call}: the key is computed at run time, so it cannot be known statically.`;
  }
}
