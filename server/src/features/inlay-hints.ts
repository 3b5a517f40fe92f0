/**
 * `textDocument/inlayHint` (interfaces.md "At a glance"): after the key
 * argument of every usage in the requested range, hints that tell what the
 * flag does without a hover.
 *
 * Each kind of hint is one `UsageHints` function: (context, usage) → the
 * hints for that usage (none, one or more). `USAGE_HINTS` lists them in the
 * order they appear after the key; adding a kind of hint (say, the value a
 * debugged person gets) is one function and one entry, and this module's
 * range filtering, placement and setting apply to it unchanged.
 *
 * Answers from memory (index and last good flags), like the hover. The
 * server asks the client to re-request hints (`workspace/inlayHint/refresh`)
 * when the flags or the setting change (server.ts).
 */
import { MarkupKind, type InlayHint, type InlayHintParams, type MarkupContent, type Position, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { evaluationSentence, formatFlagValue } from '../core/eval';
import { flagGlance } from '../core/flags/glance';
import type { FlagSnapshot } from '../core/flags/types';
import type { Usage } from '../core/types';
import { toRange } from '../lsp/positions';
import { locate, usagesOfKeyEverywhere, type ServerState } from '../lsp/state';
import { flagMarkdown } from './flag-markdown';

/** What every hint function may read: the server state and the flags, fixed for one request. */
export interface HintContext {
  state: ServerState;
  snapshot: FlagSnapshot | undefined;
  now: Date;
  /** Per-request memo (e.g. one tooltip per key, however many usages it has). */
  memo: Map<string, unknown>;
}

/** A hint as a hint function returns it: the position (after the key argument) is this module's business. */
export interface UsageHint {
  label: string;
  tooltip?: string | MarkupContent;
}

/** One kind of hint: the hints to show after `usage`'s key argument. */
export type UsageHints = (ctx: HintContext, usage: Usage) => UsageHint[];

/** The flag's state in a few characters (`● 30%`, `○ off`, `✕ missing`…); tooltip = the hover's first lines. */
export const stateHints: UsageHints = (ctx, usage) => {
  if (!ctx.snapshot) return []; // nothing known yet (or no flag source): the hover says why
  return [{ label: flagGlance(usage.key, ctx.snapshot, ctx.now).label, tooltip: tooltipFor(ctx, usage.key) }];
};

/**
 * While a person is debugged (`posthog.evaluateFor`, interfaces.md
 * "Debugging"): the value they get, `→ true`, `→ 'test'`, `→ false`, or
 * `→ ?` when it cannot be evaluated locally or the flag is missing;
 * tooltip = "For ID: value, because …".
 */
export const debugValueHints: UsageHints = (ctx, usage) => {
  const id = ctx.state.debug.distinctId;
  const evaluation = ctx.state.debug.evaluation(usage.key);
  if (id === undefined || !evaluation) return [];
  return [{ label: `→ ${formatFlagValue(evaluation.value)}`, tooltip: evaluationSentence(id, evaluation) }];
};

/** Every kind of hint, in display order. */
export const USAGE_HINTS: UsageHints[] = [stateHints, debugValueHints];

export async function inlayHints(state: ServerState, params: InlayHintParams, kinds: UsageHints[] = USAGE_HINTS): Promise<InlayHint[]> {
  const where = locate(state, params.textDocument.uri);
  if (!where) return [];
  const settings = await state.settings.forResource(params.textDocument.uri);
  if (!settings.inlayHints) return [];
  const ctx: HintContext = { state, snapshot: state.flags.snapshot, now: state.now(), memo: new Map() };
  const document = state.documents.get(params.textDocument.uri);
  const out: InlayHint[] = [];
  for (const usage of where.folder.index.usagesInFile(where.file)) {
    const position = afterKeyArgument(usage, document);
    if (!inRange(position, params.range)) continue;
    for (const kind of kinds) {
      for (const hint of kind(ctx, usage)) {
        out.push({ position, label: hint.label, paddingLeft: true, ...(hint.tooltip ? { tooltip: hint.tooltip } : {}) });
      }
    }
  }
  return out;
}

/**
 * Right after the key argument: for a literal, after its closing quote (the
 * usage's range is the content without quotes) when the buffer shows one;
 * otherwise at the end of the argument expression.
 */
function afterKeyArgument(usage: Usage, document: TextDocument | undefined): Position {
  const end = toRange(usage).end;
  if (usage.kind !== 'literal' || !document) return end;
  const next = document.getText({ start: end, end: { line: end.line, character: end.character + 1 } });
  return next === '"' || next === "'" || next === '`' ? { line: end.line, character: end.character + 1 } : end;
}

function inRange(p: Position, r: Range): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}

/** Lines of the hover kept in a hint's tooltip (whole paragraphs, at least the title and the rollout). */
const TOOLTIP_LINES = 8;

function tooltipFor(ctx: HintContext, key: string): string | MarkupContent {
  const memoKey = `tooltip:${key}`;
  const hit = ctx.memo.get(memoKey) as string | MarkupContent | undefined;
  if (hit) return hit;
  const usages = usagesOfKeyEverywhere(ctx.state, key);
  const files = new Set(usages.map((u) => `${u.folder.uri}\u0000${u.usage.file}`));
  const markdown = flagMarkdown(ctx.state, key, ctx.snapshot, { usages: { count: usages.length, files: files.size }, commandLinks: false, links: false });
  const text = firstParagraphs(markdown, TOOLTIP_LINES);
  const tooltip: string | MarkupContent = ctx.state.support.markdown ? { kind: MarkupKind.Markdown, value: text } : text;
  ctx.memo.set(memoKey, tooltip);
  return tooltip;
}

/** The first paragraphs of `markdown` whose lines add up to about `max` (at least one paragraph). */
export function firstParagraphs(markdown: string, max: number): string {
  const paragraphs = markdown.split(/\n\n+/);
  const kept: string[] = [];
  let lines = 0;
  for (const p of paragraphs) {
    const n = p.split('\n').length;
    if (kept.length && lines + n > max) break;
    kept.push(p);
    lines += n;
  }
  return kept.join('\n\n');
}
