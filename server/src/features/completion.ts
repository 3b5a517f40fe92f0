import { CompletionItemKind, MarkupKind, type CompletionItem, type CompletionList, type CompletionParams, type Range } from 'vscode-languageserver';
import { SDK_CALLS } from '../core/sdk-calls';
import { flagState } from '../core/flags/state';
import { everyoneGets } from '../core/flags/rollout';
import { payloadPreview } from '../core/flags/summary';
import { locate, keysEverywhere, type FolderState, type ServerState } from '../lsp/state';
import { flagMarkdown, stateDetail } from './flag-markdown';

/** More candidates than this and the list is cut (marked incomplete, so the client asks again as the user types). */
const MAX_ITEMS = 100;
/** Up to this many items carry their documentation at once (clients without resolve still show it); more use `completionItem/resolve`. */
const INLINE_DOCS_UP_TO = 40;

const KEY_ARG_CALLS = new Set(SDK_CALLS.filter((c) => c.key.form === 'arg' && c.key.arg === 0).map((c) => c.name));
const KEYWORD_CALLS = new Set(SDK_CALLS.filter((c) => c.key.form === 'arg' && c.key.keyword).map((c) => c.name));
const VARIANT_CALLS = new Set(SDK_CALLS.filter((c) => c.returnsVariant).map((c) => c.name));
const JSX_PROPS = SDK_CALLS.flatMap((c) => (c.key.form === 'jsx-prop' ? [{ component: c.name, prop: c.key.prop, variantProp: c.key.variantProp }] : []));

const KEY_CHARS_AFTER = /^[A-Za-z0-9_-]*/;
const VARIANT_CHARS_AFTER = /^[A-Za-z0-9_./-]*/;

/** Where the cursor is, for completion purposes. */
type CompletionSite =
  | { kind: 'key'; partial: string; range: Range }
  | { kind: 'variant'; key: string; partial: string; range: Range };

/** `completionItem/resolve` data. */
export interface CompletionData {
  key: string;
}

/**
 * Completion of flag keys inside a key argument (`isFeatureEnabled('|')`,
 * `useFeatureFlagEnabled("new-|")`, `<PostHogFeature flag="|">`, Python
 * `key=`, Go `FeatureFlagPayload{Key: "|"}`, a wrapper's argument), and of
 * variant keys where a variant is compared (`getFeatureFlag('k') === '|'`,
 * a variable holding such a call, `switch` cases over either, JSX `match`).
 * Reads only the current line (and the text above it for variables and
 * switches) plus memory; documentation comes on resolve.
 */
export function completion(state: ServerState, params: CompletionParams): CompletionList | null {
  const doc = state.documents.get(params.textDocument.uri);
  const where = locate(state, params.textDocument.uri);
  if (!doc || !where) return null;
  const text = doc.getText();
  const offset = doc.offsetAt(params.position);
  const lineStart = offset - params.position.character;
  const lineEndRaw = text.indexOf('\n', offset);
  const lineText = text.slice(lineStart, lineEndRaw < 0 ? text.length : lineEndRaw);
  const before = lineText.slice(0, params.position.character);
  const after = lineText.slice(params.position.character);
  const site = findSite({ folder: where.folder, file: where.file, text, lineStart, line: params.position.line, positionAt: (o) => doc.positionAt(o) }, before, after);
  if (!site) return null;
  return site.kind === 'key' ? keyItems(state, site) : variantItems(state, site);
}

/** Adds the documentation (same content as the hover) to a key item. */
export function resolveCompletion(state: ServerState, item: CompletionItem): CompletionItem {
  const data = item.data as CompletionData | undefined;
  if (!data || typeof data.key !== 'string' || item.kind !== CompletionItemKind.Value) return item;
  const value = flagMarkdown(state, data.key, state.flags.snapshot, { commandLinks: false, brief: true });
  return { ...item, documentation: { kind: state.support.completionMarkdown ? MarkupKind.Markdown : MarkupKind.PlainText, value } };
}

/** Lower-cased keys of a snapshot, computed once per snapshot. */
const lowerKeysCache = new WeakMap<object, Array<[string, string]>>();
function lowerKeys(snapshot: NonNullable<ServerState['flags']['snapshot']>): Array<[string, string]> {
  let keys = lowerKeysCache.get(snapshot);
  if (!keys) lowerKeysCache.set(snapshot, (keys = [...snapshot.byKey.keys()].map((k) => [k, k.toLowerCase()])));
  return keys;
}

function keyItems(state: ServerState, site: Extract<CompletionSite, { kind: 'key' }>): CompletionList {
  const snapshot = state.flags.snapshot;
  const partial = site.partial.toLowerCase();
  const items: CompletionItem[] = [];
  let incomplete = false;
  const push = (key: string): boolean => {
    if (items.length >= MAX_ITEMS) {
      incomplete = true;
      return false;
    }
    const status = snapshot ? flagState(key, snapshot) : 'active';
    items.push({
      label: key,
      kind: CompletionItemKind.Value,
      detail: stateDetail(key, snapshot),
      sortText: `${status === 'active' ? 0 : status === 'disabled' ? 1 : 2}${key}`,
      filterText: key,
      textEdit: { range: site.range, newText: key },
      data: { key } satisfies CompletionData,
    });
    return true;
  };
  if (snapshot) {
    for (const [key, lower] of lowerKeys(snapshot)) if ((!partial || lower.includes(partial)) && !push(key)) break;
    // Keys PostHog deleted that code still uses are offered too (their state says so).
    if (!incomplete) for (const key of snapshot.deletedKeys) if (!snapshot.byKey.has(key) && (!partial || key.toLowerCase().includes(partial)) && !push(key)) break;
  } else {
    for (const key of keysEverywhere(state)) if ((!partial || key.toLowerCase().includes(partial)) && !push(key)) break;
  }
  if (items.length <= INLINE_DOCS_UP_TO) for (let i = 0; i < items.length; i++) items[i] = resolveCompletion(state, items[i]);
  return { isIncomplete: incomplete, items };
}

function variantItems(state: ServerState, site: Extract<CompletionSite, { kind: 'variant' }>): CompletionList | null {
  const flag = state.flags.snapshot?.byKey.get(site.key);
  if (!flag) return null;
  const everyone = everyoneGets(flag);
  const items: CompletionItem[] = flag.filters.variants.map((v, i) => {
    const payload = flag.filters.payloads[v.key];
    const doc = [
      `Variant \`${v.key}\` of \`${flag.key}\`: ${v.rolloutPercentage}%${v.name ? ` — ${v.name}` : ''}`,
      everyone && everyone.value === v.key ? '\n⚠️ **Everyone gets this variant.**' : '',
      payload ? `\nPayload: \`${payloadPreview(payload).replace(/`/g, "'")}\`` : '',
    ].join('');
    return {
      label: v.key,
      kind: CompletionItemKind.EnumMember,
      detail: `${v.rolloutPercentage}% · variant of ${flag.key}`,
      documentation: { kind: state.support.completionMarkdown ? MarkupKind.Markdown : MarkupKind.PlainText, value: doc },
      sortText: String(i).padStart(4, '0'),
      textEdit: { range: site.range, newText: v.key },
    };
  });
  return { isIncomplete: false, items };
}

interface SiteContext {
  folder: FolderState;
  file: string;
  text: string;
  lineStart: number;
  /** 0-based line of the cursor. */
  line: number;
  positionAt(offset: number): { line: number; character: number };
}

function findSite(ctx: SiteContext, before: string, after: string): CompletionSite | undefined {
  const { folder, line } = ctx;
  const character = before.length;
  const keyRange = (partial: string, afterRe: RegExp): Range => ({
    start: { line, character: character - partial.length },
    end: { line, character: character + (afterRe.exec(after)?.[0].length ?? 0) },
  });

  // Variant comparisons first: `…) === '|'` would otherwise look like nothing.
  const variant = variantSite(ctx, before);
  if (variant) return { kind: 'variant', key: variant.key, partial: variant.partial, range: keyRange(variant.partial, VARIANT_CHARS_AFTER) };

  // A call's first argument: name( 'partial   or  name(key='partial
  const call = /([A-Za-z_$][\w$]*)\s*\(\s*(?:(\w+)\s*=\s*)?(['"`])([A-Za-z0-9_-]*)$/.exec(before);
  if (call) {
    const [, name, keyword, , partial] = call;
    const known = keyword ? keyword === 'key' && KEYWORD_CALLS.has(name) : KEY_ARG_CALLS.has(name) || wrapperNames(folder).has(name);
    if (known) return { kind: 'key', partial, range: keyRange(partial, KEY_CHARS_AFTER) };
  }
  // JSX prop: <PostHogFeature flag="partial
  for (const jsx of JSX_PROPS) {
    const re = new RegExp(`<${jsx.component}\\b[^>]*\\b${jsx.prop}\\s*=\\s*\\{?\\s*(['"\`])([A-Za-z0-9_-]*)$`);
    const m = re.exec(before);
    if (m) return { kind: 'key', partial: m[2], range: keyRange(m[2], KEY_CHARS_AFTER) };
  }
  // Go: FeatureFlagPayload{Key: "partial
  const go = /FeatureFlagPayload\s*\{[^}]*\bKey\s*:\s*"([A-Za-z0-9_-]*)$/.exec(before);
  if (go) return { kind: 'key', partial: go[1], range: keyRange(go[1], KEY_CHARS_AFTER) };
  return undefined;
}

const wrapperCache = new WeakMap<object, Set<string>>();
/** Call names of wrapper usages (project functions that forward a key to the SDK); cached per usages list. */
function wrapperNames(folder: FolderState): Set<string> {
  const usages = folder.index.usages();
  let names = wrapperCache.get(usages);
  if (!names) {
    names = new Set<string>();
    for (const u of usages) if (u.kind === 'wrapper') names.add(u.call);
    wrapperCache.set(usages, names);
  }
  return names;
}

const COMPARE = String.raw`(?:===|!==|==|!=)\s*`;

function variantSite(ctx: SiteContext, before: string): { key: string; partial: string } | undefined {
  const { folder, file, text, lineStart, line } = ctx;
  // JSX: <PostHogFeature flag="k" match="partial
  for (const jsx of JSX_PROPS) {
    if (!jsx.variantProp) continue;
    const re = new RegExp(`<${jsx.component}\\b[^>]*\\b${jsx.prop}\\s*=\\s*\\{?\\s*(['"\`])([A-Za-z0-9_-]+)\\1[^>]*\\b${jsx.variantProp}\\s*=\\s*\\{?\\s*(['"\`])([\\w./-]*)$`);
    const m = re.exec(before);
    if (m) return { key: m[2], partial: m[4] };
  }
  // call(args) === 'partial
  const direct = new RegExp(String.raw`([A-Za-z_$][\w$]*)\s*\(([^()]*)\)\s*${COMPARE}(['"\`])([\w./-]*)$`).exec(before);
  if (direct && VARIANT_CALLS.has(direct[1])) {
    const argStart = direct.index + direct[0].indexOf('(', direct[1].length) + 1;
    const key = keyOfCall(folder, file, line, argStart, argStart + direct[2].length, direct[2]);
    if (key) return { key, partial: direct[4] };
  }
  // variable === 'partial   (variable = variantCall(…) above)
  const byVar = new RegExp(String.raw`([A-Za-z_$][\w$]*)\s*${COMPARE}(['"\`])([\w./-]*)$`).exec(before);
  if (byVar) {
    const key = keyOfVariable(ctx, byVar[1]);
    if (key) return { key, partial: byVar[3] };
  }
  // case 'partial   inside switch (call(…)) or switch (variable)
  const kase = /\bcase\s+(['"`])([\w./-]*)$/.exec(before);
  if (kase) {
    const above = text.slice(Math.max(0, lineStart - 20000), lineStart);
    const switches = [...above.matchAll(/\bswitch\s*\(\s*([^{]*?)\s*\)\s*\{/g)];
    const last = switches[switches.length - 1];
    if (last) {
      const expr = last[1];
      const absolute = Math.max(0, lineStart - 20000) + last.index! + last[0].indexOf(expr);
      const callM = /^(?:await\s+)?(?:[\w$.]+\.)?([A-Za-z_$][\w$]*)\s*\(([^()]*)\)$/.exec(expr);
      if (callM && VARIANT_CALLS.has(callM[1])) {
        const pos = ctx.positionAt(absolute + expr.indexOf('(') + 1);
        const key = keyOfCall(folder, file, pos.line, pos.character, pos.character + callM[2].length, callM[2]);
        if (key) return { key, partial: kase[2] };
      } else if (/^[A-Za-z_$][\w$]*$/.test(expr)) {
        const key = keyOfVariable(ctx, expr);
        if (key) return { key, partial: kase[2] };
      }
    }
  }
  return undefined;
}

/** The key of a call whose argument text spans [startChar, endChar) on 0-based `line`: from the index, else a literal. */
function keyOfCall(folder: FolderState, file: string, line: number, startChar: number, endChar: number, argText: string): string | undefined {
  const usage = folder.index
    .usagesInFile(file)
    .find((u) => u.line === line + 1 && u.column - 1 >= startChar && u.column - 1 <= endChar);
  if (usage) return usage.key;
  return /^\s*(['"`])([A-Za-z0-9_-]+)\1/.exec(argText)?.[2];
}

/** `const v = useFeatureFlagVariantKey('k')` (nearest above) → 'k'. */
function keyOfVariable(ctx: SiteContext, name: string): string | undefined {
  const { folder, file, text, lineStart } = ctx;
  const windowStart = Math.max(0, lineStart - 20000);
  const above = text.slice(windowStart, lineStart);
  const re = new RegExp(String.raw`\b(?:const|let|var|val)?\s*${escapeRe(name)}\s*(?::[^=]+)?=\s*(?:await\s+)?(?:[\w$.]+\.)?([A-Za-z_$][\w$]*)\s*\(([^()]*)\)`, 'g');
  let last: RegExpExecArray | undefined;
  for (const m of above.matchAll(re)) if (VARIANT_CALLS.has(m[1])) last = m as RegExpExecArray;
  if (!last) return undefined;
  const argOffset = windowStart + last.index + last[0].lastIndexOf('(') + 1;
  const pos = ctx.positionAt(argOffset);
  return keyOfCall(folder, file, pos.line, pos.character, pos.character + last[2].length, last[2]);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

