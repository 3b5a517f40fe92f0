/**
 * Python facts for the linker (the same shape as JS facts, `language:
 * 'python'`): one tree-sitter parse, one walk. Records module-level values
 * (string constants, dicts, classes with their constants, methods and
 * `self.x = …` attributes, functions, `X()` instances, PostHog clients),
 * imports (dotted specifiers, relative ones with leading dots), PostHog SDK
 * calls with their key argument, calls of project functions that may be
 * wrappers (positional and keyword arguments), and for each function which
 * parameter it forwards to a key position. Nothing is resolved across files
 * here; see ../index/linker.ts and ../index/python-modules.ts.
 *
 * Python has no export list: every module-level name is exported. A name
 * bound more than once keeps the value its bindings agree on (a string they
 * all hold, a client if any is one, the props of classes merged, the last
 * function), ignoring bindings whose value is unknown (`except ImportError:
 * X = None`).
 *
 * Precision: an SDK method name on a receiver that is neither PostHog's
 * (named like it, or resolving to a PostHog client) nor claimed on the
 * file's PostHog import (generic names) is not a usage; and a receiver that
 * resolves to a project object defining the method itself is that object's
 * method (a wrapper when it forwards a key), not an SDK call.
 */
import { wellFormedText } from '../text';
import { FactsWalk } from './facts-walk';
import type { Node, Parser } from 'web-tree-sitter';
import type { LanguageInfo } from '../languages';
import { KEY_ARGUMENT_LABELS, POSTHOG_RECEIVER, callsFor, type SdkCall } from '../sdk-calls';
import type { CallArg, Expr, FnFacts, ImportFact, JsFacts, KeyArg } from '../index/facts';
import { emptyJsFacts, member } from '../index/facts-build';
import { isPosthogPythonModule, pythonSubmodule } from '../index/python-modules';
import { withParser, type TreeSitterRuntime } from './extract';
import { OTHER_VENDOR_RECEIVER, triggerOffsets } from './extract-file';
import { python } from './languages/python';
import { blankQuietPython, parseQuiet, termsInBlanked } from './quiet-bodies';
import { termOffsets } from '../text';

const PY_CALLS = callsFor('python');
const UNKNOWN: Expr = { t: 'unknown' };
const CLIENT: Expr = { t: 'client' };
/** Deeper than this, the walk stops descending (the facts keep what was found above). */
const MAX_DEPTH = 900;
/** Words that keep a body loud besides the SDK names and wrapper names: where clients are made or held. */
const CLIENT_TERMS = ['posthog', 'Posthog', 'PostHog'];

export interface PythonQuietOptions {
  /** Shorter texts are parsed whole. */
  minLength: number;
  /** Names of wrappers known so far (their bodies' callers stay loud). */
  loud: readonly string[];
}

/**
 * Facts of one Python file. `quiet`: function bodies that mention no SDK
 * name, no PostHog word and no loud name are left out of the parse (see
 * ./quiet-bodies.ts); the facts then list the `blanked` ranges.
 */
export function extractPythonFacts(parser: Parser, file: string, text: string, lang: LanguageInfo, quiet?: PythonQuietOptions, cancel?: () => boolean): JsFacts {
  const facts = emptyJsFacts(file, lang.id);
  const source = wellFormedText(text);
  const q = quiet && source.length >= quiet.minLength ? blankQuietPython(source, loudOffsets(source, quiet.loud)) : undefined;
  const { tree, blanked } = parseQuiet(parser, source, q, cancel);
  if (blanked) facts.blanked = blanked;
  if (!tree) return { ...facts, error: 'parse failed: tree-sitter returned no tree' };
  try {
    new PythonWalk(source, facts).run(tree.rootNode);
  } finally {
    tree.delete();
  }
  return facts;
}

/**
 * Linkable facts of one Python file (see python-facts.ts): what the index
 * resolves across modules. Synchronous; never throws; `{ error }` as for
 * `extractTreeSitter`.
 */
export function extractPythonTreeSitterFacts(rt: TreeSitterRuntime, file: string, text: string, lang: LanguageInfo, quiet?: PythonQuietOptions): JsFacts | { error: string } {
  if (lang.grammar !== 'python') return { error: `language '${lang.id}' has no Python facts` };
  // withParser: a parse that throws or runs past the time limit costs this file only.
  return withParser(rt, 'python', (parser, cancel) => extractPythonFacts(parser, file, text, lang, quiet, cancel));
}

/** Sorted offsets of the SDK names, PostHog words, loud names and the aliases import lines give them. */
function loudOffsets(text: string, loud: readonly string[]): number[] {
  const out = triggerOffsets(python, 'python', text).map(([at]) => at);
  // Each list searched apart: the shared ones (the same arrays for every file) are compiled once.
  for (const terms of [CLIENT_TERMS, loud, [...pythonAliases(text, CLIENT_TERMS), ...pythonAliases(text, loud)]]) for (const at of termOffsets(text, terms)) out.push(at);
  return out.sort((a, b) => a - b);
}

const IMPORT_STATEMENT = /^[ \t]*(?:from[ \t]+[\w.]+[ \t]+import[ \t]*(?:\([^)]*\)|[^\n]*)|import[ \t]+[^\n]*)/gm;

/**
 * Every alias (`as x`) an import statement mentioning one of the terms binds
 * (`from app.flags import check as on`: a body calling `on` is loud).
 */
function pythonAliases(text: string, terms: readonly string[]): string[] {
  const out: string[] = [];
  if (!terms.length) return out;
  IMPORT_STATEMENT.lastIndex = 0;
  for (let m = IMPORT_STATEMENT.exec(text); m; m = IMPORT_STATEMENT.exec(text)) {
    const stmt = m[0];
    if (!/\bas\b/.test(stmt) || !terms.some((t) => stmt.includes(t))) continue;
    for (const a of stmt.matchAll(/\bas[ \t\r\n]+([A-Za-z_]\w*)/g)) out.push(a[1]);
  }
  return out;
}

/** True when a term (or an alias an import line gives one) occurs in a blanked range: reading the file again keeps more. */
export function pythonLoudInBlanked(text: string, ranges: readonly number[], terms: readonly string[]): boolean {
  return terms.length > 0 && (termsInBlanked(text, ranges, terms) || termsInBlanked(text, ranges, pythonAliases(text, terms)));
}

// ---------- the walk ----------

interface Scope {
  vars: Map<string, Expr>;
  /** Names bound once by a plain `name = value` (their value is kept; others stay unknown). */
  single: Set<string>;
  parent?: Scope;
}

interface ClassContext {
  self: Expr;
  /** Class-level bindings (constants, methods, nested classes). */
  values: Map<string, Expr[]>;
  /** `self.x = …` in its methods. */
  attrs: Map<string, Expr[]>;
}

type Claim = true | { evidence: Expr } | { unlessOwn: Expr };

const FUNCTION_TYPES = new Set(['function_definition', 'class_definition', 'decorated_definition', 'lambda']);
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

class PythonWalk extends FactsWalk {
  private readonly moduleNames = new Set<string>();
  private readonly moduleValues = new Map<string, Expr[]>();
  private readonly moduleImports = new Map<string, ImportFact[]>();
  /** `import a.b.c` binds `a` and makes `a.b`, `a.b.c` reachable: the dotted names. */
  private readonly dotted = new Set<string>();
  /** Module-level names bound to PostHog's SDK (`import posthog`, `from posthog import Posthog`). */
  private readonly posthogNames = new Set<string>();
  private readonly fileHasImport: boolean;
  private scope: Scope | undefined;
  private cls: ClassContext | undefined;

  constructor(text: string, facts: JsFacts) {
    super(text, facts, MAX_DEPTH);
    this.fileHasImport = python.importEvidence.test(text);
  }

  run(root: Node): void {
    const counts = new Map<string, number>();
    collectBound(root, counts, new Set());
    for (const n of counts.keys()) this.moduleNames.add(n);
    this.visitBlock(root);
    this.finishModule();
  }

  private finishModule(): void {
    const f = this.facts;
    const names = new Set([...this.moduleValues.keys(), ...this.moduleImports.keys()]);
    for (const name of names) {
      const values = (this.moduleValues.get(name) ?? []).filter((v) => v.t !== 'unknown');
      const imports = this.moduleImports.get(name) ?? [];
      if (values.length) f.bindings[name] = combine(values);
      else if (imports.length === 1) f.imports[name] = imports[0];
      else if (imports.length > 1 && imports.every((i) => i.from === imports[0].from && i.name === imports[0].name)) f.imports[name] = imports[0];
      else f.bindings[name] = UNKNOWN;
      if (/^[A-Za-z_]\w*$/.test(name)) f.exports[name] = { local: name };
    }
    for (const d of this.dotted) if (!(d in f.imports)) f.imports[d] = { from: d, name: '*' };
  }

  // ---------- positions and text ----------

  // ---------- binding ----------

  private lookup(name: string): Expr {
    for (let s = this.scope; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v) return v;
    }
    return this.moduleNames.has(name) ? { t: 'name', name } : UNKNOWN;
  }

  private isLocal(name: string): boolean {
    for (let s = this.scope; s; s = s.parent) if (s.vars.has(name)) return true;
    return false;
  }

  /** Binds a name where the walk is: a function's local, a class attribute, or a module-level name. */
  private bind(name: string, value: Expr, plain: boolean): void {
    if (this.cls) return push(this.cls.values, name, value);
    if (this.scope) {
      if (this.scope.vars.get(name)?.t === 'param') return;
      if (plain && this.scope.single.has(name)) this.scope.vars.set(name, value);
      return;
    }
    push(this.moduleValues, name, value);
  }

  private bindImport(local: string, fact: ImportFact, at: number): void {
    if (isPosthogPythonModule(fact.from)) {
      if (!this.scope && !this.cls) this.posthogNames.add(local);
      return this.bind(local, CLIENT, true);
    }
    if (this.cls) return push(this.cls.values, local, UNKNOWN);
    if (this.scope) {
      // An import inside a function: a module-level import under a name no code can spell.
      const hidden = `${local}@${at}`;
      push(this.moduleImports, hidden, fact);
      return this.bind(local, { t: 'name', name: hidden }, true);
    }
    push(this.moduleImports, local, fact);
  }

  private noteSpecifier(spec: string): void {
    if (!this.facts.specifiers.includes(spec)) this.facts.specifiers.push(spec);
  }

  // ---------- statements ----------

  private visitBlock(block: Node | null): void {
    if (!block) return;
    for (const st of block.namedChildren) if (st) this.visit(st);
  }

  protected visitInner(node: Node): void {
    switch (node.type) {
      case 'comment':
      case 'identifier':
      case 'string_content':
      case 'integer':
      case 'float':
      case 'pass_statement':
      case 'global_statement':
      case 'nonlocal_statement':
      case 'future_import_statement':
        return;
      case 'import_statement':
      case 'import_from_statement':
        return this.visitImport(node);
      case 'assignment':
        this.assignment(node);
        return;
      case 'augmented_assignment': {
        const left = node.childForFieldName('left');
        if (left?.type === 'identifier') this.bind(left.text, UNKNOWN, false);
        const right = node.childForFieldName('right');
        if (right) this.visit(right);
        return;
      }
      case 'function_definition':
        this.functionDefinition(node, false);
        return;
      case 'class_definition':
        this.classDefinition(node);
        return;
      case 'decorated_definition': {
        let isStatic = false;
        for (const c of node.namedChildren) {
          if (c?.type !== 'decorator') continue;
          if (/^@\s*staticmethod\b/.test(this.textOf(c))) isStatic = true;
          for (const e of c.namedChildren) if (e) this.visit(e);
        }
        const def = node.childForFieldName('definition');
        if (def?.type === 'function_definition') this.functionDefinition(def, isStatic);
        else if (def?.type === 'class_definition') this.classDefinition(def);
        return;
      }
      case 'call':
        return this.visitCall(node);
      case 'lambda':
        return this.inScope(
          (vars) => {
            for (const p of node.childForFieldName('parameters')?.namedChildren ?? []) {
              const n = p && paramName(p);
              if (n) vars.set(n, UNKNOWN);
            }
          },
          () => {
            const body = node.childForFieldName('body');
            if (body) this.visit(body);
          },
        );
      default:
        if (COMPREHENSIONS.has(node.type)) {
          return this.inScope(
            (vars) => {
              for (const c of node.namedChildren) if (c?.type === 'for_in_clause') for (const n of targetNames(c.childForFieldName('left'))) vars.set(n, UNKNOWN);
            },
            () => this.visitChildren(node),
          );
        }
        this.visitChildren(node);
    }
  }

  private inScope(fill: (vars: Map<string, Expr>) => void, body: () => void): void {
    const vars = new Map<string, Expr>();
    fill(vars);
    const outer = this.scope;
    const outerCls = this.cls;
    this.scope = { vars, single: new Set(), parent: outer };
    this.cls = undefined;
    try {
      body();
    } finally {
      this.scope = outer;
      this.cls = outerCls;
    }
  }

  private visitImport(node: Node): void {
    if (node.type === 'import_statement') {
      for (const item of node.namedChildren) {
        if (!item) continue;
        const aliased = item.type === 'aliased_import';
        const nameNode = aliased ? item.childForFieldName('name') : item;
        if (nameNode?.type !== 'dotted_name') continue;
        const spec = dottedText(nameNode);
        this.noteSpecifier(spec);
        if (aliased) {
          const alias = item.childForFieldName('alias');
          if (alias) this.bindImport(alias.text, { from: spec, name: '*' }, node.startIndex);
          continue;
        }
        const segs = spec.split('.');
        this.bindImport(segs[0], { from: segs[0], name: '*' }, node.startIndex);
        if (!this.scope && !this.cls && !isPosthogPythonModule(spec)) for (let i = 2; i <= segs.length; i++) this.dotted.add(segs.slice(0, i).join('.'));
      }
      return;
    }
    const moduleNode = node.childForFieldName('module_name');
    if (!moduleNode) return;
    const spec = moduleNode.type === 'relative_import' ? relativeText(moduleNode) : dottedText(moduleNode);
    this.noteSpecifier(spec);
    for (const item of node.namedChildren) {
      if (!item || item.id === moduleNode.id) continue;
      if (item.type === 'wildcard_import') {
        if (!this.scope && !this.cls && !isPosthogPythonModule(spec)) this.facts.stars.push(spec);
        continue;
      }
      const aliased = item.type === 'aliased_import';
      const nameNode = aliased ? item.childForFieldName('name') : item;
      if (nameNode?.type !== 'dotted_name') continue;
      const name = dottedText(nameNode);
      const local = aliased ? item.childForFieldName('alias')?.text : name;
      if (!local) continue;
      this.bindImport(local, { from: spec, name, sub: pythonSubmodule(spec, name) }, node.startIndex);
    }
  }

  /** `left = right` (chains `a = b = v` too); returns the value. */
  private assignment(node: Node): Expr {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!right) return UNKNOWN; // `x: int` declares, binds nothing
    let value: Expr;
    if (right.type === 'assignment') value = this.assignment(right);
    else {
      value = this.toExpr(right);
      this.visit(right);
    }
    if (!left) return value;
    if (left.type === 'identifier') this.bind(left.text, value, true);
    else if (left.type === 'attribute') {
      const obj = left.childForFieldName('object');
      const attr = left.childForFieldName('attribute');
      const method = this.methodClass;
      if (method && obj?.type === 'identifier' && attr && this.lookup(obj.text) === method.self) {
        if (value.t !== 'unknown' && value.t !== 'param') push(method.attrs, attr.text, value);
      } else this.visit(left);
    } else {
      for (const n of targetNames(left)) this.bind(n, UNKNOWN, false);
      if (left.type === 'subscript') this.visit(left);
    }
    return value;
  }

  /** The class whose method body the walk is in (for `self.x = …`). */
  private methodClass: ClassContext | undefined;

  private functionDefinition(def: Node, isStatic: boolean): void {
    const nameNode = def.childForFieldName('name');
    const name = nameNode?.text ?? '?';
    const cls = this.cls;
    const id = this.facts.fns.length;
    const fn: FnFacts = { name, forwards: [] };
    this.facts.fns.push(fn);
    // `-> FeatureFlagProvider` (also quoted, `Optional[...]`, `X | None`): what calling it gives.
    const ret = this.annotationType(def.childForFieldName('return_type'));
    if (ret.t !== 'unknown') fn.returns = ret;
    const params: string[] = [];
    let positional = -1;
    const vars = new Map<string, Expr>();
    let selfPending = !!cls && !isStatic;
    const defaults: Node[] = [];
    for (const p of def.childForFieldName('parameters')?.namedChildren ?? []) {
      if (!p) continue;
      const value = p.childForFieldName('value');
      if (value) defaults.push(value);
      if (p.type === 'list_splat_pattern' || p.type === 'keyword_separator' || (p.type === 'typed_parameter' && p.namedChild(0)?.type === 'list_splat_pattern')) {
        if (positional < 0) positional = params.length;
        const n = p.type === 'keyword_separator' ? undefined : splatName(p);
        if (n) vars.set(n, UNKNOWN);
        continue;
      }
      const pname = paramName(p);
      if (!pname) {
        const n = splatName(p);
        if (n) vars.set(n, UNKNOWN);
        continue;
      }
      if (selfPending) {
        selfPending = false;
        vars.set(pname, cls!.self);
        continue;
      }
      vars.set(pname, { t: 'param', fn: id, index: params.length, path: [] });
      params.push(pname);
    }
    for (const d of defaults) this.visit(d);
    if (params.length) fn.params = params;
    if (positional >= 0 && positional < params.length) fn.positional = positional;
    this.bind(name, { t: 'fn', id }, true);

    const body = def.childForFieldName('body');
    const counts = new Map<string, number>();
    const globals = new Set<string>();
    if (body) collectBound(body, counts, globals);
    const single = new Set<string>();
    for (const [n, c] of counts) {
      if (globals.has(n) || vars.has(n)) continue;
      vars.set(n, UNKNOWN);
      if (c === 1) single.add(n);
    }
    const outer = this.scope;
    const outerCls = this.cls;
    const outerMethod = this.methodClass;
    this.scope = { vars, single, parent: outer };
    this.cls = undefined;
    this.methodClass = cls && !isStatic ? cls : outer ? outerMethod : undefined;
    try {
      this.visitBlock(body);
    } finally {
      this.scope = outer;
      this.cls = outerCls;
      this.methodClass = outerMethod;
    }
  }

  /** A type annotation naming a module-scope class or import (the first name of a union or `Optional[...]`). */
  private annotationType(node: Node | null): Expr {
    if (!node) return UNKNOWN;
    const m = /^["']?(?:Optional\[)?\s*([A-Za-z_][\w]*)(?:\.([A-Za-z_]\w*))?/.exec(node.text);
    if (!m || m[1] === 'None') return UNKNOWN;
    const base = this.lookup(m[1]);
    if (base.t === 'unknown') return UNKNOWN;
    return m[2] ? member(base, [m[2]]) : base;
  }

  private classDefinition(node: Node): void {
    const name = node.childForFieldName('name')?.text ?? '?';
    const superclasses = node.childForFieldName('superclasses');
    if (superclasses && !this.scope && !this.cls) {
      // Module-scope classes and their bases: how a call reaches a subclass's override (see `impls`).
      const bases = superclasses.namedChildren.flatMap((b) => (b && (b.type === 'identifier' || b.type === 'attribute') ? [b.text.replace(/^[\s\S]*\./, '')] : []));
      if (bases.length) (this.facts.impls ??= Object.create(null) as Record<string, string[]>)[name] = bases;
    }
    if (superclasses) this.visit(superclasses);
    const outerCls = this.cls;
    const self: Expr = this.scope ? UNKNOWN : outerCls ? member(outerCls.self, [name]) : { t: 'name', name };
    const ctx: ClassContext = { self, values: new Map(), attrs: new Map() };
    this.cls = ctx;
    try {
      this.visitBlock(node.childForFieldName('body'));
    } finally {
      this.cls = outerCls;
    }
    const props: Record<string, Expr> = Object.create(null);
    for (const [k, vs] of ctx.values) {
      const known = vs.filter((v) => v.t !== 'unknown');
      props[k] = known.length ? combine(known) : UNKNOWN;
    }
    for (const [k, vs] of ctx.attrs) if (!(k in props)) props[k] = combine(vs);
    this.bind(name, { t: 'obj', props }, true);
  }

  // ---------- expressions ----------

  /** What an expression is, without walking it. */
  private toExpr(node: Node, depth = 0): Expr {
    if (depth > 64) return UNKNOWN;
    switch (node.type) {
      case 'string': {
        const lit = python.readLiteral(node, this.text);
        // A line break is never part of a flag key (an unclosed triple quote the parser stretched over lines; see keyArg).
        if (!lit || lit === 'dynamic' || /[\r\n]/.test(lit.value)) return UNKNOWN;
        return { t: 'str', value: lit.value, span: this.lines.span(lit.start, lit.end) };
      }
      case 'parenthesized_expression': {
        const inner = node.namedChildCount === 1 ? node.namedChild(0) : null;
        return inner ? this.toExpr(inner, depth + 1) : UNKNOWN;
      }
      case 'identifier':
        return this.lookup(node.text);
      case 'attribute':
        return this.attribute(node, depth);
      case 'subscript': {
        const value = node.childForFieldName('value');
        const sub = node.childForFieldName('subscript');
        if (!value || !sub || node.namedChildCount !== 2) return UNKNOWN;
        const lit = python.readLiteral(sub, this.text);
        if (!lit || lit === 'dynamic') return UNKNOWN;
        return member(this.toExpr(value, depth + 1), [lit.value]);
      }
      case 'dictionary': {
        const props: Record<string, Expr> = Object.create(null);
        for (const pair of node.namedChildren) {
          if (pair?.type !== 'pair') continue;
          const k = pair.childForFieldName('key');
          const v = pair.childForFieldName('value');
          const lit = k && python.readLiteral(k, this.text);
          if (lit && lit !== 'dynamic' && v) props[lit.value] = this.toExpr(v, depth + 1);
        }
        return { t: 'obj', props };
      }
      case 'call': {
        const callee = node.childForFieldName('function');
        if (!callee || (callee.type !== 'identifier' && callee.type !== 'attribute')) return UNKNOWN;
        // `Posthog(…)`, `get_posthog_client()`, `posthog.Client(…)`: a client; `posthog.feature_enabled(…)` is not.
        const last = this.textOf(callee).replace(/^[\s\S]*\./, '');
        const c = this.toExpr(callee, depth + 1);
        if (this.isClient(c) && (c.t !== 'member' || /^[A-Z]/.test(last))) return CLIENT;
        // `get_posthog_client()` by its name; a CapWords name bound in the project (`PostHogFeatureFlagProvider()`)
        // is a class of the project whose instance the linker follows.
        if (POSTHOG_RECEIVER.test(last) && !(/^[A-Z]/.test(last) && c.t === 'name')) return CLIENT;
        // Calling a class makes an instance; the linker keeps only classes (and clients) here.
        return c.t === 'name' || c.t === 'member' ? { t: 'new', callee: c } : UNKNOWN;
      }
      case 'conditional_expression':
      case 'boolean_operator': {
        for (const c of node.namedChildren) if (c && this.isClient(this.toExpr(c, depth + 1))) return CLIENT;
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private attribute(node: Node, depth: number): Expr {
    const path: string[] = [];
    let n: Node | null = node;
    while (n?.type === 'attribute') {
      const attr = n.childForFieldName('attribute');
      if (!attr) return UNKNOWN;
      path.unshift(attr.text);
      n = n.childForFieldName('object');
    }
    if (!n) return UNKNOWN;
    let base: Expr;
    if (n.type === 'identifier' && !this.isLocal(n.text) && this.dotted.size) {
      // `import app.features` then `app.features.X`: the longest dotted import.
      let k = path.length;
      while (k > 0 && !this.dotted.has([n.text, ...path.slice(0, k)].join('.'))) k--;
      if (k > 0) {
        base = { t: 'name', name: [n.text, ...path.slice(0, k)].join('.') };
        path.splice(0, k);
        if (!path.length) return base;
      } else base = this.toExpr(n, depth + 1);
    } else base = this.toExpr(n, depth + 1);
    // `Flag.NEW.value` (an Enum member's value) is the member; so is `flag.value` of a parameter.
    if (path[path.length - 1] === 'value' && (path.length >= 2 || base.t === 'param')) path.pop();
    return path.length ? member(base, path) : base;
  }

  private isClient(e: Expr): boolean {
    const root = e.t === 'member' ? e.base : e;
    return root.t === 'client' || (root.t === 'name' && this.posthogNames.has(root.name) && !this.isLocal(root.name));
  }

  private keyArg(node: Node): KeyArg {
    let n = node;
    while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
    const text = this.textOf(node);
    const lit = python.readLiteral(n, this.text);
    if (lit && lit !== 'dynamic' && !/[\r\n]/.test(lit.value)) {
      const span = this.lines.span(lit.start, lit.end);
      return { expr: { t: 'str', value: lit.value, span }, span, text };
    }
    if (lit || n.type === 'concatenated_string') return { expr: UNKNOWN, span: this.spanOf(node), text };
    const expr = this.toExpr(n);
    const span = this.spanOf(node);
    if (n.type === 'identifier' || n.type === 'attribute') {
      const root = expr.t === 'member' ? expr.base : expr;
      if (root.t === 'name') this.facts.refs.push({ span, expr });
    }
    return { expr, span, text };
  }

  // ---------- calls ----------

  private visitCall(node: Node): void {
    const fnNode = node.childForFieldName('function');
    const argsNode = node.childForFieldName('arguments');
    if (fnNode?.type === 'identifier') this.classifyCall(fnNode.text, fnNode, null, argsNode);
    else if (fnNode?.type === 'attribute') {
      const name = fnNode.childForFieldName('attribute')?.text;
      const receiver = fnNode.childForFieldName('object');
      if (name && receiver) this.classifyCall(name, fnNode, receiver, argsNode);
    }
    if (fnNode) this.visit(fnNode);
    if (argsNode) this.visit(argsNode);
  }

  private classifyCall(name: string, fnNode: Node, receiver: Node | null, argsNode: Node | null): void {
    const sdk = PY_CALLS.get(name);
    if (sdk && sdk.key.form === 'arg') {
      let claim: Claim | false = false;
      if (!receiver) {
        const c = this.lookup(name);
        if (this.isClient(c)) claim = true;
        else if (c.t === 'unknown' && !this.isLocal(name) && this.fileHasImport) claim = true;
      } else {
        const rtext = this.textOf(receiver);
        if (OTHER_VENDOR_RECEIVER.test(rtext)) return;
        const rx = this.toExpr(receiver);
        const root = rx.t === 'member' ? rx.base : rx;
        // A receiver rooted in a module-level name or an instance: the linker decides whose method it is.
        const decidable = root.t === 'name' || root.t === 'new';
        if (POSTHOG_RECEIVER.test(rtext) || this.isClient(rx)) claim = true;
        else if (!sdk.generic || this.fileHasImport) claim = decidable ? { unlessOwn: rx } : true;
        else if (decidable) claim = { evidence: rx };
      }
      if (claim !== false) this.sdkSite(sdk, argsNode, claim);
      if (claim === true) return;
    }
    const args = argsNode?.type === 'argument_list' ? this.callArgs(argsNode) : [];
    if (!args.length) return;
    const callee = this.toExpr(fnNode);
    if (callee.t !== 'name' && callee.t !== 'member' && callee.t !== 'fn') return;
    args.forEach((a, i) => {
      if (a.expr.t !== 'param') return;
      const p = a.expr;
      this.facts.fns[p.fn].forwards.push({ param: p.index, path: p.path, to: 'call', callee, arg: a.name === undefined ? i : -1, argPath: [], ...(a.name !== undefined ? { argName: a.name } : {}) });
    });
    this.facts.sites.push({ t: 'call', call: name, callee, args });
  }

  /** Positional arguments in order (up to a `*args`), then keyword arguments. */
  private callArgs(argsNode: Node): CallArg[] {
    const out: CallArg[] = [];
    let splat = false;
    for (const a of argsNode.namedChildren) {
      if (!a || a.type === 'comment' || a.type === 'dictionary_splat') continue;
      if (a.type === 'list_splat') {
        splat = true;
        continue;
      }
      if (a.type === 'keyword_argument') {
        const name = a.childForFieldName('name')?.text;
        const value = a.childForFieldName('value');
        if (name && value) out.push({ ...this.keyArg(value), name });
        continue;
      }
      if (!splat) out.push(this.keyArg(a));
    }
    return out;
  }

  private sdkSite(sdk: SdkCall, argsNode: Node | null, claim: Claim): void {
    if (sdk.key.form !== 'arg') return;
    const keyword = sdk.key.keyword;
    const positional: Node[] = [];
    let named: Node | undefined;
    let splat = false;
    for (const a of argsNode?.type === 'argument_list' ? argsNode.namedChildren : []) {
      if (!a || a.type === 'comment' || a.type === 'dictionary_splat') continue;
      if (a.type === 'list_splat') {
        splat = true;
        continue;
      }
      if (a.type === 'keyword_argument') {
        const n = a.childForFieldName('name')?.text;
        if (!named && n !== undefined && (n === keyword || KEY_ARGUMENT_LABELS.has(n))) named = a.childForFieldName('value') ?? undefined;
        continue;
      }
      if (!splat) positional.push(a);
    }
    const keyNode = named ?? positional[sdk.key.arg];
    const keys = keyNode ? [this.keyArg(keyNode)] : [];
    const evidence = claim !== true && 'evidence' in claim ? claim.evidence : undefined;
    const unlessOwn = claim !== true && 'unlessOwn' in claim ? claim.unlessOwn : undefined;
    for (const k of keys) {
      if (k.expr.t !== 'param') continue;
      this.facts.fns[k.expr.fn].forwards.push({ param: k.expr.index, path: k.expr.path, to: 'sdk', evidence, ...(unlessOwn ? { unlessOwn, call: sdk.name } : {}) });
    }
    this.facts.sites.push({ t: 'sdk', call: sdk.name, keys, evidence, ...(unlessOwn ? { unlessOwn } : {}) });
  }
}

// ---------- helpers ----------

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** What several bindings of one name agree on (see the file comment). */
function combine(values: Expr[]): Expr {
  if (values.length === 1) return values[0];
  if (values.some((v) => v.t === 'client')) return CLIENT;
  const first = values[0];
  if (first.t === 'str' && values.every((v) => v.t === 'str' && v.value === first.value)) return first;
  if (values.every((v) => v.t === 'obj')) {
    const props: Record<string, Expr> = Object.create(null);
    const all = new Map<string, Expr[]>();
    for (const v of values) for (const [k, p] of Object.entries((v as Extract<Expr, { t: 'obj' }>).props)) push(all, k, p);
    for (const [k, ps] of all) props[k] = combine(ps);
    return { t: 'obj', props };
  }
  if (values.every((v) => v.t === 'fn')) return values[values.length - 1];
  return UNKNOWN;
}


function dottedText(n: Node): string {
  return n.namedChildren
    .filter((c): c is Node => !!c && c.type === 'identifier')
    .map((c) => c.text)
    .join('.');
}

function relativeText(n: Node): string {
  let out = '';
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.type === 'import_prefix') out += c.text.replace(/\s+/g, '');
    else if (c.type === 'dotted_name') out += dottedText(c);
  }
  return out;
}

function paramName(p: Node): string | undefined {
  switch (p.type) {
    case 'identifier':
      return p.text;
    case 'typed_parameter': {
      const first = p.namedChild(0);
      return first?.type === 'identifier' ? first.text : undefined;
    }
    case 'default_parameter':
    case 'typed_default_parameter':
      return p.childForFieldName('name')?.text;
    default:
      return undefined;
  }
}

function splatName(p: Node): string | undefined {
  const inner = p.type === 'typed_parameter' ? p.namedChild(0) : p;
  if (inner?.type === 'list_splat_pattern' || inner?.type === 'dictionary_splat_pattern') {
    const id = inner.namedChild(0);
    return id?.type === 'identifier' ? id.text : undefined;
  }
  return undefined;
}

/** Identifiers a binding target binds (`a`, `a, b`, `(a, [b, *c])`). */
function targetNames(n: Node | null): string[] {
  if (!n) return [];
  if (n.type === 'identifier') return [n.text];
  if (n.type === 'pattern_list' || n.type === 'tuple_pattern' || n.type === 'list_pattern' || n.type === 'tuple' || n.type === 'list' || n.type === 'list_splat_pattern' || n.type === 'parenthesized_expression') {
    return n.namedChildren.flatMap((c) => targetNames(c));
  }
  return [];
}

/**
 * Names a scope binds, with how often (`counts`; a plain `name = value`
 * counts 1, anything else 2, so only names bound once by a plain assignment
 * keep a value), and those it declares `global`. Nested functions, classes,
 * lambdas and comprehensions have their own scopes: only their names count.
 */
function collectBound(node: Node, counts: Map<string, number>, globals: Set<string>): void {
  const add = (name: string, n: number) => counts.set(name, (counts.get(name) ?? 0) + n);
  const walk = (n: Node): void => {
    switch (n.type) {
      case 'function_definition':
      case 'class_definition': {
        const name = n.childForFieldName('name');
        if (name) add(name.text, 1);
        return;
      }
      case 'decorated_definition': {
        const def = n.childForFieldName('definition');
        if (def) walk(def);
        return;
      }
      case 'lambda':
        return;
      case 'global_statement':
        for (const c of n.namedChildren) if (c?.type === 'identifier') globals.add(c.text);
        return;
      case 'assignment': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (left?.type === 'identifier') {
          if (right) add(left.text, 1);
        } else for (const t of targetNames(left)) add(t, 2);
        if (right) walk(right);
        return;
      }
      case 'augmented_assignment': {
        const left = n.childForFieldName('left');
        if (left?.type === 'identifier') add(left.text, 2);
        return;
      }
      case 'named_expression': {
        const name = n.childForFieldName('name');
        if (name) add(name.text, 2);
        break;
      }
      case 'for_statement':
        for (const t of targetNames(n.childForFieldName('left'))) add(t, 2);
        break;
      case 'as_pattern_target':
        for (const t of n.namedChildren.flatMap((c) => targetNames(c))) add(t, 2);
        return;
      case 'import_statement':
        for (const item of n.namedChildren) {
          if (item?.type === 'aliased_import') {
            const alias = item.childForFieldName('alias');
            if (alias) add(alias.text, 1);
          } else if (item?.type === 'dotted_name') {
            const first = item.namedChild(0);
            if (first) add(first.text, 1);
          }
        }
        return;
      case 'import_from_statement': {
        const moduleNode = n.childForFieldName('module_name');
        for (const item of n.namedChildren) {
          if (!item || item.id === moduleNode?.id) continue;
          if (item.type === 'aliased_import') {
            const alias = item.childForFieldName('alias');
            if (alias) add(alias.text, 1);
          } else if (item.type === 'dotted_name') add(dottedText(item), 1);
        }
        return;
      }
      default:
        if (COMPREHENSIONS.has(n.type) || FUNCTION_TYPES.has(n.type)) return;
    }
    for (const c of n.namedChildren) if (c) walk(c);
  };
  for (const c of node.namedChildren) if (c) walk(c);
}
