/**
 * JS/TS facts from one parse (`ts.createSourceFile`, no Program, no checker).
 *
 * One walk over the tree records, per file: module-scope constant values
 * (strings, `as const` objects, enums, classes, functions), imports and
 * exports, PostHog SDK calls with their key arguments, calls of project
 * functions that may be wrappers, and for each named function which of its
 * parameters it forwards to a key position. Nothing is resolved across
 * files here; see linker.ts.
 */
import type * as TS from 'typescript';
import { loadTypeScript, ts } from '../typescript';
import type { LanguageInfo } from '../languages';
import { POSTHOG_JS_PACKAGES, POSTHOG_RECEIVER, callsFor, type SdkCall } from '../sdk-calls';
import { LineMap } from '../text';
import type { Span } from '../types';
import { maskEmbeddedScripts } from './embedded';
import { blankQuietBodies, importedLoudNames } from './quiet-bodies';
import type { CallArg, Expr, JsFacts, KeyArg, Site } from './facts';
import { emptyJsFacts, member } from './facts-build';

export { emptyJsFacts, member };


// The `ts` namespace object is large and slow to look names up on in a hot walk: bind once,
// when TypeScript is first needed (bindTypeScript; see ../typescript.ts for why it loads late).
let canHaveModifiers: typeof TS.canHaveModifiers;
let forEachChild: typeof TS.forEachChild;
let getModifiers: typeof TS.getModifiers;
let isArrayLiteralExpression: typeof TS.isArrayLiteralExpression;
let isArrowFunction: typeof TS.isArrowFunction;
let isAsExpression: typeof TS.isAsExpression;
let isBinaryExpression: typeof TS.isBinaryExpression;
let isBlock: typeof TS.isBlock;
let isBreakOrContinueStatement: typeof TS.isBreakOrContinueStatement;
let isCallExpression: typeof TS.isCallExpression;
let isCatchClause: typeof TS.isCatchClause;
let isClassDeclaration: typeof TS.isClassDeclaration;
let isClassExpression: typeof TS.isClassExpression;
let isClassStaticBlockDeclaration: typeof TS.isClassStaticBlockDeclaration;
let isComputedPropertyName: typeof TS.isComputedPropertyName;
let isConditionalExpression: typeof TS.isConditionalExpression;
let isConstructorDeclaration: typeof TS.isConstructorDeclaration;
let isElementAccessExpression: typeof TS.isElementAccessExpression;
let isEnumDeclaration: typeof TS.isEnumDeclaration;
let isExportAssignment: typeof TS.isExportAssignment;
let isExportDeclaration: typeof TS.isExportDeclaration;
let isExpressionStatement: typeof TS.isExpressionStatement;
let isExpressionWithTypeArguments: typeof TS.isExpressionWithTypeArguments;
let isExternalModuleReference: typeof TS.isExternalModuleReference;
let isForInStatement: typeof TS.isForInStatement;
let isForOfStatement: typeof TS.isForOfStatement;
let isForStatement: typeof TS.isForStatement;
let isFunctionDeclaration: typeof TS.isFunctionDeclaration;
let isFunctionExpression: typeof TS.isFunctionExpression;
let isGetAccessor: typeof TS.isGetAccessor;
let isIdentifier: typeof TS.isIdentifier;
let isImportDeclaration: typeof TS.isImportDeclaration;
let isImportEqualsDeclaration: typeof TS.isImportEqualsDeclaration;
let isInterfaceDeclaration: typeof TS.isInterfaceDeclaration;
let isJsxAttribute: typeof TS.isJsxAttribute;
let isJsxElement: typeof TS.isJsxElement;
let isJsxExpression: typeof TS.isJsxExpression;
let isJsxSelfClosingElement: typeof TS.isJsxSelfClosingElement;
let isLabeledStatement: typeof TS.isLabeledStatement;
let isMethodDeclaration: typeof TS.isMethodDeclaration;
let isNamespaceExport: typeof TS.isNamespaceExport;
let isNamespaceImport: typeof TS.isNamespaceImport;
let isNewExpression: typeof TS.isNewExpression;
let isNoSubstitutionTemplateLiteral: typeof TS.isNoSubstitutionTemplateLiteral;
let isNonNullExpression: typeof TS.isNonNullExpression;
let isNumericLiteral: typeof TS.isNumericLiteral;
let isObjectBindingPattern: typeof TS.isObjectBindingPattern;
let isObjectLiteralExpression: typeof TS.isObjectLiteralExpression;
let isOmittedExpression: typeof TS.isOmittedExpression;
let isParenthesizedExpression: typeof TS.isParenthesizedExpression;
let isPrivateIdentifier: typeof TS.isPrivateIdentifier;
let isPropertyAccessExpression: typeof TS.isPropertyAccessExpression;
let isPropertyAssignment: typeof TS.isPropertyAssignment;
let isPropertyDeclaration: typeof TS.isPropertyDeclaration;
let isSatisfiesExpression: typeof TS.isSatisfiesExpression;
let isSetAccessor: typeof TS.isSetAccessor;
let isShorthandPropertyAssignment: typeof TS.isShorthandPropertyAssignment;
let isSourceFile: typeof TS.isSourceFile;
let isSpreadAssignment: typeof TS.isSpreadAssignment;
let isSpreadElement: typeof TS.isSpreadElement;
let isStringLiteral: typeof TS.isStringLiteral;
let isTypeAliasDeclaration: typeof TS.isTypeAliasDeclaration;
let isTypeAssertionExpression: typeof TS.isTypeAssertionExpression;
let isTypeNode: typeof TS.isTypeNode;
let isVariableDeclarationList: typeof TS.isVariableDeclarationList;
let isVariableStatement: typeof TS.isVariableStatement;
let SK_AmpersandAmpersandToken: TS.SyntaxKind;
let SK_BarBarToken: TS.SyntaxKind;
let SK_DeclareKeyword: TS.SyntaxKind;
let SK_DefaultKeyword: TS.SyntaxKind;
let SK_EqualsToken: TS.SyntaxKind;
let SK_ExportDeclaration: TS.SyntaxKind;
let SK_ExportKeyword: TS.SyntaxKind;
let SK_FalseKeyword: TS.SyntaxKind;
let SK_ImportDeclaration: TS.SyntaxKind;
let SK_InterfaceDeclaration: TS.SyntaxKind;
let SK_NullKeyword: TS.SyntaxKind;
let SK_QuestionQuestionToken: TS.SyntaxKind;
let SK_ThisKeyword: TS.SyntaxKind;
let SK_TrueKeyword: TS.SyntaxKind;
let SK_TypeAliasDeclaration: TS.SyntaxKind;
let NF_Const: TS.NodeFlags;
let tsBound = false;

/** Loads TypeScript and binds the names above; every entry point that parses calls it first. */
function bindTypeScript(): void {
  if (tsBound) return;
  loadTypeScript();
  ({
    canHaveModifiers,
    forEachChild,
    getModifiers,
    isArrayLiteralExpression,
    isArrowFunction,
    isAsExpression,
    isBinaryExpression,
    isBlock,
    isBreakOrContinueStatement,
    isCallExpression,
    isCatchClause,
    isClassDeclaration,
    isClassExpression,
    isClassStaticBlockDeclaration,
    isComputedPropertyName,
    isConditionalExpression,
    isConstructorDeclaration,
    isElementAccessExpression,
    isEnumDeclaration,
    isExportAssignment,
    isExportDeclaration,
    isExpressionStatement,
    isExpressionWithTypeArguments,
    isExternalModuleReference,
    isForInStatement,
    isForOfStatement,
    isForStatement,
    isFunctionDeclaration,
    isFunctionExpression,
    isGetAccessor,
    isIdentifier,
    isImportDeclaration,
    isImportEqualsDeclaration,
    isInterfaceDeclaration,
    isJsxAttribute,
    isJsxElement,
    isJsxExpression,
    isJsxSelfClosingElement,
    isLabeledStatement,
    isMethodDeclaration,
    isNamespaceExport,
    isNamespaceImport,
    isNewExpression,
    isNoSubstitutionTemplateLiteral,
    isNonNullExpression,
    isNumericLiteral,
    isObjectBindingPattern,
    isObjectLiteralExpression,
    isOmittedExpression,
    isParenthesizedExpression,
    isPrivateIdentifier,
    isPropertyAccessExpression,
    isPropertyAssignment,
    isPropertyDeclaration,
    isSatisfiesExpression,
    isSetAccessor,
    isShorthandPropertyAssignment,
    isSourceFile,
    isSpreadAssignment,
    isSpreadElement,
    isStringLiteral,
    isTypeAliasDeclaration,
    isTypeAssertionExpression,
    isTypeNode,
    isVariableDeclarationList,
    isVariableStatement,
  } = ts);
  SK_AmpersandAmpersandToken = ts.SyntaxKind.AmpersandAmpersandToken;
  SK_BarBarToken = ts.SyntaxKind.BarBarToken;
  SK_DeclareKeyword = ts.SyntaxKind.DeclareKeyword;
  SK_DefaultKeyword = ts.SyntaxKind.DefaultKeyword;
  SK_EqualsToken = ts.SyntaxKind.EqualsToken;
  SK_ExportDeclaration = ts.SyntaxKind.ExportDeclaration;
  SK_ExportKeyword = ts.SyntaxKind.ExportKeyword;
  SK_FalseKeyword = ts.SyntaxKind.FalseKeyword;
  SK_ImportDeclaration = ts.SyntaxKind.ImportDeclaration;
  SK_InterfaceDeclaration = ts.SyntaxKind.InterfaceDeclaration;
  SK_NullKeyword = ts.SyntaxKind.NullKeyword;
  SK_QuestionQuestionToken = ts.SyntaxKind.QuestionQuestionToken;
  SK_ThisKeyword = ts.SyntaxKind.ThisKeyword;
  SK_TrueKeyword = ts.SyntaxKind.TrueKeyword;
  SK_TypeAliasDeclaration = ts.SyntaxKind.TypeAliasDeclaration;
  NF_Const = ts.NodeFlags.Const;
  tsBound = true;
}

const JS_CALLS = callsFor('js');
/** Utility types whose first argument is the type that matters for "is this a PostHog client". */
const WRAPPING_TYPES = new Set(['Pick', 'Omit', 'Partial', 'Readonly', 'Required', 'NonNullable', 'Awaited']);
const UNKNOWN: Expr = { t: 'unknown' };
/** Deeper than this, the walk stops descending (the file keeps what was found above). */
const MAX_WALK_DEPTH = 1200;
/** Bracket depth beyond which text is blanked when the parser itself runs out of stack. */
const MASK_NESTING_DEPTH = 300;

/** Packages of other feature-flag vendors: a file importing one needs receiver evidence for generic names. */
const OTHER_VENDOR_PACKAGE =
  /launchdarkly|growthbook|unleash|optimizely|flagsmith|@splitsoftware|statsig|configcat|devcycle|flipt|openfeature|@harnessio|eppo|hypertune|@vercel\/flags|featbit|featurehub|@amplitude\/experiment|@happykit/i;

export function isPosthogPackage(spec: string): boolean {
  return POSTHOG_JS_PACKAGES.includes(spec) || spec.startsWith('posthog-js/') || spec.startsWith('@posthog/') || spec.startsWith('posthog-node/') || spec.startsWith('posthog-react-native/');
}

function scriptKindFor(file: string): TS.ScriptKind {
  const ext = file.slice(file.lastIndexOf('.')).toLowerCase();
  switch (ext) {
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.jsx':
      return ts.ScriptKind.JSX;
    case '.js':
    case '.mjs':
    case '.cjs':
      return ts.ScriptKind.JS;
    default:
      return ts.ScriptKind.TS;
  }
}


export interface QuietOptions {
  /** The SDK terms and the wrapper names known so far. */
  loud: readonly string[];
  /** Shorter texts are parsed whole. */
  minLength: number;
}

/**
 * Facts of one JS/TS (or .vue/.svelte/.astro) file. Never throws.
 *
 * With `quiet`, bodies that mention none of its loud terms are blanked before
 * the parse (quiet-bodies.ts); the facts list the `blanked` ranges. Every
 * usage is still there; what is not is a call, inside a blanked body, of a
 * function that later turns out to be a wrapper, and references to constants
 * inside blanked bodies: the index reads such a file again when it needs them.
 */
export function extractJs(file: string, text: string, lang: LanguageInfo, quiet?: QuietOptions): JsFacts {
  const facts = emptyJsFacts(file, lang.id);
  let source = text;
  let jsx: boolean | undefined;
  if (lang.parser === 'embedded') {
    const masked = maskEmbeddedScripts(text, lang.id);
    if (!masked.blocks) return facts;
    source = masked.text;
    jsx = masked.jsx;
  }
  bindTypeScript();
  const kind = jsx === undefined ? scriptKindFor(file) : jsx ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  let sf: TS.SourceFile | undefined;
  if (quiet && source.length >= quiet.minLength) {
    const q = blankQuietBodies(source, quiet.loud, importedLoudNames(source, quiet.loud, isPosthogPackage));
    try {
      const tree = q && parse(file, q.text, kind);
      // Blanking must not have made an error the full text would not have: else read the full text.
      if (tree && !(tree as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length) {
        sf = tree;
        source = q.text;
        facts.blanked = q.ranges;
      }
    } catch {
      /* read the full text below */
    }
  }
  let masked = false;
  try {
    sf ??= parse(file, source, kind);
  } catch (e) {
    if (!(e instanceof RangeError)) return { ...facts, error: `parse failed: ${(e as Error).message}` };
    try {
      sf = parse(file, maskDeepNesting(source, MASK_NESTING_DEPTH), kind);
      masked = true;
      facts.error = 'nesting too deep: the deepest expressions were not read';
    } catch (e2) {
      return { ...facts, error: `parse failed: ${(e2 as Error).message}` };
    }
  }
  try {
    new Extractor(sf, source, new LineMap(text), facts).run();
  } catch (e) {
    // The parser coped but walking its tree ran out of stack: read the file again without its deepest parts,
    // so one deep expression does not hide every usage after it.
    if (e instanceof RangeError && !masked) {
      try {
        const retry = emptyJsFacts(file, lang.id);
        new Extractor(parse(file, maskDeepNesting(source, MASK_NESTING_DEPTH), kind), source, new LineMap(text), retry).run();
        retry.error = 'nesting too deep: the deepest expressions were not read';
        retry.blanked = facts.blanked;
        return retry;
      } catch {
        /* fall through: report what the first pass found */
      }
    }
    facts.error = `extraction stopped: ${(e as Error).message}`;
  }
  return facts;
}

/**
 * TypeScript stops reading a file at a U+FFFD in code ("File appears to be
 * binary"), but bytes that are not UTF-8 decode to U+FFFD and the contract
 * scans such files: the parser sees a space instead (same length, so every
 * position stays right; only a key that itself holds U+FFFD reads differently).
 */
function parse(file: string, source: string, kind: TS.ScriptKind): TS.SourceFile {
  const text = source.includes('\uFFFD') ? source.replace(/\uFFFD/g, ' ') : source;
  return ts.createSourceFile(file, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, kind);
}

/**
 * Blanks (to spaces, line ends kept) whatever sits deeper than `max` brackets,
 * so a parser with a bounded stack can read the rest. Strings and comments are
 * skipped roughly; this runs only after the parser overflowed its stack.
 */
export function maskDeepNesting(text: string, max: number): string {
  const out = text.split('');
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') blankAt(out, i++, depth > max);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (; i < stop; i++) blankAt(out, i, depth > max);
      i--;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && (c === '`' || text[j] !== '\n')) j += text[j] === '\\' ? 2 : 1;
      for (let k = i; k <= j && k < text.length; k++) blankAt(out, k, depth > max);
      i = j;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      depth++;
      blankAt(out, i, depth > max);
    } else if (c === ')' || c === ']' || c === '}') {
      blankAt(out, i, depth > max);
      depth = Math.max(0, depth - 1);
    } else blankAt(out, i, depth > max);
  }
  return out.join('');
}

function blankAt(out: string[], i: number, blank: boolean): void {
  if (blank && out[i] !== '\n' && out[i] !== '\r') out[i] = ' ';
}

interface Scope {
  vars: Map<string, Expr>;
  parent?: Scope;
}

interface ClassContext {
  self: Expr;
  methods: Set<string>;
}

class Extractor {
  private readonly moduleNames = new Set<string>();
  /** Module names holding data (const non-functions, enums, imports): hover refs are recorded for them. */
  private readonly dataNames = new Set<string>();
  private readonly fnIds = new Map<TS.Node, number>();
  /** Module-scope type aliases and interfaces that no value shares a name with. */
  private readonly typeNames = new Set<string>();
  private posthogImported = false;
  private otherVendorImported = false;
  private scope: Scope = { vars: new Map() };
  private classes: ClassContext[] = [];
  private depth = 0;

  constructor(
    private readonly sf: TS.SourceFile,
    private readonly src: string,
    private readonly lm: LineMap,
    private readonly facts: JsFacts,
  ) {}

  run(): void {
    for (const st of this.sf.statements) this.declareModule(st);
    for (const st of this.sf.statements) this.visitStatement(st, true);
  }

  // ---------- module scope ----------

  private declareModule(st: TS.Statement): void {
    const f = this.facts;
    if (isImportDeclaration(st)) {
      if (!isStringLiteral(st.moduleSpecifier)) return;
      const from = st.moduleSpecifier.text;
      this.noteSpecifier(from);
      const clause = st.importClause;
      if (!clause) return;
      // Type-only imports too: a declared type may name PostHog's (`import type { PostHog } from 'posthog-js'`).
      if (clause.name) this.addImport(clause.name.text, from, 'default');
      const nb = clause.namedBindings;
      if (nb && isNamespaceImport(nb)) this.addImport(nb.name.text, from, '*');
      else if (nb) for (const el of nb.elements) this.addImport(el.name.text, from, (el.propertyName ?? el.name).text);
      return;
    }
    if (isImportEqualsDeclaration(st)) {
      const ref = st.moduleReference;
      if (isExternalModuleReference(ref) && isStringLiteral(ref.expression)) {
        this.noteSpecifier(ref.expression.text);
        this.addImport(st.name.text, ref.expression.text, '*');
      }
      return;
    }
    if (isExportDeclaration(st)) {
      if (st.isTypeOnly) return;
      const from = st.moduleSpecifier && isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      if (from !== undefined) this.noteSpecifier(from);
      const clause = st.exportClause;
      if (!clause) {
        if (from !== undefined) f.stars.push(from);
      } else if (isNamespaceExport(clause)) {
        if (from !== undefined) f.exports[clause.name.text] = { from, name: '*' };
      } else {
        for (const el of clause.elements) {
          if (el.isTypeOnly) continue;
          const local = (el.propertyName ?? el.name).text;
          f.exports[el.name.text] = from !== undefined ? { from, name: local } : { local };
        }
      }
      return;
    }
    const exported = hasModifier(st, SK_ExportKeyword);
    const isDefault = hasModifier(st, SK_DefaultKeyword);
    if (isVariableStatement(st)) {
      if (hasModifier(st, SK_DeclareKeyword)) return;
      const isConst = (st.declarationList.flags & NF_Const) !== 0;
      for (const d of st.declarationList.declarations) {
        const req = requireSpecifier(d.initializer);
        if (req !== undefined) {
          this.noteSpecifier(req);
          if (isIdentifier(d.name)) this.addImport(d.name.text, req, '*');
          else if (isObjectBindingPattern(d.name))
            for (const el of d.name.elements) {
              const prop = el.propertyName ? propName(el.propertyName) : isIdentifier(el.name) ? el.name.text : undefined;
              if (isIdentifier(el.name) && prop !== undefined && !el.dotDotDotToken) this.addImport(el.name.text, req, prop);
            }
          continue;
        }
        for (const name of boundNames(d.name)) {
          this.moduleNames.add(name);
          if (exported) f.exports[name] = { local: name };
          if (isConst && d.initializer && !isFunctionLike(d.initializer)) this.dataNames.add(name);
        }
      }
      return;
    }
    if ((isFunctionDeclaration(st) || isClassDeclaration(st)) && st.name) {
      this.moduleNames.add(st.name.text);
      if (exported) f.exports[isDefault ? 'default' : st.name.text] = { local: st.name.text };
      return;
    }
    if (isEnumDeclaration(st)) {
      if (hasModifier(st, SK_DeclareKeyword)) return;
      this.moduleNames.add(st.name.text);
      this.dataNames.add(st.name.text);
      if (exported) f.exports[st.name.text] = { local: st.name.text };
      return;
    }
    if (isExportAssignment(st)) {
      this.moduleNames.add('default');
      f.exports.default = { local: 'default' };
      return;
    }
    if ((isTypeAliasDeclaration(st) || isInterfaceDeclaration(st)) && !this.moduleNames.has(st.name.text)) {
      // A type is a binding only where no value has its name: its value is what it says of PostHog (typeExpr).
      this.moduleNames.add(st.name.text);
      this.typeNames.add(st.name.text);
      if (exported) f.exports[st.name.text] = { local: st.name.text };
    }
  }

  private addImport(local: string, from: string, name: string): void {
    this.facts.imports[local] = { from, name };
    this.moduleNames.add(local);
    this.dataNames.add(local);
  }

  private noteSpecifier(spec: string): void {
    if (!this.facts.specifiers.includes(spec)) this.facts.specifiers.push(spec);
    if (isPosthogPackage(spec)) this.posthogImported = true;
    else if (OTHER_VENDOR_PACKAGE.test(spec)) this.otherVendorImported = true;
  }

  // ---------- scopes ----------

  private lookup(name: string): Expr {
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v) return v;
    }
    return this.moduleNames.has(name) ? { t: 'name', name } : UNKNOWN;
  }

  /** True when `name` is bound in a function or block scope (not module scope). */
  private isLocal(name: string): boolean {
    for (let s: Scope | undefined = this.scope; s?.parent; s = s.parent) if (s.vars.has(name)) return true;
    return false;
  }

  private withScope<T>(fill: (vars: Map<string, Expr>) => void, body: () => T): T {
    const vars = new Map<string, Expr>();
    this.scope = { vars, parent: this.scope };
    try {
      fill(vars);
      return body();
    } finally {
      this.scope = this.scope.parent!;
    }
  }

  /** Names a block declares (so shadowing holds before their declaration is reached). */
  private predeclare(vars: Map<string, Expr>, statements: readonly TS.Statement[]): void {
    for (const st of statements) {
      if (isVariableStatement(st)) for (const d of st.declarationList.declarations) for (const n of boundNames(d.name)) vars.set(n, UNKNOWN);
      else if ((isFunctionDeclaration(st) || isClassDeclaration(st) || isEnumDeclaration(st)) && st.name) vars.set(st.name.text, UNKNOWN);
    }
  }

  // ---------- positions ----------

  private span(start: number, end: number): Span {
    return this.lm.span(start, end);
  }

  private nodeSpan(n: TS.Node): Span {
    return this.span(n.getStart(this.sf), n.end);
  }

  private nodeText(n: TS.Node): string {
    return this.src.slice(n.getStart(this.sf), n.end);
  }

  private strExpr(n: TS.StringLiteral | TS.NoSubstitutionTemplateLiteral): Expr {
    const start = n.getStart(this.sf);
    const q = this.src[start];
    const closed = n.end - start >= 2 && this.src[n.end - 1] === q;
    return { t: 'str', value: n.text, span: this.span(start + 1, closed ? n.end - 1 : n.end) };
  }

  // ---------- statements ----------

  private visitStatement(st: TS.Statement, moduleLevel: boolean): void {
    if (isImportDeclaration(st) || isImportEqualsDeclaration(st) || isExportDeclaration(st)) return;
    if (isInterfaceDeclaration(st) || isTypeAliasDeclaration(st)) {
      if (moduleLevel && this.typeNames.has(st.name.text) && this.facts.bindings[st.name.text] === undefined) {
        let e = isTypeAliasDeclaration(st) ? this.typeExpr(st.type) : this.heritageType(st.heritageClauses);
        // An interface (or object type) some class may implement; named for PostHog, it is the project's
        // own description of PostHog's client (`interface PostHogServerClient { isFeatureEnabled(…) }`).
        if (e.t === 'unknown' && (isInterfaceDeclaration(st) || ts.isTypeLiteralNode(st.type))) {
          e = POSTHOG_RECEIVER.test(st.name.text) ? { t: 'client' } : { t: 'iface', name: st.name.text };
        }
        if (e.t !== 'unknown') this.facts.bindings[st.name.text] = e;
      }
      return;
    }
    if (isVariableStatement(st)) {
      if (hasModifier(st, SK_DeclareKeyword)) return;
      const isConst = (st.declarationList.flags & NF_Const) !== 0;
      for (const d of st.declarationList.declarations) this.visitVariable(d, isConst, moduleLevel);
      return;
    }
    if (isFunctionDeclaration(st)) {
      if (!st.body) return;
      const name = st.name?.text ?? 'default';
      const fn = this.makeFn(st, name);
      this.bind(name, fn, moduleLevel);
      if (moduleLevel && !st.name && hasModifier(st, SK_DefaultKeyword)) {
        this.facts.bindings.default = fn;
        this.facts.exports.default = { local: 'default' };
      }
      return;
    }
    if (isClassDeclaration(st)) {
      const name = st.name?.text ?? 'default';
      if (moduleLevel && st.name) {
        const bases = (st.heritageClauses ?? []).flatMap((h) => h.types.map((t) => this.nodeText(t.expression).replace(/\s+/g, '')));
        const simple = bases.map((b) => b.slice(b.lastIndexOf('.') + 1)).filter((b) => /^[A-Za-z_$][\w$]*$/.test(b));
        if (simple.length) (this.facts.impls ??= Object.create(null) as Record<string, string[]>)[name] = simple;
      }
      const cls = this.makeClass(st, moduleLevel ? { t: 'name', name } : UNKNOWN);
      this.bind(name, cls, moduleLevel);
      if (moduleLevel && !st.name && hasModifier(st, SK_DefaultKeyword)) {
        this.facts.bindings.default = cls;
        this.facts.exports.default = { local: 'default' };
      }
      return;
    }
    if (isEnumDeclaration(st)) {
      const props: Record<string, Expr> = Object.create(null);
      for (const m of st.members) {
        const key = propName(m.name);
        if (key === undefined) continue;
        props[key] = m.initializer ? this.toExpr(m.initializer) : UNKNOWN;
        if (m.initializer) this.visit(m.initializer);
      }
      this.bind(st.name.text, { t: 'obj', props }, moduleLevel);
      return;
    }
    if (isExportAssignment(st)) {
      const e = this.valueOf(st.expression, 'default');
      if (moduleLevel) this.facts.bindings.default = e;
      return;
    }
    if (moduleLevel && isExpressionStatement(st) && this.commonJsExport(st.expression)) return;
    this.visit(st);
  }

  /** `module.exports = X`, `module.exports.A = X`, `exports.A = X`. */
  private commonJsExport(e: TS.Expression): boolean {
    if (!isBinaryExpression(e) || e.operatorToken.kind !== SK_EqualsToken) return false;
    const target = this.nodeText(e.left).replace(/\s+/g, '');
    const f = this.facts;
    if (target === 'module.exports') {
      f.bindings['module.exports'] = this.valueOf(e.right, 'default');
      this.moduleNames.add('module.exports');
      f.exports.default = { local: 'module.exports' };
      return true;
    }
    const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(target);
    if (!m) return false;
    const local = `exports.${m[1]}`;
    f.bindings[local] = this.valueOf(e.right, m[1]);
    f.exports[m[1]] = { local };
    return true;
  }

  private bind(name: string, value: Expr, moduleLevel: boolean): void {
    if (moduleLevel) this.facts.bindings[name] = value;
    else this.scope.vars.set(name, value);
  }

  private visitVariable(d: TS.VariableDeclaration, isConst: boolean, moduleLevel: boolean): void {
    if (moduleLevel && requireSpecifier(d.initializer) !== undefined) return;
    const init = d.initializer;
    if (isIdentifier(d.name)) {
      const name = d.name.text;
      const declared = d.type ? this.typeExpr(d.type) : UNKNOWN;
      if (!init) return this.bind(name, declared, moduleLevel);
      const value = this.valueOf(init, name);
      const bound = isConst ? value : isFunctionLike(unwrap(init)) ? value : UNKNOWN;
      this.bind(name, bound.t === 'unknown' ? declared : bound, moduleLevel);
      return;
    }
    // Destructuring: `const { A, B: C } = FLAGS` binds members of the source.
    const source = init ? this.valueOf(init, undefined) : UNKNOWN;
    this.bindPattern(d.name, isConst ? source : UNKNOWN, moduleLevel);
  }

  private bindPattern(p: TS.BindingName, source: Expr, moduleLevel: boolean): void {
    if (isIdentifier(p)) return this.bind(p.text, source, moduleLevel);
    if (isObjectBindingPattern(p)) {
      for (const el of p.elements) {
        if (el.initializer) this.visit(el.initializer);
        const key = el.dotDotDotToken ? undefined : el.propertyName ? propName(el.propertyName) : isIdentifier(el.name) ? el.name.text : undefined;
        this.bindPattern(el.name, key === undefined || el.initializer ? UNKNOWN : member(source, [key]), moduleLevel);
      }
      return;
    }
    for (const el of p.elements) if (!isOmittedExpression(el)) this.bindPattern(el.name, UNKNOWN, moduleLevel);
  }

  /** The Expr of an initializer, walking it once for calls (functions become named functions). */
  private valueOf(init: TS.Expression, name: string | undefined): Expr {
    const inner = unwrap(init);
    if (name !== undefined && (isArrowFunction(inner) || isFunctionExpression(inner))) return this.makeFn(inner, name);
    if (isClassExpression(inner)) return this.makeClass(inner, UNKNOWN);
    const value = this.toExpr(init, 0, name !== undefined);
    this.visit(init);
    return value;
  }

  // ---------- functions and classes ----------

  private makeFn(node: TS.FunctionLikeDeclaration, name: string): Expr {
    const id = this.facts.fns.length;
    this.facts.fns.push({ name, forwards: [] });
    const returns = node.type ? this.typeExpr(node.type) : UNKNOWN;
    if (returns.t !== 'unknown') this.facts.fns[id].returns = returns;
    this.fnIds.set(node, id);
    this.walkFunction(node, id);
    return { t: 'fn', id };
  }

  private walkFunction(node: TS.FunctionLikeDeclaration, id: number | undefined): void {
    this.withScope(
      (vars) => {
        node.parameters.forEach((p, index) => {
          if (p.initializer) this.visit(p.initializer);
          const type = p.type ? this.typeExpr(p.type) : UNKNOWN;
          if (isIdentifier(p.name))
            vars.set(p.name.text, id !== undefined && !p.dotDotDotToken ? { t: 'param', fn: id, index, path: [], ...(type.t !== 'unknown' ? { type } : {}) } : type);
          else if (isObjectBindingPattern(p.name)) {
            for (const el of p.name.elements) {
              if (el.initializer) this.visit(el.initializer);
              const key = el.dotDotDotToken ? undefined : el.propertyName ? propName(el.propertyName) : isIdentifier(el.name) ? el.name.text : undefined;
              for (const n of boundNames(el.name))
                vars.set(n, id !== undefined && key !== undefined && isIdentifier(el.name) ? { t: 'param', fn: id, index, path: [key] } : UNKNOWN);
            }
          } else for (const n of boundNames(p.name)) vars.set(n, UNKNOWN);
        });
      },
      () => {
        const body = node.body;
        if (!body) return;
        if (isBlock(body)) this.visitBlock(body.statements);
        else this.visit(body);
      },
    );
  }

  private visitBlock(statements: readonly TS.Statement[]): void {
    this.withScope(
      (vars) => this.predeclare(vars, statements),
      () => {
        for (const st of statements) this.visitStatement(st, false);
      },
    );
  }

  private makeClass(node: TS.ClassLikeDeclaration, self: Expr): Expr {
    const props: Record<string, Expr> = Object.create(null);
    const ctx: ClassContext = { self, methods: new Set() };
    for (const m of node.members) {
      const key = m.name ? propName(m.name) : undefined;
      if (key !== undefined && (isMethodDeclaration(m) || (isPropertyDeclaration(m) && m.initializer && isFunctionLike(unwrap(m.initializer))))) ctx.methods.add(key);
    }
    this.classes.push(ctx);
    try {
      for (const h of node.heritageClauses ?? []) for (const t of h.types) this.visit(t.expression);
      for (const m of node.members) {
        const key = m.name ? propName(m.name) : undefined;
        if (isMethodDeclaration(m) && m.body && key !== undefined) props[key] = this.makeFn(m, key);
        else if (isPropertyDeclaration(m)) {
          // `posthog = new PostHog(…)`, or only declared (`private posthog: PostHog;`, assigned elsewhere or injected).
          const v = m.initializer ? this.valueOf(m.initializer, key) : UNKNOWN;
          const declared = v.t === 'unknown' && m.type ? this.typeExpr(m.type) : UNKNOWN;
          if (key !== undefined && (m.initializer || declared.t !== 'unknown')) props[key] = v.t === 'unknown' ? declared : v;
        } else if ((isConstructorDeclaration(m) || isGetAccessor(m) || isSetAccessor(m) || isMethodDeclaration(m)) && m.body) this.walkFunction(m, undefined);
        else if (isClassStaticBlockDeclaration(m)) this.visitBlock(m.body.statements);
        if (isConstructorDeclaration(m)) {
          // Parameter properties: `constructor(private readonly posthog: PostHog)`.
          for (const p of m.parameters) {
            if (!p.type || !isIdentifier(p.name) || !getModifiers(p)?.length) continue;
            const v = this.typeExpr(p.type);
            if (v.t !== 'unknown') props[p.name.text] = v;
          }
        }
      }
    } finally {
      this.classes.pop();
    }
    return { t: 'obj', props };
  }

  // ---------- expressions ----------

  /** What an expression is, without walking it. */
  private toExpr(node: TS.Expression, depth = 0, named = false): Expr {
    if (depth > 64) return UNKNOWN;
    const n = unwrap(node);
    if (isStringLiteral(n) || isNoSubstitutionTemplateLiteral(n)) return this.strExpr(n);
    if (isIdentifier(n)) return n.text === 'undefined' ? UNKNOWN : this.lookup(n.text);
    if (n.kind === SK_ThisKeyword) return this.classes.at(-1)?.self ?? UNKNOWN;
    if (isPropertyAccessExpression(n)) {
      if (!isIdentifier(n.name)) return UNKNOWN;
      return member(this.toExpr(n.expression, depth + 1), [n.name.text]);
    }
    if (isElementAccessExpression(n)) {
      const arg = unwrap(n.argumentExpression);
      if (isStringLiteral(arg) || isNoSubstitutionTemplateLiteral(arg) || isNumericLiteral(arg)) return member(this.toExpr(n.expression, depth + 1), [arg.text]);
      return UNKNOWN;
    }
    if (isObjectLiteralExpression(n)) {
      const props: Record<string, Expr> = Object.create(null);
      for (const p of n.properties) {
        if (isPropertyAssignment(p)) {
          const key = propName(p.name);
          if (key === undefined) continue;
          const init = unwrap(p.initializer);
          if (isArrowFunction(init) || isFunctionExpression(init)) {
            if (named) props[key] = this.fnFor(init, key);
          } else props[key] = this.toExpr(p.initializer, depth + 1, named);
        } else if (isShorthandPropertyAssignment(p)) props[p.name.text] = this.lookup(p.name.text);
        else if (isMethodDeclaration(p) && named) {
          const key = propName(p.name);
          if (key !== undefined) props[key] = this.fnFor(p, key);
        }
      }
      return { t: 'obj', props };
    }
    if (isArrowFunction(n) || isFunctionExpression(n)) {
      const id = this.fnIds.get(n);
      return id === undefined ? UNKNOWN : { t: 'fn', id };
    }
    if (isNewExpression(n)) {
      const callee = unwrap(n.expression);
      if (POSTHOG_RECEIVER.test(this.nodeText(callee))) return { t: 'client' };
      const c = this.toExpr(callee, depth + 1);
      if (c.t === 'name' && this.isPosthogImport(c.name)) return { t: 'client' };
      return { t: 'new', callee: c };
    }
    if (isConditionalExpression(n) || (isBinaryExpression(n) && isLogical(n.operatorToken.kind))) {
      // `key ? new PostHog(key) : null`, `window.posthog ?? fallback`: a client if either side is one.
      const [a, b] = isConditionalExpression(n) ? [n.whenTrue, n.whenFalse] : [n.left, n.right];
      return this.toExpr(a, depth + 1).t === 'client' || this.toExpr(b, depth + 1).t === 'client' ? { t: 'client' } : UNKNOWN;
    }
    if (ts.isAwaitExpression(n)) {
      // `await import('./flags')`: the module's namespace, as a synthetic module-scope import.
      const inner = unwrap(n.expression);
      const spec = isCallExpression(inner) && inner.expression.kind === ts.SyntaxKind.ImportKeyword && inner.arguments.length >= 1 ? unwrap(inner.arguments[0]) : undefined;
      if (spec && (isStringLiteral(spec) || isNoSubstitutionTemplateLiteral(spec))) return this.dynamicImport(spec.text);
      return this.toExpr(n.expression, depth + 1);
    }
    if (isCallExpression(n)) {
      const callee = unwrap(n.expression);
      if (isIdentifier(callee) && /^usePostHog$/.test(callee.text)) return { t: 'client' };
      if (isPropertyAccessExpression(callee) && callee.name.text === 'init' && POSTHOG_RECEIVER.test(this.nodeText(callee.expression))) return { t: 'client' };
      const calleeName = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : '';
      // posthog-node's `evaluateFlags(id, …)` snapshot answers `isEnabled(k)`/`getFlag(k)` for its client.
      if (calleeName === 'evaluateFlags' && isPropertyAccessExpression(callee)) {
        const rx = this.toExpr(callee.expression, depth + 1);
        if (rx.t === 'client' || POSTHOG_RECEIVER.test(this.nodeText(callee.expression))) return { t: 'client' };
        return rx.t === 'unknown' ? UNKNOWN : { t: 'call', callee: member(rx, ['evaluateFlags']) };
      }
      // React context: `createContext<Telemetry | null>(null)` holds a Telemetry; `useContext(C)` reads it.
      if (calleeName === 'createContext' && n.typeArguments?.length) return this.typeExpr(n.typeArguments[0]);
      if (calleeName === 'useContext' && n.arguments.length === 1) return this.toExpr(n.arguments[0], depth + 1);
      // What a project function returns, as its declared return type says (followed by the linker).
      const c = isIdentifier(callee) || isPropertyAccessExpression(callee) ? this.toExpr(callee, depth + 1) : UNKNOWN;
      return c.t === 'name' || c.t === 'member' || c.t === 'fn' ? { t: 'call', callee: c } : UNKNOWN;
    }
    return UNKNOWN;
  }

  /**
   * A declared type as a value, as far as it may be a PostHog client: a
   * reference (`PostHog`, `Telemetry`, `ns.PostHog`), through `Pick`/`Omit`/
   * `Partial`/`Readonly`/`Required`/`NonNullable`, the first named member of a
   * union or intersection (`PostHog | null`, `PostHog & Extra`), `typeof x`.
   * Anything else (keywords, literals, object types) is unknown.
   */
  private typeExpr(t: TS.TypeNode | undefined, depth = 0): Expr {
    if (!t || depth > 16) return UNKNOWN;
    if (ts.isParenthesizedTypeNode(t)) return this.typeExpr(t.type, depth + 1);
    if (ts.isTypeReferenceNode(t)) return this.namedType(t.typeName, t.typeArguments, depth);
    if (ts.isUnionTypeNode(t) || ts.isIntersectionTypeNode(t)) {
      for (const m of t.types) {
        const e = this.typeExpr(m, depth + 1);
        if (e.t !== 'unknown') return e;
      }
      return UNKNOWN;
    }
    if (ts.isTypeQueryNode(t)) {
      const name = t.exprName;
      return isIdentifier(name) ? this.lookup(name.text) : UNKNOWN;
    }
    return UNKNOWN;
  }

  private namedType(name: TS.EntityName | TS.Expression, args: readonly TS.TypeNode[] | undefined, depth: number): Expr {
    if (isIdentifier(name)) {
      if (WRAPPING_TYPES.has(name.text) && args?.length) return this.typeExpr(args[0], depth + 1);
      // `ReturnType<typeof getClient>`: what calling it returns.
      if (name.text === 'ReturnType' && args?.length === 1) {
        const q = args[0];
        const callee = ts.isTypeQueryNode(q) && isIdentifier(q.exprName) ? this.lookup(q.exprName.text) : UNKNOWN;
        return callee.t === 'unknown' ? UNKNOWN : { t: 'call', callee };
      }
      const e = this.lookup(name.text);
      if (e.t !== 'unknown') return e;
      // PostHog's type without an import of its own (a global declaration) in a file that uses PostHog.
      return name.text === 'PostHog' && this.posthogImported ? { t: 'client' } : UNKNOWN;
    }
    if (ts.isQualifiedName(name) || isPropertyAccessExpression(name)) {
      const left = ts.isQualifiedName(name) ? name.left : name.expression;
      const right = ts.isQualifiedName(name) ? name.right.text : isIdentifier(name.name) ? name.name.text : '';
      const base = isIdentifier(left) ? this.lookup(left.text) : UNKNOWN;
      return base.t === 'unknown' ? UNKNOWN : member(base, [right]);
    }
    return UNKNOWN;
  }

  /** `interface Analytics extends PostHog {}` / `extends Pick<PostHog, …>`: the first named base. */
  private heritageType(clauses: readonly TS.HeritageClause[] | undefined): Expr {
    for (const h of clauses ?? []) {
      for (const t of h.types) {
        const e = this.namedType(t.expression, t.typeArguments, 0);
        if (e.t !== 'unknown') return e;
      }
    }
    return UNKNOWN;
  }

  /** The namespace of a dynamically imported module (`await import(spec)`): one synthetic import per specifier. */
  private dynamicImport(spec: string): Expr {
    const local = `import(${spec})`;
    if (!this.facts.imports[local]) {
      this.noteSpecifier(spec);
      this.facts.imports[local] = { from: spec, name: '*' };
    }
    return isPosthogPackage(spec) ? { t: 'client' } : { t: 'name', name: local };
  }

  /** A function defined inside an object literal, made (and walked) once. */
  private fnFor(node: TS.FunctionLikeDeclaration, name: string): Expr {
    const id = this.fnIds.get(node);
    return id !== undefined ? { t: 'fn', id } : this.makeFn(node, name);
  }

  private isPosthogImport(name: string): boolean {
    const imp = this.facts.imports[name];
    return !!imp && isPosthogPackage(imp.from) && !this.isLocal(name);
  }

  private keyArg(node: TS.Expression): KeyArg {
    const n = unwrap(node);
    if (isStringLiteral(n) || isNoSubstitutionTemplateLiteral(n)) {
      const e = this.strExpr(n) as Extract<Expr, { t: 'str' }>;
      return { expr: e, span: e.span, text: this.nodeText(n) };
    }
    return { expr: this.toExpr(node), span: this.nodeSpan(node), text: this.nodeText(node) };
  }

  /** Walks a node for calls, JSX, functions and constant references. */
  private visit(node: TS.Node): void {
    if (this.depth >= MAX_WALK_DEPTH) {
      this.facts.error ??= 'nesting too deep: the deepest expressions were not read';
      return;
    }
    this.depth++;
    try {
      this.visitInner(node);
    } finally {
      this.depth--;
    }
  }

  private visitInner(node: TS.Node): void {
    if (isTypeNode(node) && !isExpressionWithTypeArguments(node)) return;
    switch (node.kind) {
      case SK_InterfaceDeclaration:
      case SK_TypeAliasDeclaration:
      case SK_ImportDeclaration:
      case SK_ExportDeclaration:
        return;
    }
    if (isBlock(node)) return this.visitBlock(node.statements);
    if (isSourceFile(node)) return;
    if (isVariableStatement(node) || isFunctionDeclaration(node) || isClassDeclaration(node) || isEnumDeclaration(node)) return this.visitStatement(node, false);
    if (isVariableDeclarationList(node)) {
      const isConst = (node.flags & NF_Const) !== 0;
      for (const d of node.declarations) this.visitVariable(d, isConst, false);
      return;
    }
    if (isArrowFunction(node) || isFunctionExpression(node) || isMethodDeclaration(node) || isGetAccessor(node) || isSetAccessor(node) || isConstructorDeclaration(node)) {
      if (this.fnIds.has(node)) return;
      return this.walkFunction(node, undefined);
    }
    if (isClassExpression(node)) {
      this.makeClass(node, UNKNOWN);
      return;
    }
    if (isCallExpression(node)) return this.visitCall(node);
    if (isNewExpression(node) && node.arguments && POSTHOG_RECEIVER.test(this.nodeText(unwrap(node.expression)))) {
      this.bootstrapSite(node.arguments);
      return forEachChild(node, (c) => this.visit(c));
    }
    if (isJsxSelfClosingElement(node)) return this.visitJsx(node.tagName, node.attributes);
    if (isJsxElement(node)) {
      this.visitJsx(node.openingElement.tagName, node.openingElement.attributes);
      for (const c of node.children) this.visit(c);
      return;
    }
    if (isPropertyAssignment(node)) {
      if (isComputedPropertyName(node.name)) this.visit(node.name.expression);
      return this.visit(node.initializer);
    }
    if (isShorthandPropertyAssignment(node)) {
      this.noteRef(node.name);
      return;
    }
    if (isIdentifier(node) || isPropertyAccessExpression(node) || isElementAccessExpression(node)) {
      if (this.noteRef(node)) return;
      if (isPropertyAccessExpression(node)) return this.visit(node.expression);
      if (isElementAccessExpression(node)) {
        this.visit(node.expression);
        return this.visit(node.argumentExpression);
      }
      return;
    }
    if (isLabeledStatement(node)) return this.visit(node.statement);
    if (isBreakOrContinueStatement(node)) return;
    if (isCatchClause(node)) {
      return this.withScope(
        (vars) => {
          if (node.variableDeclaration) for (const n of boundNames(node.variableDeclaration.name)) vars.set(n, UNKNOWN);
        },
        () => this.visitBlock(node.block.statements),
      );
    }
    if (isForStatement(node) || isForInStatement(node) || isForOfStatement(node)) {
      const init = node.initializer;
      return this.withScope(
        (vars) => {
          if (init && isVariableDeclarationList(init)) for (const d of init.declarations) for (const n of boundNames(d.name)) vars.set(n, UNKNOWN);
        },
        () => {
          if (init && isVariableDeclarationList(init)) {
            for (const d of init.declarations) if (d.initializer) this.visit(d.initializer);
          } else if (init) this.visit(init);
          forEachChild(node, (c) => {
            if (c !== init) this.visit(c);
          });
        },
      );
    }
    forEachChild(node, (c) => this.visit(c));
  }

  /** Records a reference to a module-scope constant (hover/definition); true when it was one. */
  private noteRef(node: TS.Identifier | TS.PropertyAccessExpression | TS.ElementAccessExpression): boolean {
    const e = this.toExpr(node);
    const root = e.t === 'member' ? e.base : e;
    if (root.t !== 'name' || !this.dataNames.has(root.name)) return false;
    this.facts.refs.push({ span: this.nodeSpan(node), expr: e });
    if (isElementAccessExpression(node)) this.visit(node.argumentExpression);
    return true;
  }

  private visitCall(node: TS.CallExpression): void {
    const callee = unwrap(node.expression);
    let name: string | undefined;
    let receiver: TS.Expression | undefined;
    if (isIdentifier(callee)) name = callee.text;
    else if (isPropertyAccessExpression(callee) && isIdentifier(callee.name)) {
      name = callee.name.text;
      receiver = unwrap(callee.expression);
    }
    if (name !== undefined) this.classifyCall(node, name, receiver);
    if (receiver) this.visit(receiver);
    else if (!isIdentifier(callee)) this.visit(callee);
    for (const a of node.arguments) this.visit(a);
  }

  private classifyCall(node: TS.CallExpression, name: string, receiver: TS.Expression | undefined): void {
    let sdkName = name;
    if (!receiver) {
      const imp = this.facts.imports[name];
      if (imp && isPosthogPackage(imp.from) && !this.isLocal(name) && JS_CALLS.has(imp.name)) sdkName = imp.name;
    }
    const sdk = JS_CALLS.get(sdkName);
    if (sdk) {
      const claim = receiver ? this.memberClaim(sdk, name, receiver) : this.bareClaim(sdk, name);
      if (claim === false) {
        // not PostHog's: fall through to the wrapper-call handling below
      } else if (claim === true) return this.sdkSite(sdk, node.arguments, undefined);
      else {
        // Claimed only if the receiver turns out to be PostHog's: when it is a project object instead,
        // the same call may be one of its wrapper methods (the call site below; never both, see the linker).
        if ('unlessOwn' in claim) this.sdkSite(sdk, node.arguments, undefined, claim.unlessOwn);
        else this.sdkSite(sdk, node.arguments, claim);
      }
    } else if (name === 'init' && receiver && POSTHOG_RECEIVER.test(this.nodeText(receiver))) {
      return this.bootstrapSite(node.arguments);
    }
    if (!node.arguments.length) return;
    const calleeExpr = this.toExpr(node.expression);
    // A parameter is a callee only through its declared type (`port.isFlagOn(k)` with `port: AnalyticsPort`).
    if (calleeExpr.t === 'unknown' || (calleeExpr.t === 'param' && !calleeExpr.type) || calleeExpr.t === 'str') return;
    const args: CallArg[] = node.arguments.map((a) => this.callArg(a));
    this.callSite(name, calleeExpr, args);
  }

  private callArg(a: TS.Expression): CallArg {
    const arg: CallArg = this.keyArg(a);
    const inner = unwrap(a);
    if (isObjectLiteralExpression(inner)) {
      const props: Record<string, KeyArg> = Object.create(null);
      for (const p of inner.properties) {
        if (isPropertyAssignment(p)) {
          const key = propName(p.name);
          if (key !== undefined) props[key] = this.keyArg(p.initializer);
        } else if (isShorthandPropertyAssignment(p)) props[p.name.text] = this.keyArg(p.name);
      }
      arg.props = props;
    }
    return arg;
  }

  private callSite(call: string, callee: Expr, args: CallArg[]): void {
    args.forEach((a, i) => {
      if (a.expr.t === 'param') this.forwardCall(a.expr, callee, i, []);
      for (const [prop, v] of Object.entries(a.props ?? {})) if (v.expr.t === 'param') this.forwardCall(v.expr, callee, i, [prop]);
    });
    this.facts.sites.push({ t: 'call', call, callee, args });
  }

  private forwardCall(p: Extract<Expr, { t: 'param' }>, callee: Expr, arg: number, argPath: string[]): void {
    this.facts.fns[p.fn].forwards.push({ param: p.index, path: p.path, to: 'call', callee, arg, argPath });
  }

  /** Bare calls/components: claimed unless the name is the project's own or another package's. */
  private bareClaim(sdk: SdkCall, name: string): boolean | Expr {
    if (sdk.receiver === 'member') return false;
    if (this.isLocal(name)) return false;
    const imp = this.facts.imports[name];
    // An SDK hook imported from a project module (`export { useFeatureFlagEnabled } from 'posthog-js/react'`
    // in a workspace package): PostHog's when the import leads to PostHog's package.
    if (imp) return isPosthogPackage(imp.from) ? true : OTHER_VENDOR_PACKAGE.test(imp.from) ? false : { t: 'name', name };
    if (this.moduleNames.has(name)) return false;
    return sdk.generic ? this.posthogImported : !this.otherVendorImported;
  }

  /**
   * Member calls: true (claim), false (not PostHog's), an Expr that must resolve to a PostHog client, or
   * `unlessOwn`: claimed on the file's PostHog import alone, dropped when the receiver is a project object with that method.
   */
  private memberClaim(sdk: SdkCall, name: string, receiver: TS.Expression): boolean | Expr | { unlessOwn: Expr } {
    if (receiver.kind === SK_ThisKeyword && this.classes.at(-1)?.methods.has(name)) return false;
    const rx = this.toExpr(receiver);
    if (rx.t === 'obj' && rx.props[name]) return false;
    const root = rootOf(rx);
    if (rx.t === 'client' || root?.t === 'client' || POSTHOG_RECEIVER.test(this.nodeText(receiver))) return true;
    if (root?.t === 'name' && !this.facts.imports[root.name]) {
      const own = this.facts.bindings[root.name];
      if (own?.t === 'obj' && rx.t === 'name' && own.props[name]) return false;
    }
    if (root?.t === 'name') {
      const imp = this.facts.imports[root.name];
      if (imp && isPosthogPackage(imp.from)) return true;
      if (imp && OTHER_VENDOR_PACKAGE.test(imp.from)) return false;
    }
    if (sdk.receiver === 'bare') return false;
    if (!sdk.generic) return true;
    if (this.posthogImported && !this.otherVendorImported) return root?.t === 'name' ? { unlessOwn: rx } : true;
    // A name, a call's result or a typed parameter: claimed when it resolves to a PostHog client (declared types count).
    if (root?.t === 'name' || root?.t === 'call' || root?.t === 'iface' || (rx.t === 'param' && rx.type)) return rx;
    return false;
  }

  private sdkSite(sdk: SdkCall, args: TS.NodeArray<TS.Expression>, evidence: Expr | undefined, unlessOwn?: Expr): void {
    const keys: KeyArg[] = [];
    const form = sdk.key;
    const spreadAt = args.findIndex((a) => isSpreadElement(a));
    if (form.form === 'arg') {
      if (spreadAt >= 0 && spreadAt <= form.arg) keys.push(this.keyArg(args[spreadAt]));
      else if (args[form.arg]) keys.push(this.keyArg(args[form.arg]));
    } else if (form.form === 'object-keys') {
      const a = args[form.arg];
      if (a) this.objectKeys(a, form.path ?? [], keys);
    } else if (form.form === 'list-option') {
      const a = args[form.arg] && unwrap(args[form.arg]);
      if (a && isObjectLiteralExpression(a)) {
        for (const p of a.properties) {
          if (!isPropertyAssignment(p) || propName(p.name) !== form.option) continue;
          this.listKeys(p.initializer, keys);
        }
      }
    }
    this.pushSdk(sdk.name, keys, evidence, unlessOwn);
  }

  /** `posthog.init(token, { bootstrap: { featureFlags: { key: v } } })`. */
  private bootstrapSite(args: TS.NodeArray<TS.Expression>): void {
    const keys: KeyArg[] = [];
    if (args[1]) this.objectKeys(args[1], ['bootstrap', 'featureFlags'], keys, true);
    if (keys.length) this.pushSdk('init', keys, undefined);
  }

  private pushSdk(call: string, keys: KeyArg[], evidence: Expr | undefined, unlessOwn?: Expr): void {
    const own = unlessOwn ? { unlessOwn, call } : {};
    for (const k of keys) if (k.expr.t === 'param') this.facts.fns[k.expr.fn].forwards.push({ param: k.expr.index, path: k.expr.path, to: 'sdk', evidence, ...own });
    this.facts.sites.push({ t: 'sdk', call, keys, evidence, ...(unlessOwn ? { unlessOwn } : {}) });
  }

  private objectKeys(node: TS.Expression, path: string[], keys: KeyArg[], quiet = false): void {
    let n = unwrap(node);
    for (const seg of path) {
      if (!isObjectLiteralExpression(n)) return;
      const p = n.properties.find((q) => isPropertyAssignment(q) && propName(q.name) === seg) as TS.PropertyAssignment | undefined;
      if (!p) return;
      n = unwrap(p.initializer);
    }
    if (isArrayLiteralExpression(n)) return this.listKeys(n, keys);
    if (!isObjectLiteralExpression(n)) {
      if (!quiet && !isLiteralish(n)) keys.push(this.keyArg(n));
      return;
    }
    for (const p of n.properties) {
      const nameNode = isPropertyAssignment(p) || isShorthandPropertyAssignment(p) || isMethodDeclaration(p) ? p.name : undefined;
      if (!nameNode) {
        if (isSpreadAssignment(p)) keys.push(this.keyArg(p.expression));
        continue;
      }
      if (isIdentifier(nameNode)) keys.push({ expr: { t: 'str', value: nameNode.text, span: this.nodeSpan(nameNode) }, span: this.nodeSpan(nameNode), text: nameNode.text });
      else if (isStringLiteral(nameNode) || isNoSubstitutionTemplateLiteral(nameNode)) keys.push(this.keyArg(nameNode));
      else if (isComputedPropertyName(nameNode)) keys.push(this.keyArg(nameNode.expression));
      else if (isNumericLiteral(nameNode)) keys.push({ expr: { t: 'str', value: nameNode.text, span: this.nodeSpan(nameNode) }, span: this.nodeSpan(nameNode), text: nameNode.text });
    }
  }

  private listKeys(node: TS.Expression, keys: KeyArg[]): void {
    const n = unwrap(node);
    if (!isArrayLiteralExpression(n)) {
      keys.push(this.keyArg(n));
      return;
    }
    for (const el of n.elements) if (!isOmittedExpression(el)) keys.push(this.keyArg(isSpreadElement(el) ? el : el));
  }

  private visitJsx(tag: TS.JsxTagNameExpression, attributes: TS.JsxAttributes): void {
    const tagText = this.nodeText(tag);
    let name = isIdentifier(tag) ? tag.text : isPropertyAccessExpression(tag) && isIdentifier(tag.name) ? tag.name.text : undefined;
    if (name !== undefined && isIdentifier(tag)) {
      const imp = this.facts.imports[name];
      if (imp && isPosthogPackage(imp.from) && JS_CALLS.has(imp.name)) name = imp.name;
    }
    const sdk = name !== undefined ? JS_CALLS.get(name) : undefined;
    const attrs = new Map<string, TS.JsxAttribute>();
    for (const a of attributes.properties) {
      if (isJsxAttribute(a)) {
        attrs.set(this.nodeText(a.name), a);
        if (a.initializer && isJsxExpression(a.initializer) && a.initializer.expression) this.visit(a.initializer.expression);
      } else this.visit(a.expression);
    }
    if (sdk && sdk.key.form === 'jsx-prop' && isIdentifier(tag) && this.bareClaim(sdk, tag.text)) {
      const a = attrs.get(sdk.key.prop);
      const k = a && this.jsxValue(a);
      this.pushSdk(sdk.name, k ? [k] : [], undefined);
      return;
    }
    if (!/^[A-Z]/.test(tagText.replace(/^.*\./, '')) && !isPropertyAccessExpression(tag)) return;
    if (!attrs.size) return;
    const calleeExpr = this.toExpr(tag as TS.Expression);
    if (calleeExpr.t === 'unknown' || calleeExpr.t === 'param') return;
    const props: Record<string, KeyArg> = Object.create(null);
    for (const [k, a] of attrs) {
      const v = this.jsxValue(a);
      if (v) props[k] = v;
    }
    const whole = this.nodeSpan(attributes);
    this.callSite(name ?? tagText, calleeExpr, [{ expr: UNKNOWN, span: whole, text: '', props }]);
  }

  private jsxValue(a: TS.JsxAttribute): KeyArg | undefined {
    const init = a.initializer;
    if (!init) return undefined;
    if (isStringLiteral(init)) return this.keyArg(init);
    if (isJsxExpression(init) && init.expression) return this.keyArg(init.expression);
    return undefined;
  }
}

// ---------- helpers ----------

function hasModifier(n: TS.Node, kind: TS.SyntaxKind): boolean {
  return canHaveModifiers(n) && (getModifiers(n)?.some((m) => m.kind === kind) ?? false);
}

/** Strips parentheses, `as`, `satisfies`, `!` and `<T>x`. */
export function unwrap(n: TS.Expression): TS.Expression {
  for (;;) {
    if (isParenthesizedExpression(n) || isAsExpression(n) || isSatisfiesExpression(n) || isNonNullExpression(n) || isTypeAssertionExpression(n)) n = n.expression;
    else return n;
  }
}

function isLogical(k: TS.SyntaxKind): boolean {
  return k === SK_BarBarToken || k === SK_QuestionQuestionToken || k === SK_AmpersandAmpersandToken;
}

function isFunctionLike(n: TS.Expression): boolean {
  const u = unwrap(n);
  return isArrowFunction(u) || isFunctionExpression(u);
}

function isLiteralish(n: TS.Expression): boolean {
  return n.kind === SK_TrueKeyword || n.kind === SK_FalseKeyword || n.kind === SK_NullKeyword || (isIdentifier(n) && n.text === 'undefined');
}

function propName(n: TS.PropertyName | TS.BindingName): string | undefined {
  if (isIdentifier(n) || isStringLiteral(n) || isNumericLiteral(n) || isNoSubstitutionTemplateLiteral(n) || isPrivateIdentifier(n)) return n.text;
  if (isComputedPropertyName(n)) {
    const e = unwrap(n.expression);
    if (isStringLiteral(e) || isNoSubstitutionTemplateLiteral(e) || isNumericLiteral(e)) return e.text;
  }
  return undefined;
}

function boundNames(n: TS.BindingName): string[] {
  if (isIdentifier(n)) return [n.text];
  const out: string[] = [];
  for (const el of n.elements) if (!isOmittedExpression(el)) out.push(...boundNames(el.name));
  return out;
}

function requireSpecifier(init: TS.Expression | undefined): string | undefined {
  if (!init) return undefined;
  const n = unwrap(init);
  if (isCallExpression(n) && isIdentifier(n.expression) && n.expression.text === 'require' && n.arguments.length === 1) {
    const a = n.arguments[0];
    if (isStringLiteral(a) || isNoSubstitutionTemplateLiteral(a)) return a.text;
  }
  return undefined;
}

function rootOf(e: Expr): Expr | undefined {
  return e.t === 'member' ? e.base : e;
}

export type { Site };
