/**
 * Kotlin facts for the linker (the JS facts shape, `language: 'kotlin'`):
 * one tree-sitter parse, one walk, modelled on swift-facts.ts.
 *
 * Names: a file's top-level declarations are its bindings (`const val`,
 * functions, `object`/`class`/`interface`/`enum class` as objects of their
 * members; a `companion object`'s members are the class's own). A name the
 * file does not declare is left to the linker, which looks for it the way
 * Kotlin does: an explicit import (`import com.acme.flags.Flags`, `as`
 * aliases, an object's member imported by its path), then the files of the
 * same `package` (the `package` line, not the folder: `namespace`), then
 * star imports. An extension function is bound twice: by its name, and as
 * `.name` (no identifier starts with a dot), which is what a call with a
 * receiver falls back to when the receiver's type has no such member.
 *
 * Types: a parameter or property declared with a project type is
 * `{t: 'iface', name}`, and each type lists itself and its supertypes in
 * `impls`, so a call through an interface reaches the implementation whose
 * method forwards a key (the PostHog one, not the fake). Instances and the
 * type itself are not told apart (`T()`, `this`, members bare in the class).
 *
 * Keys: string literals, `const val`/`val` constants (top level, objects,
 * companions), enum entries with a key property (`enum class Flag(val key:
 * String) { X("x") }` → `Flag.X.key`; `Flag.X.name` is the entry's name), and
 * a parameter's property forwarded by a wrapper (`flag.key`).
 *
 * Precision: an SDK name is claimed on a PostHog receiver (`PostHog`, a
 * value typed `PostHogInterface`/`PostHog`, a receiver named for PostHog);
 * on a receiver of a project type it is that type's method (a wrapper only
 * if the implementation forwards a key); other vendors' receivers claim
 * nothing. Bare and unknown receivers keep the rule of the per-file
 * extraction: generic names need the file's `import com.posthog…`. The key's
 * position follows jvm-key-arg.ts (Android key first, server SDK second).
 */
import { wellFormedText } from '../text';
import { FactsWalk } from './facts-walk';
import type { Node, Parser } from 'web-tree-sitter';
import type { LanguageInfo } from '../languages';
import { KEY_ARGUMENT_LABELS, POSTHOG_RECEIVER, callsFor, type SdkCall } from '../sdk-calls';
import type { CallArg, Expr, FnFacts, JsFacts, KeyArg } from '../index/facts';
import { withParser, type TreeSitterRuntime } from './extract';
import { OTHER_VENDOR_RECEIVER } from './extract-file';
import { kotlin } from './languages/kotlin';

const KOTLIN_CALLS = callsFor('java');
const UNKNOWN: Expr = { t: 'unknown' };
const CLIENT: Expr = { t: 'client' };
const MAX_DEPTH = 600;
/** Types of the standard library and the platform that never hold a project's key or wrapper. */
const BUILTIN_TYPES = new Set(['String', 'CharSequence', 'Int', 'Long', 'Short', 'Byte', 'Double', 'Float', 'Boolean', 'Char', 'Any', 'Unit', 'Nothing', 'List', 'MutableList', 'Map', 'MutableMap', 'Set', 'MutableSet', 'Array', 'Pair', 'Triple', 'Result', 'Throwable', 'Exception', 'Context', 'Application', 'Activity', 'Fragment', 'View', 'Bundle', 'Intent']);
/** Type names that are PostHog's own (the Android facade object, its interface, the server client). */
const POSTHOG_TYPE = /^(?:com\.posthog\.(?:android\.|server\.|java\.)?)?PostHog(?:Interface|Android|SDK)?$/;
/** Methods the Android SDK takes key first and the server SDK distinct id first (jvm-key-arg.ts). */
const AMBIGUOUS = new Set(['isFeatureEnabled', 'getFeatureFlag', 'getFeatureFlagPayload', 'getFeatureFlagResult']);
const SERVER_IMPORT = /^[ \t]*import[ \t]+com\.posthog\.server\b/m;
const KEY_FIRST_IMPORT = /^[ \t]*import[ \t]+com\.posthog\.(?:android|java)\b/m;
const ID_LIKE = /(?:distinct|user|person|account|customer|device)|Id$|^id$/i;

/** Facts of one Kotlin file (never throws; a failed parse gives `error`). */
export function extractKotlinFacts(parser: Parser, file: string, text: string, lang: LanguageInfo, cancel?: () => boolean): JsFacts {
  const facts: JsFacts = {
    kind: 'js',
    file,
    language: lang.id,
    bindings: Object.create(null),
    imports: Object.create(null),
    exports: Object.create(null),
    stars: [],
    fns: [],
    sites: [],
    refs: [],
    specifiers: [],
    namespace: '',
  };
  const source = wellFormedText(text);
  const tree = parser.parse(source, null, { progressCallback: cancel });
  if (!tree) return { ...facts, error: 'parse failed: tree-sitter returned no tree' };
  try {
    new KotlinWalk(source, facts).run(tree.rootNode);
  } finally {
    tree.delete();
  }
  return facts;
}

/** Linkable facts of one Kotlin file; `{ error }` as for `extractTreeSitter`. */
export function extractKotlinTreeSitterFacts(rt: TreeSitterRuntime, file: string, text: string, lang: LanguageInfo): JsFacts | { error: string } {
  if (lang.grammar !== 'kotlin') return { error: `language '${lang.id}' has no Kotlin facts` };
  return withParser(rt, 'kotlin', (parser, cancel) => extractKotlinFacts(parser, file, text, lang, cancel));
}

/** The `package` line of a Kotlin file ('' for the default package), read from its text without a parse. */
export function kotlinPackageOf(text: string): string {
  const m = /^[ \t]*package[ \t]+([\w.`]+)/m.exec(text);
  return m ? m[1].replace(/`/g, '') : '';
}

// ---------- the walk ----------

interface TypeCtx {
  /** How code of this file reaches the type (`Outer.Inner` as a member of `Outer`). */
  self: Expr;
  props: Record<string, Expr>;
  /** Member names declared in the type's body (bare names inside it are these). */
  members: Set<string>;
  /** Candidate functions per member name (overloads: the one forwarding a key wins). */
  fns: Map<string, number[]>;
}

interface FnScope {
  vars: Map<string, Expr>;
  parent?: FnScope;
  /** An extension function's receiver type (its members are bare in the body). */
  receiver?: Expr;
}

class KotlinWalk extends FactsWalk {
  private readonly fileHasImport: boolean;
  private readonly keyFirst: 'server' | 'android' | undefined;
  private readonly topNames = new Set<string>();
  private readonly topFns = new Map<string, number[]>();
  private types: TypeCtx[] = [];
  private scope: FnScope | undefined;

  constructor(text: string, facts: JsFacts) {
    super(text, facts, MAX_DEPTH);
    this.fileHasImport = kotlin.importEvidence.test(text);
    this.keyFirst = SERVER_IMPORT.test(text) ? 'server' : KEY_FIRST_IMPORT.test(text) ? 'android' : undefined;
  }

  run(root: Node): void {
    for (const c of root.namedChildren) {
      if (!c) continue;
      const n = declaredName(c);
      if (n) this.topNames.add(n);
    }
    for (const c of root.namedChildren) if (c) this.visit(c);
    for (const [name, ids] of this.topFns) this.facts.bindings[name] = { t: 'fn', id: this.pick(ids) };
  }

  /** Of overloads, the first that forwards something. */
  private pick(ids: number[]): number {
    return ids.find((id) => this.facts.fns[id].forwards.length) ?? ids[0];
  }

  // ---------- declarations ----------

  protected visitInner(node: Node): void {
    switch (node.type) {
      case 'comment':
      case 'line_comment':
      case 'multiline_comment':
      case 'simple_identifier':
      case 'string_literal':
        return;
      case 'package_header':
        this.facts.namespace = identifierText(node);
        return;
      case 'import_list':
        return this.visitChildren(node);
      case 'import_header':
        return this.importHeader(node);
      case 'class_declaration':
      case 'object_declaration':
        return this.typeDeclaration(node);
      case 'companion_object':
        return this.companion(node);
      case 'object_literal':
        // An anonymous object's members belong to nobody the linker can name.
        return this.inScope(() => undefined, () => this.visitChildren(node));
      case 'function_declaration':
        return this.functionDeclaration(node);
      case 'property_declaration':
        return this.propertyDeclaration(node);
      case 'lambda_literal':
        return this.inScope(
          (vars) => {
            for (const p of node.descendantsOfType('lambda_parameters')) for (const id of p?.descendantsOfType('simple_identifier') ?? []) if (id) vars.set(id.text, UNKNOWN);
            vars.set('it', UNKNOWN);
          },
          () => this.visitChildren(node),
        );
      case 'call_expression':
        this.visitCall(node);
        return this.visitChildren(node);
      default:
        if (this.scope && (node.type === 'for_statement' || node.type === 'catch_block' || node.type === 'when_subject')) {
          for (const v of node.namedChildren) if (v?.type === 'variable_declaration') this.scope.vars.set(v.namedChild(0)?.text ?? '', UNKNOWN);
        }
        this.visitChildren(node);
    }
  }

  private inScope(fill: (vars: Map<string, Expr>) => Expr | undefined | void, body: () => void): void {
    const vars = new Map<string, Expr>();
    const receiver = fill(vars) ?? undefined;
    const outer = this.scope;
    this.scope = { vars, parent: outer, receiver };
    try {
      body();
    } finally {
      this.scope = outer;
    }
  }

  private importHeader(node: Node): void {
    const path = identifierText(node);
    if (!path) return;
    if (node.namedChildren.some((c) => c?.type === 'wildcard_import')) {
      if (!this.facts.stars.includes(path)) this.facts.stars.push(path);
      return;
    }
    const dot = path.lastIndexOf('.');
    if (dot < 0) return;
    const from = path.slice(0, dot);
    const name = path.slice(dot + 1);
    const alias = node.namedChildren.find((c) => c?.type === 'import_alias')?.namedChild(0)?.text ?? name;
    this.facts.imports[alias] = { from, name };
    // An imported extension function (`import com.acme.flags.isOn`), for calls with a receiver.
    if (/^[a-z]/.test(name)) this.facts.imports['.' + alias] = { from, name: '.' + name };
    if (!this.facts.specifiers.includes(from)) this.facts.specifiers.push(from);
  }

  private typeDeclaration(node: Node): void {
    const name = node.namedChildren.find((c) => c?.type === 'type_identifier')?.text;
    const body = node.namedChildren.find((c) => c?.type === 'class_body' || c?.type === 'enum_class_body') ?? null;
    if (!name || this.scope) {
      // A local or anonymous type: its members are nobody else's business.
      if (body) this.inScope(() => undefined, () => this.visitChildren(body));
      return;
    }
    const outer = this.types[this.types.length - 1];
    const props: Record<string, Expr> = Object.create(null);
    const obj: Expr = { t: 'obj', props };
    let self: Expr;
    if (outer) {
      outer.props[name] = obj;
      self = member(outer.self, [name]);
    } else {
      this.facts.bindings[name] = obj;
      self = { t: 'name', name };
      const bases = node.namedChildren.filter((c): c is Node => c?.type === 'delegation_specifier').map(baseTypeName).filter((b): b is string => !!b);
      const impls = (this.facts.impls ??= Object.create(null) as Record<string, string[]>);
      impls[name] = [name, ...bases.filter((b) => b !== name)];
    }
    const ctx: TypeCtx = { self, props, members: new Set(), fns: new Map() };
    const ctor = node.namedChildren.find((c) => c?.type === 'primary_constructor');
    const ctorProps: string[] = [];
    for (const p of ctor?.namedChildren ?? []) {
      if (p?.type !== 'class_parameter') continue;
      const id = p.namedChildren.find((c) => c?.type === 'simple_identifier');
      if (!id) continue;
      const isProp = p.namedChildren.some((c) => c?.type === 'binding_pattern_kind');
      ctorProps.push(isProp ? id.text : '');
      if (!isProp) continue;
      ctx.members.add(id.text);
      const t = p.namedChildren.find((c) => c && isTypeNode(c));
      props[id.text] = t ? typeExpr(t) : UNKNOWN;
    }
    for (const m of body?.namedChildren ?? []) {
      if (!m) continue;
      if (m.type === 'companion_object') {
        for (const cm of m.namedChildren.find((c) => c?.type === 'class_body')?.namedChildren ?? []) {
          const n = cm && declaredName(cm);
          if (n) ctx.members.add(n);
        }
        continue;
      }
      const n = declaredName(m);
      if (n) ctx.members.add(n);
    }
    this.types.push(ctx);
    try {
      for (const m of body?.namedChildren ?? []) {
        if (!m) continue;
        if (m.type === 'enum_entry') this.enumEntry(m, ctx, ctorProps);
        else this.visit(m);
      }
    } finally {
      this.types.pop();
    }
    for (const [n, ids] of ctx.fns) props[n] = { t: 'fn', id: this.pick(ids) };
  }

  /** A companion object's members are the class's own (`Screen.KEY`), and also `Screen.Companion.KEY` (or its name). */
  private companion(node: Node): void {
    const type = this.types[this.types.length - 1];
    const body = node.namedChildren.find((c) => c?.type === 'class_body');
    if (!type || !body || this.scope) return;
    const name = node.namedChildren.find((c) => c?.type === 'type_identifier')?.text ?? 'Companion';
    type.props[name] = type.self; // the class itself (facts are data: no cycle)
    this.visitChildren(body);
  }

  /** `X("x", …)`: each argument that is a string literal is the value of the constructor's property at its position. */
  private enumEntry(node: Node, type: TypeCtx, ctorProps: string[]): void {
    const id = node.namedChildren.find((c) => c?.type === 'simple_identifier');
    if (!id) return;
    const props: Record<string, Expr> = Object.create(null);
    props.name = { t: 'str', value: id.text, span: this.spanOf(id) };
    const args = node.namedChildren.find((c) => c?.type === 'value_arguments');
    let i = 0;
    for (const a of args?.namedChildren ?? []) {
      if (a?.type !== 'value_argument') continue;
      const kids = a.namedChildren.filter((c): c is Node => !!c);
      const value = kids[kids.length - 1];
      const named = a.children.some((c) => c?.type === '=');
      const prop = named ? kids[0]?.text : ctorProps[i];
      i++;
      if (!prop || !value) continue;
      const lit = kotlin.readLiteral(value, this.text);
      if (lit && lit !== 'dynamic') props[prop] = { t: 'str', value: lit.value, span: this.lines.span(lit.start, lit.end) };
    }
    type.props[id.text] = { t: 'obj', props };
  }

  private propertyDeclaration(node: Node): void {
    const decl = node.namedChildren.find((c) => c?.type === 'variable_declaration');
    const id = decl?.namedChildren.find((c) => c?.type === 'simple_identifier');
    if (!decl || !id) return this.visitChildren(node);
    const annotation = decl.namedChildren.find((c) => c && isTypeNode(c));
    const valueNode = node.lastNamedChild && node.lastNamedChild.id !== decl.id && node.lastNamedChild.type !== 'property_delegate' && node.lastNamedChild.type !== 'getter' ? node.lastNamedChild : null;
    const annotated = annotation ? typeExpr(annotation) : UNKNOWN;
    const v = valueNode ? this.toExpr(valueNode) : UNKNOWN;
    // The declared type is what a call on it dispatches on (`val flags: FlagService = PostHogFlags()`).
    const value = v.t === 'str' || v.t === 'client' || annotated.t === 'unknown' ? v : annotated;
    if (this.scope) this.scope.vars.set(id.text, value);
    else {
      const type = this.types[this.types.length - 1];
      if (type) type.props[id.text] = value;
      else this.facts.bindings[id.text] = value;
    }
    for (const c of node.namedChildren) if (c && c.id !== decl.id) this.visit(c);
  }

  private functionDeclaration(node: Node): void {
    const nameNode = node.namedChildren.find((c) => c?.type === 'simple_identifier');
    const name = nameNode?.text ?? '?';
    // `fun Receiver.name(…)`: a type written before the name.
    const receiverNode = nameNode ? node.namedChildren.find((c) => c && isTypeNode(c) && c.startIndex < nameNode.startIndex) : undefined;
    const id = this.facts.fns.length;
    const fn: FnFacts = { name, forwards: [] };
    this.facts.fns.push(fn);
    if (this.scope) this.scope.vars.set(name, UNKNOWN);
    else {
      const type = this.types[this.types.length - 1];
      const list = type ? type.fns : this.topFns;
      push(list, name, id);
      if (!type && receiverNode) push(this.topFns, '.' + name, id);
    }
    const receiver = receiverNode ? typeExpr(receiverNode) : undefined;
    this.inScope(
      (vars) => {
        const params = node.namedChildren.find((c) => c?.type === 'function_value_parameters');
        const names: string[] = [];
        for (const p of params?.namedChildren ?? []) {
          if (p?.type !== 'parameter') continue;
          const pid = p.namedChildren.find((c) => c?.type === 'simple_identifier');
          if (!pid) continue;
          const t = p.namedChildren.find((c) => c && isTypeNode(c));
          const param: Expr = { t: 'param', fn: id, index: names.length, path: [] };
          const type = t ? typeExpr(t) : UNKNOWN;
          if (type.t !== 'unknown') param.type = type;
          vars.set(pid.text, param);
          names.push(pid.text);
        }
        if (names.length) fn.params = names;
        return receiver;
      },
      () => {
        const body = node.namedChildren.find((c) => c?.type === 'function_body');
        if (body) this.visit(body);
      },
    );
  }

  // ---------- expressions ----------

  private lookup(name: string): Expr {
    for (let s = this.scope; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v) return v;
    }
    for (let i = this.types.length - 1; i >= 0; i--) if (this.types[i].members.has(name)) return member(this.types[i].self, [name]);
    if (this.topNames.has(name)) return { t: 'name', name };
    if (POSTHOG_TYPE.test(name) && !this.facts.imports[name]) return CLIENT;
    const imp = this.facts.imports[name];
    if (imp && /^com\.posthog\b/.test(imp.from) && POSTHOG_TYPE.test(imp.name)) return CLIENT;
    return { t: 'name', name };
  }

  private isLocal(name: string): boolean {
    for (let s = this.scope; s; s = s.parent) if (s.vars.has(name)) return true;
    return false;
  }

  private receiverType(): Expr | undefined {
    for (let s = this.scope; s; s = s.parent) if (s.receiver) return s.receiver;
    return undefined;
  }

  /** What an expression is, without walking it. */
  private toExpr(node: Node, depth = 0): Expr {
    if (depth > 64) return UNKNOWN;
    switch (node.type) {
      case 'string_literal': {
        const lit = kotlin.readLiteral(node, this.text);
        if (!lit || lit === 'dynamic') return UNKNOWN;
        return { t: 'str', value: lit.value, span: this.lines.span(lit.start, lit.end) };
      }
      case 'simple_identifier':
        return this.lookup(node.text);
      case 'this_expression':
        return this.receiverType() ?? this.types[this.types.length - 1]?.self ?? UNKNOWN;
      case 'parenthesized_expression':
      case 'postfix_expression': {
        // `(x)`, `x!!`
        const inner = node.namedChild(0);
        return inner && (node.type === 'parenthesized_expression' || node.text.endsWith('!!')) ? this.toExpr(inner, depth + 1) : UNKNOWN;
      }
      case 'as_expression': {
        const t = node.namedChildren.find((c) => c && isTypeNode(c));
        return t ? typeExpr(t) : UNKNOWN;
      }
      case 'navigation_expression': {
        const target = node.namedChild(0);
        const suffix = node.namedChildren.find((c) => c?.type === 'navigation_suffix')?.namedChild(0);
        if (!target || suffix?.type !== 'simple_identifier') return UNKNOWN;
        return member(this.toExpr(target, depth + 1), [suffix.text]);
      }
      case 'call_expression': {
        // `T(…)`: an instance of T.
        const callee = node.namedChild(0);
        if (callee?.type === 'simple_identifier' && /^[A-Z]/.test(callee.text) && !this.isLocal(callee.text)) {
          const t = this.lookup(callee.text);
          return t.t === 'client' ? t : t.t === 'name' || t.t === 'member' ? { t: 'new', callee: t } : UNKNOWN;
        }
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private keyArg(node: Node): KeyArg {
    const text = this.text.slice(node.startIndex, node.endIndex);
    let n = node;
    while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
    const lit = kotlin.readLiteral(n, this.text);
    if (lit && lit !== 'dynamic') {
      const span = this.lines.span(lit.start, lit.end);
      return { expr: { t: 'str', value: lit.value, span }, span, text };
    }
    const span = this.spanOf(node);
    if (lit === 'dynamic') return { expr: UNKNOWN, span, text };
    const expr = this.toExpr(n);
    if (n.type === 'simple_identifier' || n.type === 'navigation_expression') {
      const root = expr.t === 'member' ? expr.base : expr;
      if (root.t === 'name') this.facts.refs.push({ span, expr });
    }
    return { expr, span, text };
  }

  // ---------- calls ----------

  private visitCall(node: Node): void {
    const fnNode = node.namedChild(0);
    const suffix = node.namedChildren.find((c) => c?.type === 'call_suffix');
    const argsNode = suffix?.namedChildren.find((c) => c?.type === 'value_arguments') ?? null;
    if (!fnNode) return;
    let name: string | undefined;
    let receiver: Node | null = null;
    if (fnNode.type === 'simple_identifier') name = fnNode.text;
    else if (fnNode.type === 'navigation_expression') {
      const s = fnNode.namedChildren.find((c) => c?.type === 'navigation_suffix')?.namedChild(0);
      if (s?.type === 'simple_identifier') name = s.text;
      receiver = fnNode.namedChild(0);
    }
    if (!name) return;
    const args = this.callArgs(argsNode);
    const sdk = KOTLIN_CALLS.get(name);
    let callee: Expr = UNKNOWN;
    let rx: Expr = UNKNOWN;
    if (receiver) {
      if (this.otherVendor(receiver)) return;
      rx = this.toExpr(receiver);
      const root = rx.t === 'member' ? rx.base : rx;
      // A receiver the file cannot type: only an extension function can be meant.
      if (root.t === 'unknown' || (root.t === 'param' && !root.type)) callee = { t: 'name', name: '.' + name };
      // A typed parameter is followed for its type only: its method, as the type's (what wrapper discovery reads).
      else if (rx.t === 'param' && rx.type && !rx.path.length) callee = member(rx.type, [name]);
      else callee = member(rx, [name]);
    } else if (!this.isLocal(name)) callee = this.lookup(name);
    if (sdk && sdk.key.form === 'arg') {
      const claim = this.claim(sdk, receiver, rx);
      if (claim !== false) this.sdkSite(sdk, receiver, args, claim);
      if (claim === true) return;
    }
    if (!args.length) return;
    if (callee.t !== 'name' && callee.t !== 'member' && !(callee.t === 'param' && callee.type)) return;
    args.forEach((a, i) => {
      if (a.expr.t !== 'param') return;
      const p = a.expr;
      this.facts.fns[p.fn].forwards.push({ param: p.index, path: p.path, to: 'call', callee, arg: a.name === undefined ? i : -1, argPath: [], ...(a.name !== undefined ? { argName: a.name } : {}) });
    });
    this.facts.sites.push({ t: 'call', call: name, callee, args });
  }

  /**
   * Whether a receiver is another vendor's client: named for it
   * (`braze.getFeatureFlag(id)`, `com.braze.Braze.getInstance(ctx)…`) or rooted
   * at a name imported from its package (`import com.braze.Braze as Engage`,
   * then `Engage.getInstance(ctx).getFeatureFlag(id)`).
   */
  private otherVendor(receiver: Node): boolean {
    if (OTHER_VENDOR_RECEIVER.test(this.text.slice(receiver.startIndex, receiver.endIndex))) return true;
    let root: Node | null = receiver;
    for (let i = 0; root && root.type !== 'simple_identifier' && i < 64; i++) {
      if (root.type !== 'navigation_expression' && root.type !== 'call_expression' && root.type !== 'parenthesized_expression' && root.type !== 'postfix_expression') return false;
      root = root.namedChild(0);
    }
    if (!root || root.type !== 'simple_identifier' || this.isLocal(root.text)) return false;
    const imp = this.facts.imports[root.text];
    return !!imp && OTHER_VENDOR_RECEIVER.test(`${imp.from}.${imp.name}`);
  }

  /**
   * Whether an SDK-named call is PostHog's: `true` (it is), `{evidence}` (when
   * its receiver resolves to a PostHog client), or false (a project method).
   */
  private claim(sdk: SdkCall, receiver: Node | null, rx: Expr): true | { evidence: Expr } | false {
    if (!receiver) {
      // A method of the enclosing type called bare is the type's own; in an extension of a PostHog type, PostHog's.
      if (this.types.some((t) => t.members.has(sdk.name))) return false;
      const r = this.receiverType();
      if (r && isClientExpr(r)) return true;
      if (r && r.t === 'iface') return { evidence: r };
      return this.fileHasImport;
    }
    if (isClientExpr(rx)) return true;
    const root = rx.t === 'member' ? rx.base : rx;
    // A receiver of a project type (a parameter, property or instance): whose method it is, the linker decides.
    if (root.t === 'iface' || root.t === 'new' || (root.t === 'param' && root.type)) return { evidence: rx };
    if (POSTHOG_RECEIVER.test(this.text.slice(receiver.startIndex, receiver.endIndex))) return true;
    if (root.t === 'name') return { evidence: rx };
    return !sdk.generic || this.fileHasImport ? true : false;
  }

  /** Arguments in order; a named argument (`key = …`) carries its name. */
  private callArgs(argsNode: Node | null): CallArg[] {
    const out: CallArg[] = [];
    for (const a of argsNode?.namedChildren ?? []) {
      if (a?.type !== 'value_argument') continue;
      const kids = a.namedChildren.filter((c): c is Node => !!c);
      const value = kids[kids.length - 1];
      if (!value) continue;
      const named = a.children.some((c) => c?.type === '=');
      const arg: CallArg = this.keyArg(value);
      if (named && kids[0]) arg.name = kids[0].text;
      out.push(arg);
    }
    return out;
  }

  private sdkSite(sdk: SdkCall, receiver: Node | null, args: CallArg[], claim: true | { evidence: Expr }): void {
    if (sdk.key.form !== 'arg') return;
    const named = args.find((a) => a.name !== undefined && KEY_ARGUMENT_LABELS.has(a.name));
    const positional = args.filter((a) => a.name === undefined);
    const key = named ?? positional[this.keyIndex(sdk, receiver, positional)];
    const keys: KeyArg[] = key ? [{ expr: key.expr, span: key.span, text: key.text }] : [];
    const evidence = claim === true ? undefined : claim.evidence;
    for (const k of keys) {
      if (k.expr.t !== 'param') continue;
      this.facts.fns[k.expr.fn].forwards.push({ param: k.expr.index, path: k.expr.path, to: 'sdk', evidence });
    }
    this.facts.sites.push({ t: 'sdk', call: sdk.name, keys, evidence });
  }

  /** jvm-key-arg.ts, with what one file knows of each argument: the Android facade and imports decide, else the arguments' shape. */
  private keyIndex(sdk: SdkCall, receiver: Node | null, positional: CallArg[]): number {
    if (!AMBIGUOUS.has(sdk.name) || positional.length < 2) return sdk.key.form === 'arg' ? sdk.key.arg : 0;
    if (receiver && /^(?:com\.posthog\.)?PostHog(?:\.Companion)?$/.test(this.text.slice(receiver.startIndex, receiver.endIndex).replace(/\s+/g, ''))) return 0;
    if (this.keyFirst === 'server') return 1;
    if (this.keyFirst === 'android') return 0;
    const [a, b] = positional;
    if (this.keyLike(b) && !this.keyLike(a)) return 1;
    if (this.idLike(a) && !this.idLike(b) && b.expr.t !== 'unknown') return 1;
    return 0;
  }

  /** A literal, a constant-looking reference (`Flags.X`, `Flag.X.key`), or a parameter's property (`flag.key`). */
  private keyLike(a: CallArg): boolean {
    const e = a.expr;
    if (e.t === 'str') return true;
    if (e.t === 'param') return e.path.length > 0 || /flag|key|feature/i.test(this.paramName(e) ?? '');
    if (e.t === 'member') return /^[A-Z_][A-Z0-9_]*$/.test(e.path[e.path.length - 1]) || e.path[e.path.length - 1] === 'key';
    return e.t === 'name' && /^[A-Z_][A-Z0-9_]*$/.test(e.name);
  }

  private idLike(a: CallArg): boolean {
    return ID_LIKE.test(a.text.split('.').pop() ?? '');
  }

  private paramName(e: Extract<Expr, { t: 'param' }>): string | undefined {
    return this.facts.fns[e.fn]?.params?.[e.index];
  }
}

// ---------- helpers ----------

/** The name a top-level or member declaration binds. */
function declaredName(n: Node): string | undefined {
  switch (n.type) {
    case 'class_declaration':
    case 'object_declaration':
      return n.namedChildren.find((c) => c?.type === 'type_identifier')?.text;
    case 'function_declaration':
      return n.namedChildren.find((c) => c?.type === 'simple_identifier')?.text;
    case 'property_declaration':
      return n.namedChildren.find((c) => c?.type === 'variable_declaration')?.namedChildren.find((c) => c?.type === 'simple_identifier')?.text;
    case 'enum_entry':
      return n.namedChildren.find((c) => c?.type === 'simple_identifier')?.text;
    default:
      return undefined;
  }
}

/** `com.acme.flags` of a package or import header. */
function identifierText(n: Node): string {
  const id = n.namedChildren.find((c) => c?.type === 'identifier');
  return id ? id.namedChildren.map((c) => c?.text.replace(/`/g, '') ?? '').join('.') : '';
}

function isTypeNode(n: Node): boolean {
  return n.type === 'user_type' || n.type === 'nullable_type';
}

/** The supertype a `: Base()` / `: Iface` / `: Iface by impl` names. */
function baseTypeName(spec: Node): string | undefined {
  const t = spec.namedChildren.find((c) => c?.type === 'user_type') ?? spec.namedChildren.find((c) => c?.type === 'constructor_invocation' || c?.type === 'explicit_delegation')?.namedChildren.find((c) => c?.type === 'user_type');
  return t ? userTypeName(t) : undefined;
}

/** `Foo`, `Outer.Inner` (type arguments dropped). */
function userTypeName(n: Node): string | undefined {
  const parts = n.namedChildren.filter((c): c is Node => c?.type === 'type_identifier').map((c) => c.text);
  return parts.length ? parts.join('.') : undefined;
}

/** The value a declared type stands for: a PostHog client, a project type, or unknown (builtins, function types). */
function typeExpr(n: Node): Expr {
  let t: Node | null = n;
  while (t && t.type === 'nullable_type') t = t.namedChild(0);
  const name = t?.type === 'user_type' ? userTypeName(t) : undefined;
  if (!name) return UNKNOWN;
  if (POSTHOG_TYPE.test(name)) return CLIENT;
  if (BUILTIN_TYPES.has(name)) return UNKNOWN;
  return { t: 'iface', name };
}

function isClientExpr(e: Expr): boolean {
  const root = e.t === 'member' ? e.base : e;
  return root.t === 'client' || (root.t === 'param' && root.type?.t === 'client');
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `base.path`, parameters and nested members folded. */
function member(base: Expr, path: string[]): Expr {
  switch (base.t) {
    case 'param':
      return { ...base, path: [...base.path, ...path] };
    case 'member':
      return { t: 'member', base: base.base, path: [...base.path, ...path] };
    case 'client':
      return CLIENT;
    case 'name':
    case 'iface':
    case 'fn':
    case 'new':
      return { t: 'member', base, path };
    default:
      return UNKNOWN;
  }
}
