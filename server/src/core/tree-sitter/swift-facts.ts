/**
 * Swift facts for the linker (the JS facts shape, `language: 'swift'`): one
 * tree-sitter parse, one walk, modelled on python-facts.ts.
 *
 * Swift has no imports inside a module: every type of the target is visible
 * in every file, and a type's members may be spread over its declaration and
 * extensions in several files. So a type is never a file's name: a reference
 * to type `T` is `{t: 'iface', name: 'T'}`, and each file that declares or
 * extends `T` binds `T` to the members it writes and lists `T` among its
 * `impls` (itself first, then what it conforms to or inherits from). The
 * linker then finds `T.x` on whichever file holds `x`, a protocol method
 * through the type whose method forwards a key (the PostHog implementation,
 * not the test double), and an extension method of a protocol from a type
 * conforming to it. Instances and the type itself are not told apart
 * (`T()`, `T.shared`, `Self.key`, a parameter typed `T` or `any T`).
 *
 * Keys: string literals, `static let` constants (`Self.x`, `Type.x`, bare
 * inside the type), top-level `let`s of the file, enum cases with raw values
 * (`Flag.x.rawValue`; a `String` enum case without one is its own name), and
 * a parameter's `rawValue` forwarded by a wrapper.
 *
 * Wrappers: functions and methods whose parameter reaches a key position,
 * matched at call sites by argument label (`#i` for the i-th unlabelled one).
 * Overloads of one name in one type are merged: their parameters are told
 * apart by label.
 *
 * Precision: an SDK name is claimed on a receiver named like PostHog or
 * resolving to its client (`PostHogSDK.shared`, a parameter typed
 * `PostHogSDK`); on a receiver of a project type it is that type's method (a
 * wrapper only if the implementation forwards a key); other vendors'
 * receivers claim nothing. Bare and unknown receivers keep the rule of the
 * per-file extraction: generic names need the file's `import PostHog`.
 */
import { wellFormedText } from '../text';
import { FactsWalk } from './facts-walk';
import { emptyJsFacts } from '../index/facts-build';
import type { Node, Parser } from 'web-tree-sitter';
import type { LanguageInfo } from '../languages';
import { KEY_ARGUMENT_LABELS, POSTHOG_RECEIVER, callsFor, type SdkCall } from '../sdk-calls';
import type { CallArg, Expr, FnFacts, JsFacts, KeyArg } from '../index/facts';
import { withParser, type TreeSitterRuntime } from './extract';
import { OTHER_VENDOR_RECEIVER } from './extract-file';
import { swift } from './languages/swift';

const SWIFT_CALLS = callsFor('swift');
const UNKNOWN: Expr = { t: 'unknown' };
const CLIENT: Expr = { t: 'client' };
const MAX_DEPTH = 600;
/** Types of the standard library and the SDK that never hold a project's key or wrapper. */
const BUILTIN_TYPES = new Set(['String', 'Substring', 'Int', 'Int64', 'Int32', 'UInt', 'Double', 'Float', 'Bool', 'Any', 'AnyObject', 'Character', 'Void', 'Never', 'Data', 'Date', 'URL', 'UUID', 'Array', 'Dictionary', 'Set', 'Optional', 'Result', 'Error', 'Self']);
/** Type names that are PostHog's own (`PostHogSDK`, the `PostHog` module). */
const POSTHOG_TYPE = /^PostHog(?:SDK)?$/;

/** Facts of one Swift file (never throws; a failed parse gives `error`). */
export function extractSwiftFacts(parser: Parser, file: string, text: string, lang: LanguageInfo, cancel?: () => boolean): JsFacts {
  const facts = emptyJsFacts(file, lang.id);
  const source = wellFormedText(text);
  const tree = parser.parse(source, null, { progressCallback: cancel });
  if (!tree) return { ...facts, error: 'parse failed: tree-sitter returned no tree' };
  try {
    new SwiftWalk(source, facts).run(tree.rootNode);
  } finally {
    tree.delete();
  }
  return facts;
}

/** Linkable facts of one Swift file; `{ error }` as for `extractTreeSitter`. */
export function extractSwiftTreeSitterFacts(rt: TreeSitterRuntime, file: string, text: string, lang: LanguageInfo): JsFacts | { error: string } {
  if (lang.grammar !== 'swift') return { error: `language '${lang.id}' has no Swift facts` };
  return withParser(rt, 'swift', (parser, cancel) => extractSwiftFacts(parser, file, text, lang, cancel));
}

/** A declaration (`class/struct/enum/actor/protocol`) or an extension of type `name`, as a regular expression on source text. */
export function swiftDeclares(text: string, name: string): boolean {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\b(?:class|struct|enum|actor|protocol|extension)\\s+${n}\\b`).test(text);
}

// ---------- the walk ----------

interface TypeCtx {
  /** The type's name as other code spells it (`Outer.Inner` for nested types). */
  name: string;
  self: Expr;
  /** Member names the file declares for this type (any of its declarations or extensions here). */
  members: Set<string>;
}

interface FnScope {
  vars: Map<string, Expr>;
  parent?: FnScope;
}

interface TypeDecl {
  name: string;
  node: Node;
  bases: string[];
  kind: string;
}

class SwiftWalk extends FactsWalk {
  private readonly fileHasImport: boolean;
  /** Members (name → values) per type name, over all declarations and extensions in this file. */
  private readonly typeProps = new Map<string, Map<string, Expr[]>>();
  private readonly typeMembers = new Map<string, Set<string>>();
  private readonly topNames = new Set<string>();
  private readonly topValues = new Map<string, Expr[]>();
  private type: TypeCtx | undefined;
  private scope: FnScope | undefined;

  constructor(text: string, facts: JsFacts) {
    super(text, facts, MAX_DEPTH);
    this.fileHasImport = swift.importEvidence.test(text);
  }

  run(root: Node): void {
    // First every type's member names and the file's top-level names: bare names inside a type resolve to its members.
    this.collect(root, undefined);
    for (const c of root.namedChildren) if (c) this.visit(c);
    this.finish();
  }

  private finish(): void {
    const f = this.facts;
    for (const [name, values] of this.topValues) {
      const known = values.filter((v) => v.t !== 'unknown');
      f.bindings[name] = known.length ? combine(known) : UNKNOWN;
      f.exports[name] = { local: name };
    }
    for (const [type, props] of this.typeProps) {
      const obj: Record<string, Expr> = Object.create(null);
      for (const [k, vs] of props) {
        const known = vs.filter((v) => v.t !== 'unknown');
        obj[k] = known.length ? this.combineMembers(known) : UNKNOWN;
      }
      f.bindings[type] = { t: 'obj', props: obj };
    }
  }

  /** Overloads of a method merge into one function whose parameters are told apart by label. */
  private combineMembers(values: Expr[]): Expr {
    const fns = values.filter((v): v is Extract<Expr, { t: 'fn' }> => v.t === 'fn');
    if (fns.length < 2) return combine(values);
    const first = this.facts.fns[fns[0].id];
    const merged: FnFacts = { name: first.name, forwards: [], params: [] };
    const id = this.facts.fns.length;
    this.facts.fns.push(merged);
    for (const v of fns) {
      const fn = this.facts.fns[v.id];
      const offset = merged.params!.length;
      merged.params!.push(...(fn.params ?? []));
      for (const fw of fn.forwards) merged.forwards.push({ ...fw, param: fw.param + offset });
    }
    // One overload calling another (`isOn(_ flag: Flag)` → `isOn(flag: flag.rawValue)`): the linker would meet a cycle, so follow it here.
    const labels = merged.params!;
    for (let grew = true; grew; ) {
      grew = false;
      for (const fw of [...merged.forwards]) {
        if (fw.to !== 'call' || fw.argName === undefined || fw.argPath.length || fw.callee.t !== 'member' || fw.callee.path.length !== 1 || fw.callee.path[0] !== merged.name) continue;
        const target = labels.indexOf(fw.argName);
        for (const t of merged.forwards) {
          if (t.param !== target || t.path.length || t === fw) continue;
          const copy = { ...t, param: fw.param, path: fw.path };
          if (merged.forwards.some((o) => JSON.stringify(o) === JSON.stringify(copy))) continue;
          merged.forwards.push(copy);
          grew = true;
        }
      }
    }
    return { t: 'fn', id };
  }

  // ---------- declarations (first pass) ----------

  private collect(node: Node, outer: string | undefined): void {
    for (const c of node.namedChildren) {
      if (!c) continue;
      const decl = typeDecl(c, this.text);
      if (decl) {
        const name = outer && decl.kind !== 'extension' ? `${outer}.${decl.name}` : decl.name;
        if (outer && decl.kind !== 'extension') this.memberSet(outer).add(decl.name);
        else if (!outer) this.topNames.add(name);
        const members = this.memberSet(name);
        const body = c.childForFieldName('body');
        for (const m of body?.namedChildren ?? []) {
          if (!m) continue;
          for (const n of memberNamesOf(m)) members.add(n);
        }
        if (body) this.collect(body, name);
        continue;
      }
      if (!outer) for (const n of memberNamesOf(c)) this.topNames.add(n);
    }
  }

  private memberSet(type: string): Set<string> {
    let s = this.typeMembers.get(type);
    if (!s) this.typeMembers.set(type, (s = new Set()));
    return s;
  }

  private addProp(type: string, name: string, value: Expr): void {
    let props = this.typeProps.get(type);
    if (!props) this.typeProps.set(type, (props = new Map()));
    push(props, name, value);
  }

  // ---------- statements ----------

  protected visitInner(node: Node): void {
    const decl = typeDecl(node, this.text);
    if (decl) return this.typeDeclaration(node, decl);
    switch (node.type) {
      case 'comment':
      case 'multiline_comment':
      case 'import_declaration':
      case 'simple_identifier':
      case 'line_string_literal':
      case 'integer_literal':
        return;
      case 'function_declaration':
        return this.functionDeclaration(node);
      case 'init_declaration':
      case 'deinit_declaration':
      case 'subscript_declaration':
        return this.inScope(() => this.declareParams(node, -1), () => this.visitChildren(node));
      case 'protocol_function_declaration':
      case 'protocol_property_declaration':
      case 'typealias_declaration':
        return;
      case 'property_declaration':
        return this.propertyDeclaration(node);
      case 'lambda_literal':
        return this.inScope(
          (vars) => {
            for (const id of node.descendantsOfType('lambda_parameter')) {
              const n = id?.childForFieldName('name') ?? id?.namedChild(0);
              if (n) vars.set(n.text, UNKNOWN);
            }
          },
          () => this.visitChildren(node),
        );
      case 'call_expression':
        this.visitCall(node);
        return this.visitChildren(node);
      default:
        // `if let x = …`, `for x in …`, `case let .a(x)`: names bound where the walk is, values unknown.
        if (this.scope && node.type === 'pattern') for (const id of boundNames(node)) this.scope.vars.set(id, UNKNOWN);
        if (this.scope && (node.type === 'if_statement' || node.type === 'guard_statement' || node.type === 'for_statement' || node.type === 'while_statement')) {
          for (const c of node.childrenForFieldName('bound_identifier')) if (c) this.scope.vars.set(c.text, UNKNOWN);
        }
        this.visitChildren(node);
    }
  }

  private inScope(fill: (vars: Map<string, Expr>) => void, body: () => void): void {
    const vars = new Map<string, Expr>();
    fill(vars);
    const outer = this.scope;
    this.scope = { vars, parent: outer };
    try {
      body();
    } finally {
      this.scope = outer;
    }
  }

  private typeDeclaration(node: Node, decl: TypeDecl): void {
    if (this.scope) return this.visitChildren(node); // a local type: its members are nobody else's business
    const outer = this.type;
    const name = outer && decl.kind !== 'extension' ? `${outer.name}.${decl.name}` : decl.name;
    if (outer && decl.kind !== 'extension') this.addProp(outer.name, decl.name, { t: 'iface', name });
    const impls = (this.facts.impls ??= Object.create(null) as Record<string, string[]>);
    const list = (impls[name] ??= [name]);
    for (const b of decl.bases) if (!list.includes(b)) list.push(b);
    if (!this.typeProps.has(name)) this.typeProps.set(name, new Map());
    this.type = { name, self: { t: 'iface', name }, members: this.memberSet(name) };
    try {
      const body = node.childForFieldName('body');
      const isEnum = decl.kind === 'enum';
      const stringRaw = isEnum && decl.bases[0] === 'String';
      for (const m of body?.namedChildren ?? []) {
        if (!m) continue;
        if (m.type === 'enum_entry') this.enumEntry(m, name, stringRaw);
        else this.visit(m);
      }
    } finally {
      this.type = outer;
    }
  }

  private enumEntry(node: Node, type: string, stringRaw: boolean): void {
    const cases = node.childrenForFieldName('name').filter((n): n is Node => !!n);
    const raws = node.childrenForFieldName('raw_value').filter((n): n is Node => !!n);
    cases.forEach((c, i) => {
      const raw = raws[i] ? swift.readLiteral(raws[i], this.text) : null;
      let value: Expr = UNKNOWN;
      if (raw && raw !== 'dynamic') value = { t: 'str', value: raw.value, span: this.lines.span(raw.start, raw.end) };
      else if (!raws.length && stringRaw) value = { t: 'str', value: c.text, span: this.spanOf(c) };
      const props: Record<string, Expr> = Object.create(null);
      props.rawValue = value;
      this.addProp(type, c.text, { t: 'obj', props });
    });
  }

  private propertyDeclaration(node: Node): void {
    const nameNode = node.childForFieldName('name');
    const ids = nameNode ? boundNames(nameNode) : [];
    const valueNode = node.childForFieldName('value');
    let value: Expr = UNKNOWN;
    if (ids.length === 1) {
      const annotated = this.annotatedType(node);
      const v = valueNode ? this.toExpr(valueNode) : UNKNOWN;
      // The declared type is what a call on it dispatches on (`let p: any Provider = PostHogProvider.shared`).
      value = v.t === 'str' || v.t === 'client' || annotated.t === 'unknown' ? v : annotated;
      if (value.t === 'unknown') {
        const computed = node.childForFieldName('computed_value');
        const only = computed?.namedChildren.find((c) => c?.type === 'statements')?.namedChildren ?? computed?.namedChildren ?? [];
        if (only.length === 1 && only[0]?.type === 'line_string_literal') value = this.toExpr(only[0]);
      }
    }
    if (this.scope) {
      for (const id of ids) this.scope.vars.set(id, ids.length === 1 ? value : UNKNOWN);
    } else if (this.type) {
      for (const id of ids) this.addProp(this.type.name, id, ids.length === 1 ? value : UNKNOWN);
    } else {
      for (const id of ids) push(this.topValues, id, ids.length === 1 ? value : UNKNOWN);
    }
    // Accessor bodies and initial values are code of their own (their locals are no members).
    const rest = () => {
      for (const c of node.namedChildren) if (c && c.id !== nameNode?.id) this.visit(c);
    };
    if (this.scope) rest();
    else this.inScope(() => undefined, rest);
  }

  /** `let x: T`, `@Environment(T.self) var x`, `@EnvironmentObject var x: T`: the type a value is declared with. */
  private annotatedType(node: Node): Expr {
    const ann = node.namedChildren.find((c) => c?.type === 'type_annotation');
    const t = ann ? (ann.childForFieldName('name') ?? ann.namedChild(0)) : null;
    if (t) return typeExpr(t);
    const mods = node.namedChildren.find((c) => c?.type === 'modifiers');
    for (const attr of mods?.namedChildren ?? []) {
      const m = attr?.type === 'attribute' ? /^@Environment\s*\(\s*([A-Z][\w.]*)\.self\s*\)/.exec(attr.text) : null;
      if (m) return typeName(m[1]);
    }
    return UNKNOWN;
  }

  private functionDeclaration(node: Node): void {
    const name = node.childForFieldName('name')?.text ?? '?';
    const id = this.facts.fns.length;
    const fn: FnFacts = { name, forwards: [] };
    this.facts.fns.push(fn);
    const fnExpr: Expr = { t: 'fn', id };
    if (!this.scope) {
      if (this.type) this.addProp(this.type.name, name, fnExpr);
      else push(this.topValues, name, fnExpr);
    } else this.scope.vars.set(name, UNKNOWN);
    this.inScope(
      (vars) => {
        const params = this.declareParams(node, id, vars);
        if (params.length) fn.params = params;
      },
      () => {
        const body = node.childForFieldName('body');
        if (body) this.visit(body);
      },
    );
  }

  /** Binds the parameters of a function (`id` ≥ 0) or an initialiser; returns their labels (`#i` for an unlabelled one). */
  private declareParams(node: Node, id: number, vars = this.scope?.vars): string[] {
    const labels: string[] = [];
    let i = 0;
    for (const p of node.namedChildren) {
      if (p?.type !== 'parameter') continue;
      const ext = p.childForFieldName('external_name');
      const [inner, typeNode] = p.childrenForFieldName('name');
      if (!inner) continue;
      const label = ext ? (ext.text === '_' ? `#${i}` : ext.text) : inner.text;
      const type = typeNode ? typeExpr(typeNode) : UNKNOWN;
      if (id >= 0) {
        const param: Expr = { t: 'param', fn: id, index: labels.length, path: [] };
        if (type.t !== 'unknown') {
          param.type = type;
          const fn = this.facts.fns[id];
          if (type.t === 'iface' && fn) (fn.paramTypes ??= {})[labels.length] = type;
        }
        vars?.set(inner.text, param);
      } else vars?.set(inner.text, type);
      labels.push(label);
      i++;
    }
    return labels;
  }

  // ---------- expressions ----------

  private lookup(name: string): Expr {
    for (let s = this.scope; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v) return v;
    }
    if (name === 'self' || name === 'Self') return this.type?.self ?? UNKNOWN;
    if (this.type && this.type.members.has(name)) return { t: 'member', base: this.type.self, path: [name] };
    if (this.topNames.has(name) && this.typeMembers.has(name)) return { t: 'iface', name };
    if (this.topNames.has(name)) return { t: 'name', name };
    if (POSTHOG_TYPE.test(name)) return CLIENT;
    if (/^[A-Z]/.test(name)) return typeName(name);
    // A bare name inside a type that it does not declare here: a member declared elsewhere (an extension, a conformance).
    if (this.type) return { t: 'member', base: this.type.self, path: [name] };
    return UNKNOWN;
  }

  private isLocal(name: string): boolean {
    for (let s = this.scope; s; s = s.parent) if (s.vars.has(name)) return true;
    return false;
  }

  /** What an expression is, without walking it. */
  private toExpr(node: Node, depth = 0): Expr {
    if (depth > 64) return UNKNOWN;
    switch (node.type) {
      case 'line_string_literal':
      case 'multi_line_string_literal': {
        const lit = swift.readLiteral(node, this.text);
        if (!lit || lit === 'dynamic') return UNKNOWN;
        return { t: 'str', value: lit.value, span: this.lines.span(lit.start, lit.end) };
      }
      case 'simple_identifier':
        return this.lookup(node.text);
      case 'self_expression':
        return this.type?.self ?? UNKNOWN;
      case 'tuple_expression':
      case 'parenthesized_expression': {
        const only = node.namedChildCount === 1 ? node.namedChild(0) : null;
        const inner = only?.childForFieldName('value') ?? only;
        return inner ? this.toExpr(inner, depth + 1) : UNKNOWN;
      }
      case 'try_expression':
      case 'await_expression': {
        const inner = node.childForFieldName('expr') ?? node.lastNamedChild;
        return inner ? this.toExpr(inner, depth + 1) : UNKNOWN;
      }
      case 'navigation_expression': {
        const target = node.childForFieldName('target');
        const suffix = node.childForFieldName('suffix')?.childForFieldName('suffix');
        if (!target || suffix?.type !== 'simple_identifier') return UNKNOWN;
        const base = this.toExpr(target, depth + 1);
        return member(base, [suffix.text]);
      }
      case 'prefix_expression': {
        // `.newPaywall`: a member of the type the parameter is declared with, which only the callee knows
        // (the linker reads it there); alone it is nothing.
        const target = node.childForFieldName('target');
        if (target?.type === 'simple_identifier' && this.text.slice(node.startIndex, target.startIndex).trim() === '.') return { t: 'member', base: UNKNOWN, path: [target.text] };
        return UNKNOWN;
      }
      case 'call_expression': {
        const callee = node.namedChild(0);
        // `T(…)`, `T.init(…)`: an instance of T.
        if (callee?.type === 'simple_identifier' && /^[A-Z]/.test(callee.text) && !this.isLocal(callee.text)) {
          const t = this.lookup(callee.text);
          return t.t === 'iface' || t.t === 'client' ? t : UNKNOWN;
        }
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private keyArg(node: Node): KeyArg {
    const text = this.textOf(node);
    let n = node;
    while ((n.type === 'tuple_expression' || n.type === 'parenthesized_expression') && n.namedChildCount === 1) n = n.namedChild(0)!.childForFieldName('value') ?? n.namedChild(0)!;
    const lit = swift.readLiteral(n, this.text);
    if (lit && lit !== 'dynamic') {
      const span = this.lines.span(lit.start, lit.end);
      return { expr: { t: 'str', value: lit.value, span }, span, text };
    }
    const span = this.spanOf(node);
    if (lit === 'dynamic') return { expr: UNKNOWN, span, text };
    const expr = this.toExpr(n);
    if (n.type === 'simple_identifier' || n.type === 'navigation_expression') {
      const root = expr.t === 'member' ? expr.base : expr;
      if (root.t === 'name' || root.t === 'iface') this.facts.refs.push({ span, expr });
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
      const s = fnNode.childForFieldName('suffix')?.childForFieldName('suffix');
      if (s?.type === 'simple_identifier') name = s.text;
      receiver = fnNode.childForFieldName('target');
    }
    if (!name) return;
    const args = this.callArgs(argsNode);
    const sdk = SWIFT_CALLS.get(name);
    let callee: Expr = UNKNOWN;
    let rx: Expr = UNKNOWN;
    if (receiver) {
      if (OTHER_VENDOR_RECEIVER.test(this.textOf(receiver))) return;
      rx = this.toExpr(receiver);
      callee = member(rx, [name]);
    } else if (!this.isLocal(name)) callee = this.lookup(name);
    if (sdk && sdk.key.form === 'arg') {
      const claim = this.claim(sdk, receiver, rx, callee);
      if (claim !== false) this.sdkSite(sdk, args, claim);
      if (claim === true) return;
    }
    if (!args.length) return;
    if (callee.t !== 'name' && callee.t !== 'member' && callee.t !== 'fn' && !(callee.t === 'param' && callee.type)) return;
    for (const a of args) {
      if (a.expr.t !== 'param') continue;
      const p = a.expr;
      this.facts.fns[p.fn].forwards.push({ param: p.index, path: p.path, to: 'call', callee, arg: -1, argPath: [], argName: a.name! });
    }
    this.facts.sites.push({ t: 'call', call: name, callee, args });
  }

  /**
   * Whether an SDK-named call is PostHog's: `true` (it is), `{evidence}` (when
   * its receiver resolves to a PostHog client), or false (a project method).
   */
  private claim(sdk: SdkCall, receiver: Node | null, rx: Expr, callee: Expr): true | { evidence: Expr } | false {
    if (!receiver) {
      // A method of the enclosing type called bare is the type's own.
      if (callee.t === 'member' && this.type?.members.has(sdk.name)) return false;
      return this.fileHasImport ? true : false;
    }
    if (POSTHOG_RECEIVER.test(this.textOf(receiver))) return true;
    if (isClientExpr(rx)) return true;
    const root = rx.t === 'member' ? rx.base : rx;
    // A receiver of a project type (a parameter, property or instance): whose method it is, the linker decides.
    if (root.t === 'iface' || (root.t === 'param' && root.type) || root.t === 'name') return { evidence: rx };
    return !sdk.generic || this.fileHasImport ? true : false;
  }

  /** Arguments in order, each named by its label (`#i` for the i-th unlabelled one). */
  private callArgs(argsNode: Node | null): CallArg[] {
    const out: CallArg[] = [];
    let i = 0;
    for (const a of argsNode?.namedChildren ?? []) {
      if (a?.type !== 'value_argument') continue;
      const value = a.childForFieldName('value');
      if (!value) continue;
      const label = a.childForFieldName('name')?.text.replace(/\s+|:$/g, '');
      out.push({ ...this.keyArg(value), name: label || `#${i}` });
      i++;
    }
    return out;
  }

  private sdkSite(sdk: SdkCall, args: CallArg[], claim: true | { evidence: Expr }): void {
    if (sdk.key.form !== 'arg') return;
    const named = args.find((a) => a.name !== undefined && KEY_ARGUMENT_LABELS.has(a.name));
    const positional = args.filter((a) => a.name?.startsWith('#'));
    const key = named ?? positional[sdk.key.arg];
    const keys: KeyArg[] = key ? [{ expr: key.expr, span: key.span, text: key.text }] : [];
    const evidence = claim === true ? undefined : claim.evidence;
    for (const k of keys) {
      if (k.expr.t !== 'param') continue;
      this.facts.fns[k.expr.fn].forwards.push({ param: k.expr.index, path: k.expr.path, to: 'sdk', evidence });
    }
    this.facts.sites.push({ t: 'sdk', call: sdk.name, keys, evidence });
  }
}

// ---------- helpers ----------

/** `class/struct/enum/actor/extension` (class_declaration) and `protocol` declarations: name, kind and what they conform to. */
function typeDecl(node: Node, text: string): TypeDecl | undefined {
  if (node.type !== 'class_declaration' && node.type !== 'protocol_declaration') return undefined;
  const nameNode = node.childForFieldName('name');
  if (!nameNode) return undefined;
  const kind = node.type === 'protocol_declaration' ? 'protocol' : (node.childForFieldName('declaration_kind')?.text ?? text.slice(node.startIndex, node.endIndex).match(/\b(class|struct|enum|actor|extension)\b/)?.[1] ?? 'class');
  const name = typeNameText(nameNode);
  if (!name) return undefined;
  const bases: string[] = [];
  for (const c of node.namedChildren) {
    if (c?.type !== 'inheritance_specifier') continue;
    const t = c.childForFieldName('inherits_from') ?? c.namedChild(0);
    const b = t ? typeNameText(t) : undefined;
    if (b) bases.push(b);
  }
  return { name, node, bases, kind };
}

/** `Foo`, `Outer.Inner` (generic arguments dropped), from a type node. */
function typeNameText(n: Node): string | undefined {
  if (n.type === 'type_identifier' || n.type === 'simple_identifier') return n.text;
  if (n.type !== 'user_type') return undefined;
  const parts = n.namedChildren.filter((c): c is Node => c?.type === 'type_identifier').map((c) => c.text);
  return parts.length ? parts.join('.') : undefined;
}

/** The value a declared type stands for: a PostHog client, a project type, or unknown (builtins, functions, tuples). */
function typeExpr(n: Node): Expr {
  let t: Node | null = n;
  while (t && (t.type === 'optional_type' || t.type === 'existential_type' || t.type === 'opaque_type' || t.type === 'implicitly_unwrapped_type' || t.type === 'type_annotation')) {
    t = t.childForFieldName('wrapped') ?? t.namedChild(t.namedChildCount - 1);
  }
  const name = t ? typeNameText(t) : undefined;
  return name ? typeName(name) : UNKNOWN;
}

function typeName(name: string): Expr {
  if (POSTHOG_TYPE.test(name) || POSTHOG_TYPE.test(name.replace(/^PostHog\./, ''))) return CLIENT;
  if (BUILTIN_TYPES.has(name)) return UNKNOWN;
  return { t: 'iface', name };
}

/** Names a member or top-level declaration binds (properties, functions, enum cases, nested types). */
function memberNamesOf(m: Node): string[] {
  switch (m.type) {
    case 'property_declaration': {
      const n = m.childForFieldName('name');
      return n ? boundNames(n) : [];
    }
    case 'function_declaration':
    case 'protocol_function_declaration': {
      const n = m.childForFieldName('name');
      return n ? [n.text] : [];
    }
    case 'protocol_property_declaration': {
      const n = m.childForFieldName('name');
      return n ? boundNames(n) : [];
    }
    case 'enum_entry':
      return m.childrenForFieldName('name').filter((n): n is Node => !!n).map((n) => n.text);
    default:
      return [];
  }
}

function boundNames(n: Node): string[] {
  if (n.type === 'simple_identifier') return [n.text];
  const b = n.childForFieldName('bound_identifier');
  if (b) return [b.text];
  return n.namedChildren.flatMap((c) => (c && (c.type === 'pattern' || c.type === 'simple_identifier') ? boundNames(c) : []));
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

function combine(values: Expr[]): Expr {
  if (values.length === 1) return values[0];
  if (values.some((v) => v.t === 'client')) return CLIENT;
  const first = values[0];
  if (first.t === 'str' && values.every((v) => v.t === 'str' && v.value === first.value)) return first;
  if (values.every((v) => v.t === 'fn')) return values[values.length - 1];
  return values.every((v) => v.t === 'iface' && v.name === (first as { name?: string }).name) ? first : UNKNOWN;
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
