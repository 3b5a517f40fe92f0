/**
 * Go facts for the linker (the JS facts shape, `language: 'go'`): one
 * tree-sitter parse, one walk. Records the package clause; imports (import
 * paths, bound to the package's local name; the standard library and
 * posthog-go are settled here); package-level string constants; types
 * (`T` → a value of type T; a struct's fields and every method declared
 * with receiver T are bindings `T.member`, so that the methods of one type
 * may come from several files of its package; an interface records its
 * method names); functions and methods with the parameters they forward to a
 * key position; PostHog SDK calls (the `Key:` field of a
 * `posthog.FeatureFlagPayload` literal, or of a local bound to one; the key
 * argument of the positional forms); and calls that may be wrapper calls.
 *
 * Go resolves names by package, not by file: a name this file does not bind
 * is looked up in the other files of its folder with the same package clause,
 * and an import path is a folder (see ../index/linker.ts). A struct
 * implements an interface when it has the interface's methods: the linker
 * matches by method names.
 *
 * Precision: a `posthog.FeatureFlagPayload` literal is PostHog's own type,
 * so a call carrying one is an SDK call. Without it, an SDK name is claimed
 * only as the older per-file extraction did (a receiver named like PostHog,
 * or a file importing posthog-go), and never when the receiver resolves to a
 * project type defining the method itself (a database-backed
 * `IsFeatureEnabled` is that type's method, not PostHog's).
 */
import { wellFormedText } from '../text';
import { FactsWalk } from './facts-walk';
import type { Node, Parser } from 'web-tree-sitter';
import type { LanguageInfo } from '../languages';
import { POSTHOG_RECEIVER, callsFor, type SdkCall } from '../sdk-calls';
import type { CallArg, Expr, FnFacts, JsFacts, KeyArg } from '../index/facts';
import { emptyJsFacts } from '../index/facts-build';
import { withParser, type TreeSitterRuntime } from './extract';
import { OTHER_VENDOR_RECEIVER, triggerOffsets } from './extract-file';
import { go } from './languages/go';
import { blankQuietGo, parseQuiet } from './quiet-bodies';
import { termOffsets } from '../text';

const GO_CALLS = callsFor('go');
const UNKNOWN: Expr = { t: 'unknown' };
const CLIENT: Expr = { t: 'client' };
const PAYLOAD_TYPE = 'FeatureFlagPayload';
const MAX_DEPTH = 900;

/** Predeclared identifiers: never a name of the package (a lookup would read every file of the folder for nothing). */
const PREDECLARED = new Set(
  'append cap clear close complex copy delete imag len make max min new panic print println real recover string int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 uintptr float32 float64 complex64 complex128 bool byte rune error any comparable true false nil iota'.split(' '),
);

/** Predeclared types that never hold a flag key. */
const NOT_KEY_TYPES = new Set('bool byte rune error int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 uintptr float32 float64 complex64 complex128'.split(' '));

/** True for an import path of PostHog's Go SDK. */
export function isPosthogGoPath(path: string): boolean {
  return /^github\.com\/posthog\/posthog-go(?:\/|$)/i.test(path);
}

/** The standard library (and `C`): no dot in the first path segment, never a workspace folder. */
function isStdPath(path: string): boolean {
  const first = path.split('/')[0];
  return !first.includes('.');
}

export interface GoQuietOptions {
  /** Shorter texts are parsed whole. */
  minLength: number;
  /** Names of wrappers known so far (bodies calling them stay loud). */
  loud: readonly string[];
}

/**
 * Facts of one Go file. `quiet`: function and block bodies that mention no
 * SDK name and no loud name are left out of the parse (./quiet-bodies.ts);
 * the facts then list the `blanked` ranges, and the index reads the file
 * again when a new wrapper name turns up in one of them.
 */
export function extractGoFacts(parser: Parser, file: string, text: string, lang: LanguageInfo, cancel?: () => boolean, quiet?: GoQuietOptions): JsFacts {
  const facts = emptyJsFacts(file, lang.id);
  const source = wellFormedText(text);
  const hits = quiet && source.length >= quiet.minLength ? [...triggerOffsets(go, 'go', source).map(([at]) => at), ...termOffsets(source, quiet.loud)].sort((a, b) => a - b) : undefined;
  const { tree, blanked } = parseQuiet(parser, source, hits && blankQuietGo(source, hits), cancel);
  if (blanked) facts.blanked = blanked;
  if (!tree) return { ...facts, error: 'parse failed: tree-sitter returned no tree' };
  try {
    new GoWalk(source, facts).run(tree.rootNode);
  } finally {
    tree.delete();
  }
  return facts;
}

/** Linkable facts of one Go file; synchronous, never throws; `{ error }` as for `extractTreeSitter`. */
export function extractGoTreeSitterFacts(rt: TreeSitterRuntime, file: string, text: string, lang: LanguageInfo, quiet?: GoQuietOptions): JsFacts | { error: string } {
  if (lang.grammar !== 'go') return { error: `language '${lang.id}' has no Go facts` };
  return withParser(rt, 'go', (parser, cancel) => extractGoFacts(parser, file, text, lang, cancel, quiet));
}


interface Scope {
  vars: Map<string, Expr>;
  /** Locals bound to a `FeatureFlagPayload` literal (the last binding the walk has passed). */
  payloads: Map<string, Node>;
  parent?: Scope;
}

type Claim = true | { evidence: Expr } | { unlessOwn: Expr };

class GoWalk extends FactsWalk {
  private readonly fileHasImport: boolean;
  /** Local names of posthog-go imports. */
  private readonly posthogNames = new Set<string>();
  private scope: Scope | undefined;
  /** Struct and interface types this file declares. */
  private readonly nonKeyTypes = new Set<string>();

  constructor(text: string, facts: JsFacts) {
    super(text, facts, MAX_DEPTH);
    this.fileHasImport = go.importEvidence.test(text);
  }

  run(root: Node): void {
    // Imports first: a declaration may name an imported package before the walk reaches it otherwise.
    for (const d of root.namedChildren) if (d?.type === 'import_declaration') this.importDeclaration(d);
    for (const d of root.namedChildren) {
      if (d?.type !== 'type_declaration') continue;
      for (const spec of d.namedChildren) {
        const t = spec?.type === 'type_spec' ? spec.childForFieldName('type')?.type : undefined;
        const n = spec?.childForFieldName('name')?.text;
        if (n && (t === 'struct_type' || t === 'interface_type')) this.nonKeyTypes.add(n);
      }
    }
    for (const d of root.namedChildren) {
      if (!d) continue;
      switch (d.type) {
        case 'package_clause':
          this.facts.package = d.namedChild(0)?.text;
          break;
        case 'import_declaration':
          break;
        case 'const_declaration':
        case 'var_declaration':
          this.declaration(d);
          break;
        case 'type_declaration':
          for (const spec of d.namedChildren) if (spec?.type === 'type_spec' || spec?.type === 'type_alias') this.typeSpec(spec);
          break;
        case 'function_declaration':
        case 'method_declaration':
          this.functionDeclaration(d);
          break;
        default:
          this.visit(d);
      }
    }
  }

  // ---------- positions and binding ----------

  private bindPackage(name: string, value: Expr): void {
    const b = this.facts.bindings;
    const prev = Object.prototype.hasOwnProperty.call(b, name) ? b[name] : undefined;
    // A name declared twice (build-tagged files merged by mistake, a parse error) keeps only what both say.
    b[name] = prev === undefined || sameExpr(prev, value) ? value : UNKNOWN;
  }

  private lookup(name: string): Expr {
    for (let s = this.scope; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v) return v;
    }
    if (PREDECLARED.has(name) || name === '_') return UNKNOWN;
    return { t: 'name', name };
  }

  private payloadOf(name: string): Node | undefined {
    for (let s = this.scope; s; s = s.parent) {
      if (s.payloads.has(name)) return s.payloads.get(name);
      if (s.vars.has(name)) return undefined;
    }
    return undefined;
  }

  // ---------- declarations ----------

  private importDeclaration(d: Node): void {
    const specs = d.namedChildren.flatMap((c) => (c?.type === 'import_spec_list' ? c.namedChildren : [c]));
    for (const spec of specs) {
      if (spec?.type !== 'import_spec') continue;
      const pathNode = spec.childForFieldName('path');
      const lit = pathNode && go.readLiteral(pathNode, this.text);
      if (!lit || lit === 'dynamic') continue;
      const path = lit.value;
      const alias = spec.childForFieldName('name')?.text;
      if (alias === '_') continue;
      const segs = path.split('/');
      let local = alias ?? segs[segs.length - 1];
      // `example.com/x/v2` is package x; `gopkg.in/yaml.v3` is yaml.
      if (alias === undefined && /^v\d+$/.test(local) && segs.length > 1) local = segs[segs.length - 2];
      if (alias === undefined) local = local.replace(/\.v\d+$/, '').replace(/^go-/, '').replace(/-go$/, '').replace(/[^\w]/g, '_');
      if (isPosthogGoPath(path)) {
        if (alias === '.') continue;
        this.posthogNames.add(local);
        this.facts.bindings[local] = CLIENT;
        continue;
      }
      if (isStdPath(path)) {
        if (alias !== '.') this.facts.bindings[local] = UNKNOWN;
        continue;
      }
      if (!this.facts.specifiers.includes(path)) this.facts.specifiers.push(path);
      if (alias === '.') this.facts.stars.push(path);
      else this.facts.imports[local] = { from: path, name: '*' };
    }
  }

  /** `const`/`var` declarations, at package level (bindings) or in a function (locals). */
  private declaration(d: Node): void {
    const specs = d.namedChildren.flatMap((c) => (c?.type === 'const_spec_list' || c?.type === 'var_spec_list' ? c.namedChildren : [c]));
    for (const spec of specs) {
      if (spec?.type !== 'const_spec' && spec?.type !== 'var_spec') continue;
      const names = spec.childrenForFieldName('name').filter((n): n is Node => !!n);
      const typeNode = spec.childForFieldName('type');
      const values = spec.childForFieldName('value')?.namedChildren.filter((n): n is Node => !!n) ?? [];
      names.forEach((n, i) => {
        const v = values[i];
        let value: Expr;
        if (spec.type === 'const_spec') value = v ? this.constValue(v) : UNKNOWN;
        else value = v && values.length === names.length ? this.toExpr(v) : typeNode ? this.typeExpr(typeNode) : UNKNOWN;
        if (this.scope) {
          this.scope.vars.set(n.text, value);
          const p = v && spec.type === 'var_spec' ? payloadLiteral(v) : null;
          if (p) this.scope.payloads.set(n.text, p);
          else this.scope.payloads.delete(n.text);
        } else if (n.text !== '_') this.bindPackage(n.text, value);
      });
      for (const v of values) this.visit(v);
    }
  }

  /** A constant's value: a string literal, or the constant it copies. */
  private constValue(v: Node): Expr {
    const n = unwrapConversion(v);
    const lit = go.readLiteral(n, this.text);
    if (lit && lit !== 'dynamic') return { t: 'str', value: lit.value, span: this.lines.span(lit.start, lit.end) };
    if (n.type === 'identifier' || n.type === 'selector_expression') return this.toExpr(n);
    return UNKNOWN;
  }

  private typeSpec(spec: Node): void {
    const name = spec.childForFieldName('name')?.text;
    const type = spec.childForFieldName('type');
    if (!name || !type) return;
    if (spec.type === 'type_alias') return this.bindPackage(name, this.typeExpr(type));
    if (type.type === 'struct_type') {
      this.bindPackage(name, { t: 'type', name });
      for (const field of type.descendantsOfType('field_declaration')) {
        if (!field || field.parent?.parent?.id !== type.id) continue;
        const ft = field.childForFieldName('type');
        if (!ft) continue;
        const fieldNames = field.childrenForFieldName('name').filter((n): n is Node => !!n);
        // An embedded field is named after its type.
        const names = fieldNames.length ? fieldNames.map((n) => n.text) : [embeddedName(ft)].filter((n): n is string => !!n);
        for (const f of names) this.bindPackage(`${name}.${f}`, this.typeExpr(ft));
      }
      return;
    }
    if (type.type === 'interface_type') {
      const methods: string[] = [];
      for (const m of type.namedChildren) {
        if (m?.type !== 'method_spec' && m?.type !== 'method_elem') continue;
        const mn = m.childForFieldName('name')?.text;
        if (mn) methods.push(mn);
      }
      this.bindPackage(name, { t: 'type', name, methods: methods.sort() });
      return;
    }
    // `type Flag string`, `type Store Other`: a type of its own (its methods are its bindings).
    this.bindPackage(name, { t: 'type', name });
  }

  /** The value of something declared with type `node` (pointers and generics looked through). */
  private typeExpr(node: Node): Expr {
    switch (node.type) {
      case 'pointer_type':
      case 'parenthesized_type': {
        const inner = node.namedChild(node.namedChildCount - 1);
        return inner ? this.typeExpr(inner) : UNKNOWN;
      }
      case 'generic_type': {
        const t = node.childForFieldName('type');
        return t ? this.typeExpr(t) : UNKNOWN;
      }
      case 'type_identifier':
        return this.lookup(node.text);
      case 'qualified_type': {
        const pkg = node.childForFieldName('package')?.text;
        const name = node.childForFieldName('name')?.text;
        if (!pkg || !name) return UNKNOWN;
        // `posthog.Client`: PostHog's client (any type of posthog-go is its own evidence).
        if (this.posthogNames.has(pkg)) return CLIENT;
        return member(this.lookup(pkg), [name]);
      }
      default:
        return UNKNOWN;
    }
  }

  private functionDeclaration(d: Node): void {
    const name = d.childForFieldName('name')?.text ?? '?';
    const id = this.facts.fns.length;
    const fn: FnFacts = { name, forwards: [] };
    this.facts.fns.push(fn);
    const vars = new Map<string, Expr>();
    if (d.type === 'method_declaration') {
      const recv = d.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration');
      const rtype = recv?.childForFieldName('type');
      const typeName = rtype ? receiverTypeName(rtype) : undefined;
      if (!typeName) return;
      const rname = recv?.childForFieldName('name')?.text;
      if (rname) vars.set(rname, { t: 'name', name: typeName });
      this.bindPackage(`${typeName}.${name}`, { t: 'fn', id });
    } else if (name !== 'init' && name !== '_') this.bindPackage(name, { t: 'fn', id });
    const params = d.childForFieldName('parameters');
    this.bindParams(params, id, vars);
    const result = d.childForFieldName('result');
    const first = result?.type === 'parameter_list' ? result.namedChildren.find((c) => c?.type === 'parameter_declaration')?.childForFieldName('type') : result;
    if (first) {
      const r = this.typeExpr(first);
      if (r.t !== 'unknown') fn.returns = r;
    }
    this.body(d.childForFieldName('body'), vars);
  }

  private bindParams(params: Node | null, id: number | undefined, vars: Map<string, Expr>): void {
    let index = 0;
    for (const p of params?.namedChildren ?? []) {
      if (p?.type !== 'parameter_declaration' && p?.type !== 'variadic_parameter_declaration') continue;
      const typeNode = p.childForFieldName('type');
      const type = typeNode && p.type === 'parameter_declaration' ? this.typeExpr(typeNode) : UNKNOWN;
      const names = p.childrenForFieldName('name').filter((n): n is Node => !!n);
      if (!names.length) {
        index++;
        continue;
      }
      // Only a parameter that can hold a key is one (a context, a pointer, a slice… never is): its type otherwise.
      const keyish = !!typeNode && this.mayHoldKey(typeNode);
      for (const n of names) {
        const value: Expr = id === undefined ? UNKNOWN : keyish ? { t: 'param', fn: id, index, path: [], ...(type.t !== 'unknown' ? { type } : {}) } : type;
        vars.set(n.text, value);
        index++;
      }
    }
  }

  /** `string`, a named type (`Flag`, `toggles.Key`) or `any`: a parameter of this type may be a flag key. */
  private mayHoldKey(t: Node): boolean {
    switch (t.type) {
      case 'type_identifier':
        return !NOT_KEY_TYPES.has(t.text) && !this.declaresNonKey(t.text);
      case 'qualified_type': {
        const pkg = t.childForFieldName('package')?.text;
        return !!pkg && Object.prototype.hasOwnProperty.call(this.facts.imports, pkg);
      }
      case 'interface_type':
        return t.namedChildCount === 0;
      default:
        return false;
    }
  }

  /** True for a struct or interface type this file declares (never a key). */
  private declaresNonKey(name: string): boolean {
    return this.nonKeyTypes.has(name);
  }

  private body(block: Node | null, vars: Map<string, Expr>): void {
    const outer = this.scope;
    this.scope = { vars, payloads: new Map(), parent: outer };
    try {
      if (block) this.visit(block);
    } finally {
      this.scope = outer;
    }
  }

  // ---------- statements and expressions ----------

  protected visitInner(node: Node): void {
    switch (node.type) {
      case 'comment':
      case 'identifier':
      case 'interpreted_string_literal':
      case 'raw_string_literal':
      case 'int_literal':
      case 'field_identifier':
      case 'type_identifier':
        return;
      case 'const_declaration':
      case 'var_declaration':
        if (this.scope) return this.declaration(node);
        return this.visitChildren(node);
      case 'short_var_declaration':
      case 'assignment_statement':
        return this.assignment(node);
      case 'func_literal': {
        const vars = new Map<string, Expr>();
        this.bindParams(node.childForFieldName('parameters'), undefined, vars);
        return this.body(node.childForFieldName('body'), vars);
      }
      case 'call_expression':
        return this.visitCall(node);
      default:
        this.visitChildren(node);
    }
  }

  private assignment(node: Node): void {
    const left = node.childForFieldName('left')?.namedChildren.filter((n): n is Node => !!n) ?? [];
    const right = node.childForFieldName('right')?.namedChildren.filter((n): n is Node => !!n) ?? [];
    for (const r of right) this.visit(r);
    if (!this.scope) return;
    const declare = node.type === 'short_var_declaration';
    left.forEach((l, i) => {
      if (l.type !== 'identifier' || l.text === '_') return;
      // `v, ok := x.(T)`, `c, err := New()`: the first name holds the value.
      const r = right.length === left.length ? right[i] : right.length === 1 && i === 0 ? right[0] : undefined;
      const value = r && (right.length === left.length || r.type === 'type_assertion_expression' || r.type === 'call_expression') ? this.toExpr(r) : UNKNOWN;
      const s = this.scope!;
      // Plain `=` on a name of an outer scope changes that local (a parameter keeps what it is).
      let target: Scope = s;
      if (!declare) {
        let t: Scope | undefined = s;
        while (t && !t.vars.has(l.text)) t = t.parent;
        if (t) target = t;
      }
      if (target.vars.get(l.text)?.t === 'param') return;
      target.vars.set(l.text, value);
      const p = r ? payloadLiteral(r) : null;
      if (p) target.payloads.set(l.text, p);
      else target.payloads.delete(l.text);
    });
  }

  /** What an expression is, without walking it. */
  private toExpr(node: Node, depth = 0): Expr {
    if (depth > 64) return UNKNOWN;
    switch (node.type) {
      case 'interpreted_string_literal':
      case 'raw_string_literal': {
        const lit = go.readLiteral(node, this.text);
        if (!lit || lit === 'dynamic') return UNKNOWN;
        return { t: 'str', value: lit.value, span: this.lines.span(lit.start, lit.end) };
      }
      case 'parenthesized_expression': {
        const inner = node.namedChildCount === 1 ? node.namedChild(0) : null;
        return inner ? this.toExpr(inner, depth + 1) : UNKNOWN;
      }
      case 'identifier':
        return this.lookup(node.text);
      case 'selector_expression': {
        const operand = node.childForFieldName('operand');
        const field = node.childForFieldName('field')?.text;
        if (!operand || !field) return UNKNOWN;
        return member(this.toExpr(operand, depth + 1), [field]);
      }
      case 'unary_expression': {
        const op = node.childForFieldName('operand');
        return op && this.textOf(node).trimStart().startsWith('&') ? this.toExpr(op, depth + 1) : UNKNOWN;
      }
      case 'composite_literal': {
        const type = node.childForFieldName('type');
        return type ? this.typeExpr(type) : UNKNOWN;
      }
      case 'type_assertion_expression': {
        const type = node.childForFieldName('type');
        return type ? this.typeExpr(type) : UNKNOWN;
      }
      case 'call_expression': {
        const fn = node.childForFieldName('function');
        const args = node.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => !!n) ?? [];
        if (!fn) return UNKNOWN;
        // `string(x)`: the value converted.
        if (fn.type === 'identifier' && fn.text === 'string' && args.length === 1) return this.toExpr(args[0], depth + 1);
        const callee = this.toExpr(fn, depth + 1);
        // `posthog.New(…)`, `posthog.NewWithConfig(…)`: a client.
        if (callee.t === 'client' || (callee.t === 'member' && callee.base.t === 'client')) return CLIENT;
        return callee.t === 'name' || callee.t === 'member' ? { t: 'call', callee } : UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private keyArg(node: Node): KeyArg {
    const n = unwrapConversion(node);
    const text = this.textOf(node);
    const lit = go.readLiteral(n, this.text);
    if (lit && lit !== 'dynamic') {
      const span = this.lines.span(lit.start, lit.end);
      return { expr: { t: 'str', value: lit.value, span }, span, text };
    }
    const span = this.spanOf(node);
    if (lit === 'dynamic') return { expr: UNKNOWN, span, text };
    const expr = n.type === 'identifier' || n.type === 'selector_expression' ? this.toExpr(n) : UNKNOWN;
    const root = expr.t === 'member' ? expr.base : expr;
    if (root.t === 'name') this.facts.refs.push({ span, expr });
    return { expr, span, text };
  }

  // ---------- calls ----------

  private visitCall(node: Node): void {
    const fnNode = node.childForFieldName('function');
    const argsNode = node.childForFieldName('arguments');
    const args = argsNode?.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment') ?? [];
    let claimed = false;
    if (fnNode?.type === 'selector_expression') {
      const name = fnNode.childForFieldName('field')?.text;
      const receiver = fnNode.childForFieldName('operand');
      const sdk = name ? GO_CALLS.get(name) : undefined;
      if (sdk && receiver) claimed = this.sdkCall(sdk, receiver, args);
    }
    if (!claimed && fnNode && args.length && (fnNode.type === 'identifier' || fnNode.type === 'selector_expression')) this.callSite(fnNode, args);
    if (fnNode) this.visit(fnNode);
    for (const a of args) this.visit(a);
  }

  /** Records an SDK call when it is PostHog's (or may be); true when nothing else can be said about it. */
  private sdkCall(sdk: SdkCall, receiver: Node, args: Node[]): boolean {
    const rtext = this.textOf(receiver);
    if (OTHER_VENDOR_RECEIVER.test(rtext)) return false;
    const rx = this.toExpr(receiver);
    const root = rx.t === 'member' ? rx.base : rx;
    const decidable = root.t === 'name' || root.t === 'param';
    const named = POSTHOG_RECEIVER.test(rtext) || rx.t === 'client' || root.t === 'client';
    if (sdk.key.form === 'struct-field') {
      const first = args[0];
      const literal = first ? (payloadLiteral(first) ?? (first.type === 'identifier' ? this.payloadOf(first.text) : undefined) ?? null) : null;
      const keyNode = literal ? fieldValue(literal, sdk.key.field) : null;
      if (keyNode) {
        this.sdkSite(sdk, [this.keyArg(keyNode)], true);
        return true;
      }
      if (!first) return false;
      if (named) this.sdkSite(sdk, [{ expr: UNKNOWN, span: this.spanOf(first), text: this.textOf(first) }], true);
      else if (this.fileHasImport) this.sdkSite(sdk, [{ expr: UNKNOWN, span: this.spanOf(first), text: this.textOf(first) }], decidable ? { unlessOwn: rx } : true);
      return named;
    }
    if (sdk.key.form !== 'arg') return false;
    const keyNode = args[sdk.key.arg];
    const keys = keyNode ? [this.keyArg(keyNode)] : [];
    let claim: Claim | false = false;
    if (named) claim = true;
    else if (!sdk.generic || this.fileHasImport) claim = decidable ? { unlessOwn: rx } : true;
    else if (decidable) claim = { evidence: rx };
    if (claim === false) return false;
    this.sdkSite(sdk, keys, claim);
    return claim === true;
  }

  private sdkSite(sdk: SdkCall, keys: KeyArg[], claim: Claim): void {
    const evidence = claim !== true && 'evidence' in claim ? claim.evidence : undefined;
    const unlessOwn = claim !== true && 'unlessOwn' in claim ? claim.unlessOwn : undefined;
    for (const k of keys) {
      if (k.expr.t !== 'param') continue;
      this.facts.fns[k.expr.fn].forwards.push({ param: k.expr.index, path: k.expr.path, to: 'sdk', evidence, ...(unlessOwn ? { unlessOwn, call: sdk.name } : {}) });
    }
    this.facts.sites.push({ t: 'sdk', call: sdk.name, keys, evidence, ...(unlessOwn ? { unlessOwn } : {}) });
  }

  private callSite(fnNode: Node, argNodes: Node[]): void {
    const callee = this.toExpr(fnNode);
    if (callee.t !== 'name' && callee.t !== 'member') return;
    const root = callee.t === 'member' ? callee.base : callee;
    if (root.t === 'unknown' || root.t === 'client' || root.t === 'str') return;
    const name = fnNode.type === 'selector_expression' ? (fnNode.childForFieldName('field')?.text ?? '') : fnNode.text;
    const args: CallArg[] = argNodes.map((a) => this.keyArg(a));
    // Only a call that passes something a key could be is worth linking.
    if (!args.some((a) => a.expr.t === 'str' || a.expr.t === 'name' || a.expr.t === 'member' || a.expr.t === 'param')) return;
    args.forEach((a, i) => {
      if (a.expr.t !== 'param') return;
      this.facts.fns[a.expr.fn].forwards.push({ param: a.expr.index, path: a.expr.path, to: 'call', callee, arg: i, argPath: [] });
    });
    this.facts.sites.push({ t: 'call', call: name, callee, args });
  }
}

// ---------- helpers ----------

function member(base: Expr, path: string[]): Expr {
  switch (base.t) {
    case 'param':
      // A parameter's member is a member of its declared type's value.
      return base.type ? member(base.type, path) : UNKNOWN;
    case 'member':
      return { t: 'member', base: base.base, path: [...base.path, ...path] };
    case 'client':
      return CLIENT;
    case 'name':
    case 'type':
    case 'call':
      return { t: 'member', base, path };
    default:
      return UNKNOWN;
  }
}

function sameExpr(a: Expr, b: Expr): boolean {
  if (a.t === 'str' && b.t === 'str') return a.value === b.value;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `string(x)`, `(x)`: x. */
function unwrapConversion(n: Node): Node {
  return go.unwrap ? go.unwrap(n) : n;
}

/** `posthog.FeatureFlagPayload{…}` or `&…{…}` → its composite literal. */
function payloadLiteral(node: Node | null): Node | null {
  if (node?.type === 'unary_expression') node = node.childForFieldName('operand');
  if (node?.type !== 'composite_literal') return null;
  const type = node.childForFieldName('type');
  if (!type || !(type.text === PAYLOAD_TYPE || type.text.endsWith('.' + PAYLOAD_TYPE))) return null;
  return node;
}

function fieldValue(literal: Node, field: string): Node | null {
  for (const el of literal.childForFieldName('body')?.namedChildren ?? []) {
    if (el?.type !== 'keyed_element') continue;
    const [k, v] = el.namedChildren;
    if (k?.text === field && v) return v.type === 'literal_element' ? (v.namedChild(0) ?? v) : v;
  }
  return null;
}

/** `T`, `*T`, `T[K]`, `*T[K]` → T. */
function receiverTypeName(n: Node): string | undefined {
  if (n.type === 'pointer_type' || n.type === 'parenthesized_type') {
    const inner = n.namedChild(n.namedChildCount - 1);
    return inner ? receiverTypeName(inner) : undefined;
  }
  if (n.type === 'generic_type') {
    const t = n.childForFieldName('type');
    return t ? receiverTypeName(t) : undefined;
  }
  return n.type === 'type_identifier' ? n.text : undefined;
}

/** An embedded field's name: its type's name (`*pkg.Client` → Client). */
function embeddedName(t: Node): string | undefined {
  if (t.type === 'pointer_type' || t.type === 'generic_type') {
    const inner = t.type === 'generic_type' ? t.childForFieldName('type') : t.namedChild(t.namedChildCount - 1);
    return inner ? embeddedName(inner) : undefined;
  }
  if (t.type === 'qualified_type') return t.childForFieldName('name')?.text;
  return t.type === 'type_identifier' ? t.text : undefined;
}
