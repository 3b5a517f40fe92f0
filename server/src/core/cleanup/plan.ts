/**
 * `cleanup KEY --keep VALUE`: the whole-workspace plan (contract: "Cleanup"
 * in ../shared/docs/interfaces.md). Pure: the index says where KEY is used,
 * the caller hands in the texts; out come the new texts and what was left
 * `manual`, with the reason.
 */
import type * as TS from 'typescript';
import { ts } from '../typescript';
import { SDK_CALLS } from '../sdk-calls';
import { LineMap } from '../text';
import type { Location, Usage } from '../types';
import type { TreeSitterRuntime } from '../tree-sitter/extract';
import { parseJs, rewriteJsFile, type CallSite, type FileRewrite, type FlagValue } from './js-rewrite';
import { rewritePythonFile } from './python-rewrite';
import { applyRewrites, literal, removalRange, type Rewrite } from './text-edits';

/** `enabled`, `disabled`, or a variant key. */
export type KeepValue = string;

export interface CleanupFile {
  /** Relative to the root, with `/`. */
  file: string;
  before: string;
  after: string;
  /** Rewrites applied (a rewritten check, a removed declaration or import…). */
  edits: number;
}

export interface ManualSite {
  file: string;
  line: number;
  column: number;
  reason: string;
}

export interface CleanupPlan {
  key: string;
  keep: KeepValue;
  files: CleanupFile[];
  manual: ManualSite[];
}

/** The part of the workspace index a cleanup reads (WorkspaceIndex, and the server's FlagIndex, have it). */
export interface CleanupIndex {
  usagesOfKey(key: string): Usage[];
  keySites(key: string): Location[];
  files(): Iterable<string>;
}

/** Calls whose result is the flag's on/off state. */
const BOOLEAN_CHECKS = new Set(['isFeatureEnabled', 'isEnabled', 'useFeatureFlagEnabled', 'isFeatureFlagEnabled', 'feature_enabled', 'is_enabled']);
/** Calls whose result is the variant key (or a boolean for a flag without variants). */
const VARIANT_CHECKS = new Set(SDK_CALLS.filter((c) => c.returnsVariant).map((c) => c.name));

const JS_LANGUAGES = new Set(['typescript', 'typescriptreact', 'javascript', 'javascriptreact']);
const JS_FILE = /\.(?:[cm]?[jt]sx?)$/i;

/** What a call returns once the flag always has the kept value; a string when the site must stay (the reason). */
export function valueOf(call: string, keep: KeepValue): { value: FlagValue } | { reason: string } {
  const on = keep !== 'disabled';
  if (call === 'PostHogFeature') return { value: keep === 'enabled' ? true : keep === 'disabled' ? false : keep };
  if (BOOLEAN_CHECKS.has(call)) return { value: on };
  if (VARIANT_CHECKS.has(call)) return { value: keep === 'enabled' ? true : keep === 'disabled' ? false : keep };
  return { reason: `'${call}' does not return the flag's state (its payload or details are read)` };
}

/**
 * Plans the cleanup of `key`. `textOf` gives the text of any file of the
 * index (undefined: unreadable); `files` (default: the index's) are the
 * files searched for other references to a constant before it is removed.
 */
export function planCleanup(
  index: CleanupIndex,
  key: string,
  keep: KeepValue,
  textOf: (file: string) => string | undefined,
  opts: { files?: readonly string[]; treeSitter?: TreeSitterRuntime } = {},
): CleanupPlan {
  const files = opts.files ?? [...index.files()];
  const usages = index.usagesOfKey(key);
  const manual: ManualSite[] = [];
  const byFile = new Map<string, Usage[]>();
  for (const u of usages) {
    const python = u.language === 'python' && opts.treeSitter !== undefined;
    if (!python && (!JS_LANGUAGES.has(u.language) || !JS_FILE.test(u.file))) {
      manual.push({ file: u.file, line: u.line, column: u.column, reason: `cleanup of ${u.language} is not supported yet` });
      continue;
    }
    byFile.set(u.file, [...(byFile.get(u.file) ?? []), u]);
  }
  const after = new Map<string, { before: string; text: string; edits: number }>();
  for (const [file, list] of byFile) {
    const before = textOf(file);
    if (before === undefined) {
      for (const u of list) manual.push({ file, line: u.line, column: u.column, reason: 'the file cannot be read' });
      continue;
    }
    const lines = new LineMap(before);
    const sites: CallSite[] = list.map((u) => {
      const offset = lines.offset(u.line, u.column);
      if (u.kind === 'wrapper') return { offset, reason: `called through the wrapper '${u.call}' (its body is not inlined)` };
      const v = valueOf(u.call, keep);
      return 'value' in v ? { offset, value: v.value } : { offset, reason: v.reason };
    });
    let rewritten: FileRewrite;
    if (list[0].language === 'python') {
      const r = rewritePythonFile(opts.treeSitter!, before, sites);
      if ('error' in r) {
        for (const u of list) manual.push({ file, line: u.line, column: u.column, reason: r.error });
        continue;
      }
      rewritten = r;
    } else rewritten = rewriteJsFile(file, before, sites);
    for (const m of rewritten.manual) manual.push({ file, ...lines.position(m.offset), reason: m.reason });
    if (rewritten.text !== before) after.set(file, { before, text: rewritten.text, edits: rewritten.edits });
  }

  // Constants, enum members and object properties that held KEY, once nothing is left that reads them.
  if (manual.length === 0) removeKeyHolders(index.keySites(key), usages, after, textOf, files);

  const out: CleanupFile[] = [];
  for (const [file, r] of after) {
    const pruned = JS_FILE.test(file) ? pruneImports(file, r.before, r.text) : { text: r.text, edits: 0 };
    out.push({ file, before: r.before, after: pruned.text, edits: r.edits + pruned.edits });
  }
  out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  manual.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  return { key, keep, files: out.filter((f) => f.after !== f.before), manual };
}

function removeKeyHolders(
  keySites: Location[],
  usages: Usage[],
  after: Map<string, { before: string; text: string; edits: number }>,
  textOf: (file: string) => string | undefined,
  files: readonly string[],
): void {
  const literalSites = new Set(usages.filter((u) => u.kind === 'literal').map((u) => `${u.file}\0${u.line}\0${u.column}`));
  const byFile = new Map<string, Location[]>();
  for (const site of keySites) {
    if (literalSites.has(`${site.file}\0${site.line}\0${site.column}`) || !JS_FILE.test(site.file)) continue;
    byFile.set(site.file, [...(byFile.get(site.file) ?? []), site]);
  }
  for (const [file, sites] of byFile) {
    const current = after.get(file);
    const original = current?.before ?? textOf(file);
    if (original === undefined) continue;
    const text = current?.text ?? original;
    const sf = parseJs(file, text);
    const rewrites: Rewrite[] = [];
    for (const site of sites) {
      const offset = locate(original, text, site);
      const holder = offset === undefined ? undefined : holderAt(sf, offset);
      if (!holder || referencedElsewhere(holder.name, holder.nameNode, file, sf, after, textOf, files)) continue;
      const r = holder.rewrite(text);
      if (!rewrites.some((w) => w.start < r.end && r.start < w.end)) rewrites.push(r);
    }
    if (!rewrites.length) continue;
    after.set(file, { before: original, text: applyRewrites(text, rewrites).text, edits: (current?.edits ?? 0) + rewrites.length });
  }
}

/** The offset of a key site in the current text (the literal text found again near its original line). */
function locate(original: string, text: string, site: Location): number | undefined {
  const o = new LineMap(original).offset(site.line, site.column);
  if (original === text) return o;
  const lit = original.slice(o - 1, new LineMap(original).offset(site.endLine, site.endColumn) + 1);
  const hits: number[] = [];
  for (let i = text.indexOf(lit); i >= 0; i = text.indexOf(lit, i + 1)) hits.push(i + 1);
  return hits.length === 1 ? hits[0] : undefined;
}

interface Holder {
  name: string;
  nameNode: TS.Node;
  rewrite(text: string): Rewrite;
}

function holderAt(sf: TS.SourceFile, offset: number): Holder | undefined {
  let n: TS.Node = sf;
  for (;;) {
    const c = n.getChildren(sf).find((k) => k.getStart(sf) <= offset && offset < k.getEnd());
    if (!c) break;
    n = c;
  }
  if (!ts.isStringLiteral(n)) return undefined;
  const p = n.parent;
  const withComma = (node: TS.Node) => (text: string): Rewrite => {
    let end = node.getEnd();
    while (/[ \t]/.test(text[end] ?? '')) end++;
    if (text[end] === ',') end++;
    const r = removalRange(text, node.getStart(sf), end);
    return { start: r.start, end: r.end, piece: literal('') };
  };
  if ((ts.isPropertyAssignment(p) || ts.isEnumMember(p)) && p.initializer === n && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
    return { name: p.name.text, nameNode: p.name, rewrite: withComma(p) };
  }
  if (ts.isVariableDeclaration(p) && p.initializer === n && ts.isIdentifier(p.name)) {
    const list = p.parent;
    const stmt = list.parent;
    if (!ts.isVariableDeclarationList(list) || !ts.isVariableStatement(stmt) || list.declarations.length !== 1) return undefined;
    return { name: p.name.text, nameNode: p.name, rewrite: withComma(stmt) };
  }
  return undefined;
}

/** Whether an identifier (or property name) spelled `name` appears anywhere but at its declaration. */
function referencedElsewhere(
  name: string,
  decl: TS.Node,
  declFile: string,
  declSf: TS.SourceFile,
  after: Map<string, { text: string }>,
  textOf: (file: string) => string | undefined,
  files: readonly string[],
): boolean {
  for (const file of new Set([...files, ...after.keys()])) {
    const text = file === declFile ? declSf.text : (after.get(file)?.text ?? (JS_FILE.test(file) ? textOf(file) : undefined));
    if (text === undefined) continue;
    if (!text.includes(name)) continue;
    const sf = file === declFile ? declSf : parseJs(file, text);
    let found = false;
    const visit = (n: TS.Node): void => {
      if (found || ts.isImportDeclaration(n)) return; // imports left unused go with pruneImports
      if ((ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isPrivateIdentifier(n)) && n.text === name && n !== decl) found = true;
      else ts.forEachChild(n, visit);
    };
    visit(sf);
    if (found) return true;
  }
  return false;
}

/** Removes the import bindings that were used before the rewrite and are not after it. */
export function pruneImports(file: string, before: string, after: string): { text: string; edits: number } {
  const used = (text: string) => {
    const sf = parseJs(file, text);
    const counts = new Map<string, number>();
    const visit = (n: TS.Node): void => {
      if (ts.isImportDeclaration(n)) return;
      if (ts.isIdentifier(n)) counts.set(n.text, (counts.get(n.text) ?? 0) + 1);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    return { sf, counts };
  };
  const was = used(before);
  const now = used(after);
  const rewrites: Rewrite[] = [];
  for (const stmt of now.sf.statements) {
    if (!ts.isImportDeclaration(stmt) || !stmt.importClause) continue;
    const clause = stmt.importClause;
    const gone = (id: TS.Identifier) => (was.counts.get(id.text) ?? 0) > 0 && (now.counts.get(id.text) ?? 0) === 0;
    const def = clause.name && !gone(clause.name) ? clause.name.text : undefined;
    let named: string[] | undefined;
    let ns: string | undefined;
    let changed = clause.name !== undefined && def === undefined;
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) {
      if (gone(nb.name)) changed = true;
      else ns = nb.getText(now.sf);
    } else if (nb) {
      named = [];
      for (const el of nb.elements) {
        if (gone(el.name)) changed = true;
        else named.push(el.getText(now.sf));
      }
    }
    if (!changed) continue;
    const parts = [def, ns, named && named.length ? `{ ${named.join(', ')} }` : undefined].filter((x): x is string => x !== undefined);
    if (!parts.length) {
      const r = removalRange(after, stmt.getStart(now.sf), stmt.getEnd());
      rewrites.push({ start: r.start, end: r.end, piece: literal('') });
    } else {
      const typeOnly = clause.isTypeOnly ? 'type ' : '';
      rewrites.push({ start: clause.getStart(now.sf), end: clause.getEnd(), piece: literal(`${typeOnly}${parts.join(', ')}`) });
    }
  }
  if (!rewrites.length) return { text: after, edits: 0 };
  return { text: applyRewrites(after, rewrites).text, edits: rewrites.length };
}
