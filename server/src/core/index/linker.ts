/**
 * Cross-file key resolution: turns one file's facts into usages by looking
 * up other files' facts (constants, enums, objects, imports, re-exports,
 * `export *`, namespaces, wrappers). Every file consulted is recorded as a
 * dependency so the index knows whom to re-link when a file changes.
 * Cycles end: module-scope names and exports are resolved once per pass
 * (re-entry yields "not found"), and hops are bounded.
 */
import type { Location, Span, Unresolved, Usage, UsageKind } from '../types';
import type { CallArg, Expr, FileFacts, JsFacts, KeyArg } from './facts';
import { isPosthogPackage } from './js-extract';
import { isRelativeSpec, ProjectResolver } from './project-resolver';
import { pythonModuleCandidates } from './python-modules';
import { goPackageDirCandidates, isGoFile } from './go-packages';

export type Resolved =
  | { t: 'str'; value: string; loc: Location }
  /** `cls`: the module-scope name it is bound to (a class: its subclasses may override its methods). */
  | { t: 'obj'; file: string; props: Record<string, Expr>; cls?: string }
  | { t: 'fn'; file: string; id: number }
  | { t: 'ns'; file: string }
  | { t: 'client' }
  /** A value typed with an interface: its members are looked up on the classes implementing it. */
  | { t: 'iface'; name: string }
  | { t: 'unknown' }
  /** An export that does not exist (lets `export *` search go on). */
  | { t: 'missing' }
  /** Go: an imported package (the files of folder `dir` whose package is not a `_test` one). */
  | { t: 'gopkg'; dir: string }
  /** Go: a value of type `name` of package `pkg` in folder `dir` (`methods`: an interface's). */
  | { t: 'gotype'; dir: string; pkg: string; name: string; methods?: string[] };

const UNKNOWN: Resolved = { t: 'unknown' };
const MISSING: Resolved = { t: 'missing' };
const MAX_HOPS = 64;

/** What the linker may ask of the workspace. */
export interface LinkWorld {
  /** Facts of a file (parsing it on demand if it is known but not parsed yet). */
  factsOf(file: string): FileFacts | undefined;
  /** True when the file is part of the workspace (parsed or not). */
  exists(file: string): boolean;
  /** How the project's configs resolve imports (default: relative imports only). */
  resolver?: ProjectResolver;
  /**
   * Last resort for a specifier nothing else resolves: the one workspace file
   * whose path ends like it (`@utils/analytics` → `src/utils/analytics.ts`).
   */
  guessModule?(spec: string): string | undefined;
  /** True for a name that some workspace function forwarding a key is called by. */
  isWrapperName?(name: string): boolean;
  /** Module-scope classes (file, name) that implement or extend the type `name` (facts' `impls`). */
  implementers?(name: string): Array<{ file: string; cls: string }>;
  /** Go: the .go files directly in folder `dir`. */
  goFiles?(dir: string): string[];
  /** Go: the types (folder, package, name) of parsed files with a method `method` that forwards something. */
  goMethodHolders?(method: string): Array<{ dir: string; pkg: string; type: string }>;
  /** Kotlin: the files of package `pkg` (their `namespace`) that may declare the top-level name `name`. */
  kotlinFiles?(pkg: string, name: string): string[];
}

/** Dependency on which classes implement an interface (re-linked when a file's `impls` change). */
export const IMPLEMENTERS_DEP = '\0impl\0';

/** Markers the linker keeps among a resolution's dependencies (never file paths). */
const GUESSED = '\0guess\0';
const UNFOLLOWED = '\0unfollowed\0';
/** Dependency on the set of workspace files itself (a tail guess changes when files come or go). */
export const FILE_SET_DEP = '\0files';

const NO_RESOLVER = new ProjectResolver();

export interface WrapperParam {
  index: number;
  path: string[];
  /** The parameter's name, where callers may pass it by keyword (Python). */
  name?: string;
  /** Only passed by keyword (Python, after `*` or `*args`). */
  keywordOnly?: boolean;
  /** Swift: the parameter's declared project type (what a shorthand `.name` argument is a member of). */
  type?: Expr;
}

export interface LinkOutput {
  usages: Usage[];
  unresolved: Unresolved[];
  /** Every path consulted (files and module candidates), this file excluded. */
  deps: Set<string>;
}

interface MemoEntry<T> {
  value: T;
  deps: Set<string>;
}

export class Linker {
  private deps = new Set<string>();
  private readonly memo = new Map<string, MemoEntry<unknown>>();
  private readonly inProgress = new Set<string>();
  private cycleHit = false;
  private hops = 0;

  /**
   * `markImports`: count every import followed as a dependency (an import's
   * target depends on path aliases and other files, whatever `world` knows).
   */
  constructor(
    private readonly world: LinkWorld,
    private readonly opts: { markImports?: boolean } = {},
  ) {}

  link(file: string): LinkOutput {
    this.deps = new Set();
    const facts = this.world.factsOf(file);
    if (!facts) return { usages: [], unresolved: [], deps: new Set() };
    if (facts.kind === 'foreign') return { usages: facts.usages, unresolved: facts.unresolved, deps: new Set() };
    const usages: Usage[] = [];
    const unresolved: Unresolved[] = [];
    /** `calleeNotes`: what resolving a wrapper call's callee met (a guessed import counts for its usages too). */
    const emit = (k: KeyArg, call: string, wrapper: boolean, calleeNotes: string[] = []): void => {
      const e = k.expr;
      if (e.t === 'param') return; // forwarded: the wrapper's callers hold the key
      const { value: r, notes } =
        e.t === 'str' ? { value: { t: 'str', value: e.value, loc: { file, ...e.span } } as const, notes: [] } : e.t === 'unknown' ? { value: UNKNOWN, notes: [] } : this.tracked(() => this.resolve(file, e));
      if (r.t === 'str') {
        const kind = e.t === 'str' ? (wrapper ? 'wrapper' : 'literal') : wrapper ? 'wrapper' : 'constant';
        const u = usage(facts, k.span, r.value, kind, call, e.t === 'str' && !wrapper ? undefined : r.loc);
        const guessed = [...calleeNotes, ...notes].find((n) => n.startsWith(GUESSED));
        if (guessed) u.guessedImport = guessed.slice(GUESSED.length);
        usages.push(u);
        return;
      }
      const unfollowed = notes.find((n) => n.startsWith(UNFOLLOWED));
      const why: Pick<Unresolved, 'reason' | 'module'> = unfollowed ? { reason: 'import', module: unfollowed.slice(UNFOLLOWED.length) } : { reason: 'dynamic' };
      unresolved.push({ file, ...k.span, call, expression: k.text, language: facts.language, ...why });
    };
    for (const site of facts.sites) {
      if (site.t === 'sdk') {
        if (site.evidence && !this.isClient(file, site.evidence)) continue;
        if (site.unlessOwn && this.ownsMethod(file, site.unlessOwn, site.call)) continue;
        for (const k of site.keys) emit(k, site.call, false);
        continue;
      }
      // Swift: a call whose name no wrapper has is not resolved (each type it meets would be looked for in the whole module).
      if ((facts.language === 'swift' || facts.language === 'kotlin') && this.world.isWrapperName && !this.world.isWrapperName(site.call)) continue;
      // Go: the same (each type it meets would have its whole package read).
      if (facts.package !== undefined && this.world.isWrapperName && !this.world.isWrapperName(site.call)) continue;
      let { value: target, notes } = this.tracked(() => this.resolve(file, site.callee));
      // Kotlin: a receiver's type without that member leaves an extension function of the name (bound as `.name`).
      if (target.t !== 'fn' && facts.namespace !== undefined && site.callee.t === 'member') ({ value: target, notes } = this.tracked(() => this.resolve(file, { t: 'name', name: '.' + site.call })));
      if (target.t !== 'fn') {
        // A call of a known wrapper's name through an import that could not be followed: say so, never drop it.
        const unfollowed = notes.find((n) => n.startsWith(UNFOLLOWED));
        const arg = site.args.find((a) => a.text !== '');
        const spec = unfollowed?.slice(UNFOLLOWED.length);
        if (spec !== undefined && arg && isPosthogWrapperPackage(spec, importedName(facts, site.callee))) {
          // A flag check from a PostHog wrapper package outside the workspace (`mitol.olposthog.features.is_enabled`):
          // its body cannot be read, its name and package say what it is; the usage names the package.
          const before = usages.length;
          emit(site.args[0] ?? arg, site.call, true, notes);
          for (const u of usages.slice(before)) u.viaPackage = spec;
        } else if (spec !== undefined && arg && this.world.isWrapperName?.(site.call) && (this.world.resolver ?? NO_RESOLVER).looksInternal(file, spec)) {
          unresolved.push({ file, ...arg.span, call: site.call, expression: arg.text, language: facts.language, reason: 'import', module: spec });
        }
        continue;
      }
      for (const spec of this.wrapperParams(target.file, target.id)) {
        const k = argAt(site.args, spec, facts.language === 'swift' || facts.language === 'kotlin');
        if (k) emit(k, site.call, true, notes);
      }
    }
    const deps = new Set<string>();
    for (const d of this.deps) if (d !== file && !d.startsWith(GUESSED) && !d.startsWith(UNFOLLOWED)) deps.add(d);
    return { usages: sortByPosition(usages), unresolved: sortByPosition(unresolved), deps };
  }

  /** Runs `fn` and returns, besides its value, the markers (guessed or unfollowed imports) it met. */
  private tracked<T>(fn: () => T): { value: T; notes: string[] } {
    const outer = this.deps;
    this.deps = new Set();
    try {
      const value = fn();
      return { value, notes: [...this.deps].filter((d) => d.startsWith(GUESSED) || d.startsWith(UNFOLLOWED)) };
    } finally {
      for (const d of this.deps) outer.add(d);
      this.deps = outer;
    }
  }

  /** Resolves an expression of `file` (public for hover on constant references). */
  resolve(file: string, e: Expr): Resolved {
    this.hops = 0;
    return this.expr(file, e);
  }

  /**
   * False when calling `callee` can never pass a key to an SDK call, decided
   * without any file but `file` or any import (true when others decide; give
   * the linker `markImports` so that imports count).
   */
  mayCallWrapper(file: string, callee: Expr): boolean {
    const outer = this.deps;
    this.deps = new Set();
    try {
      const target = this.resolve(file, callee);
      const maybe = target.t === 'fn' && (target.file !== file || this.wrapperParams(target.file, target.id).length > 0);
      this.deps.delete(file);
      return maybe || this.deps.size > 0;
    } finally {
      this.deps = outer;
    }
  }

  /** Which parameters of a function end up as a flag key (transitively). */
  wrapperParams(file: string, id: number): WrapperParam[] {
    return this.memoized(`W\0${file}\0${id}`, [], () => {
      const facts = this.js(file);
      const fn = facts?.fns[id];
      if (!fn) return [];
      const out: WrapperParam[] = [];
      const add = (index: number, path: string[]) => {
        if (out.some((p) => p.index === index && samePath(p.path, path))) return;
        const p: WrapperParam = { index, path };
        const name = fn.params?.[index];
        if (name !== undefined) p.name = name;
        if (fn.positional !== undefined && index >= fn.positional) p.keywordOnly = true;
        const type = fn.paramTypes?.[index];
        if (type) p.type = type;
        out.push(p);
      };
      for (const fw of fn.forwards) {
        if (fw.to === 'sdk') {
          if (fw.evidence && !this.isClient(file, fw.evidence)) continue;
          if (fw.unlessOwn && fw.call && this.ownsMethod(file, fw.unlessOwn, fw.call)) continue;
          add(fw.param, fw.path);
          continue;
        }
        // Go: only a callee named like a wrapper can pass the key on (wrapper names grow from the SDK calls outward).
        if (facts.package !== undefined && this.world.isWrapperName && !this.world.isWrapperName(lastName(fw.callee))) continue;
        const target = this.resolve(file, fw.callee);
        if (target.t !== 'fn') continue;
        const passes = (p: WrapperParam) => (fw.argName !== undefined ? p.name === fw.argName : p.index === fw.arg && !p.keywordOnly);
        if (this.wrapperParams(target.file, target.id).some((p) => passes(p) && samePath(p.path, fw.argPath))) add(fw.param, fw.path);
        // Kotlin: a parameter passed whole to one whose property is the key (`enabled(id, flag)` → `flag.key`) is a key by that property.
        else if (facts.language === 'kotlin' && !fw.argPath.length) for (const p of this.wrapperParams(target.file, target.id)) if (passes(p) && p.path.length) add(fw.param, [...fw.path, ...p.path]);
      }
      return out;
    });
  }

  private isClient(file: string, e: Expr): boolean {
    return this.resolve(file, e).t === 'client';
  }

  /** True when `e` is a project object (literal or class instance), or a project module, that defines `method` itself. */
  private ownsMethod(file: string, e: Expr, method: string): boolean {
    const r = this.resolve(file, e);
    if (r.t === 'ns') {
      const m = this.exported(r.file, method);
      return m.t !== 'missing' && m.t !== 'unknown';
    }
    // Go: a project type (or interface) with a method of that name.
    if (r.t === 'gotype') return !!r.methods?.includes(method) || this.goMember(r, method) !== undefined;
    return r.t === 'obj' && Object.prototype.hasOwnProperty.call(r.props, method);
  }

  private js(file: string): JsFacts | undefined {
    this.deps.add(file);
    const f = this.world.factsOf(file);
    return f?.kind === 'js' ? f : undefined;
  }

  private expr(file: string, e: Expr): Resolved {
    if (++this.hops > MAX_HOPS * 8) return UNKNOWN;
    switch (e.t) {
      case 'str':
        return { t: 'str', value: e.value, loc: { file, ...e.span } };
      case 'name':
        return this.name(file, e.name);
      case 'member': {
        const base = this.expr(file, e.base);
        const r = this.walk(base, e.path);
        // `self.check(k)`, `Base.check`, `factory().check(k)` where the class's own method forwards nothing
        // (abstract, a default, a template method's hook): the subclass override that forwards a key is what runs.
        const cls = base.t === 'obj' ? base.cls : undefined;
        if (cls && e.path.length === 1 && (r.t === 'unknown' || (r.t === 'fn' && !this.wrapperParams(r.file, r.id).length))) {
          const sub = this.implemented(cls, e.path[0]);
          if (sub.t === 'fn' && this.wrapperParams(sub.file, sub.id).length) return sub;
        }
        return r;
      }
      case 'obj':
        return { t: 'obj', file, props: e.props };
      case 'fn':
        return { t: 'fn', file, id: e.id };
      case 'new': {
        const c = this.expr(file, e.callee);
        if (c.t === 'fn') {
          // Calling a function (Python makes no difference with a class): its declared return type.
          const ret = this.js(c.file)?.fns[c.id]?.returns;
          return ret ? this.expr(c.file, ret) : UNKNOWN;
        }
        return c.t === 'obj' || c.t === 'client' ? c : UNKNOWN;
      }
      case 'client':
        return { t: 'client' };
      case 'iface':
        return { t: 'iface', name: e.name };
      case 'type': {
        const pkg = this.js(file)?.package;
        return pkg === undefined ? UNKNOWN : { t: 'gotype', dir: dirOf(file), pkg, name: e.name, ...(e.methods ? { methods: e.methods } : {}) };
      }
      case 'param':
        // A parameter is only ever followed for its declared type (a key parameter is forwarded, never resolved).
        return e.type && !e.path.length ? this.expr(file, e.type) : e.type ? this.walk(this.expr(file, e.type), e.path) : UNKNOWN;
      case 'call': {
        const c = this.expr(file, e.callee);
        // posthog-node's evaluateFlags() snapshot answers for its client.
        if (c.t === 'client' && e.callee.t === 'member' && e.callee.path[e.callee.path.length - 1] === 'evaluateFlags') return c;
        if (c.t !== 'fn') return UNKNOWN;
        const ret = this.js(c.file)?.fns[c.id]?.returns;
        return ret ? this.expr(c.file, ret) : UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private walk(r: Resolved, path: string[]): Resolved {
    for (const seg of path) {
      if (r.t === 'obj') {
        const v = Object.prototype.hasOwnProperty.call(r.props, seg) ? r.props[seg] : undefined;
        r = v ? this.expr(r.file, v) : r.cls ? this.pythonInherited(r.file, r.cls, seg) : UNKNOWN;
      } else if (r.t === 'ns') {
        r = this.exported(r.file, seg);
        if (r.t === 'missing') r = UNKNOWN;
      } else if (r.t === 'client') {
        return r;
      } else if (r.t === 'iface') {
        r = this.implemented(r.name, seg);
      } else if (r.t === 'gotype') {
        r = this.goMember(r, seg) ?? (r.methods ? this.goImplemented(r, seg) : UNKNOWN);
      } else if (r.t === 'gopkg') {
        r = this.goImportedMember(r.dir, seg);
      } else return UNKNOWN;
    }
    return r;
  }

  /**
   * Method `member` of an interface, through the classes implementing it: the
   * first one whose method forwards a key (the PostHog adapter, not the
   * in-memory fake), else the first that has it at all.
   */
  private implemented(iface: string, member: string): Resolved {
    this.deps.add(IMPLEMENTERS_DEP + iface);
    let fallback: Resolved = UNKNOWN;
    for (const { file, cls } of this.world.implementers?.(iface) ?? []) {
      const c = this.name(file, cls);
      if (c.t !== 'obj' || !Object.prototype.hasOwnProperty.call(c.props, member)) continue;
      const m = this.expr(c.file, c.props[member]);
      if (m.t === 'fn' && this.wrapperParams(m.file, m.id).length) return m;
      if (fallback.t === 'unknown') fallback = m;
    }
    return fallback.t === 'unknown' ? this.inherited(iface, member) : fallback;
  }

  /**
   * Python: method `member` that class `cls` of `file` does not define but
   * inherits (`class AppFlags(BaseFlags)`, `AppFlags().is_on(…)`), from the
   * bases its facts name in `impls`, as names of that file (a local class or
   * an import), nearest first.
   */
  private pythonInherited(file: string, cls: string, member: string, depth = 0): Resolved {
    const facts = this.js(file);
    if (facts?.language !== 'python' || depth > 8) return UNKNOWN;
    for (const base of facts.impls?.[cls] ?? []) {
      if (base === cls) continue;
      const b = this.name(file, base);
      if (b.t !== 'obj') continue;
      if (Object.prototype.hasOwnProperty.call(b.props, member)) return this.expr(b.file, b.props[member]);
      const up = b.cls ? this.pythonInherited(b.file, b.cls, member, depth + 1) : UNKNOWN;
      if (up.t !== 'unknown') return up;
    }
    return UNKNOWN;
  }

  /**
   * Member `member` that type `type` gets from what it conforms to or inherits
   * from (a Swift protocol extension's method on a conforming type): types
   * whose facts list themselves in `impls` (swift-facts.ts) name their bases there.
   */
  private inherited(type: string, member: string): Resolved {
    return this.memoized(`I\0${type}\0${member}`, UNKNOWN, () => {
      for (const { file, cls } of this.world.implementers?.(type) ?? []) {
        if (cls !== type) continue;
        for (const base of this.js(file)?.impls?.[cls] ?? []) {
          if (base === type) continue;
          const r = this.implemented(base, member);
          if (r.t !== 'unknown') return r;
        }
      }
      return UNKNOWN;
    });
  }

  // ---------- Go: packages are folders (go-packages.ts) ----------

  /** Member `seg` of a Go type: a field or method bound as `Type.seg` in a file of its package. */
  private goMember(r: Extract<Resolved, { t: 'gotype' }>, seg: string): Resolved | undefined {
    const m = this.goPackageBinding(r.dir, r.pkg, `${r.name}.${seg}`);
    return m.t === 'missing' ? undefined : m;
  }

  /**
   * Method `member` of a Go interface, through the types implementing it
   * (implicitly: a type with every method of the interface, by name): the
   * first whose method forwards a key.
   */
  private goImplemented(r: Extract<Resolved, { t: 'gotype' }>, member: string): Resolved {
    this.deps.add(IMPLEMENTERS_DEP + 'go:' + member);
    for (const h of this.world.goMethodHolders?.(member) ?? []) {
      if (!(r.methods ?? []).every((m) => this.goPackageBinding(h.dir, h.pkg, `${h.type}.${m}`).t !== 'missing')) continue;
      const m = this.goPackageBinding(h.dir, h.pkg, `${h.type}.${member}`);
      if (m.t === 'fn' && this.wrapperParams(m.file, m.id).length) return m;
    }
    return UNKNOWN;
  }

  /** A package-level name of a Go package: its binding in any file of the folder with that package clause. */
  private goPackageBinding(dir: string, pkg: string, name: string): Resolved {
    return this.memoized(`G\0${dir}\0${pkg}\0${name}`, UNKNOWN, () => {
      for (const f of this.goFilesOf(dir)) {
        const facts = this.js(f);
        if (facts?.package !== pkg) continue;
        const b = own(facts.bindings, name);
        if (b) return this.expr(f, b);
      }
      return MISSING;
    });
  }

  /** A name of an imported Go package (its files whose package is not a `_test` one). */
  private goImportedMember(dir: string, name: string): Resolved {
    for (const f of this.goFilesOf(dir)) {
      const pkg = this.js(f)?.package;
      if (pkg === undefined || pkg.endsWith('_test')) continue;
      const r = this.goPackageBinding(dir, pkg, name);
      return r.t === 'missing' ? UNKNOWN : r;
    }
    return UNKNOWN;
  }

  private goFilesOf(dir: string): string[] {
    this.deps.add(FILE_SET_DEP);
    return this.world.goFiles?.(dir) ?? [];
  }

  /** The workspace folder of a Go import path (through go.mod's `module`; without any go.mod, the path's tail as a folder of the workspace). */
  private goPackageDir(spec: string): string | undefined {
    for (const dir of goPackageDirCandidates((this.world.resolver ?? NO_RESOLVER).goModules(), spec)) if (this.goFilesOf(dir).length) return dir;
    return undefined;
  }

  // ---------- Kotlin: packages are `package` lines (kotlin-facts.ts) ----------

  /** A top-level name a Kotlin file does not declare: imported by name, then of its own package, then of a star import. */
  private kotlinName(f: JsFacts, name: string): Resolved {
    const imp = own(f.imports, name);
    if (imp) {
      const r = this.kotlinImported(imp.from, imp.name);
      if (r.t !== 'missing') return r;
    }
    const r = this.kotlinPackageMember(f.namespace ?? '', name);
    if (r.t !== 'missing') return r;
    for (const star of f.stars) {
      const s = this.kotlinPackageMember(star, name);
      if (s.t !== 'missing') return s;
    }
    return UNKNOWN;
  }

  /** `import a.b.C` (a top-level name of package a.b) or `import a.b.C.X` (a member of an object or enum). */
  private kotlinImported(spec: string, name: string): Resolved {
    if (/^com\.posthog(\.|$)/.test(spec)) return /^PostHog(Interface|Android)?$/.test(name) ? { t: 'client' } : UNKNOWN;
    const r = this.kotlinPackageMember(spec, name);
    if (r.t !== 'missing') return r;
    const dot = spec.lastIndexOf('.');
    if (dot > 0 && /^[A-Z]/.test(spec.slice(dot + 1))) {
      const outer = this.kotlinImported(spec.slice(0, dot), spec.slice(dot + 1));
      if (outer.t !== 'missing' && outer.t !== 'unknown') return this.walk(outer, [name]);
    }
    if (!name.startsWith('.')) this.deps.add(UNFOLLOWED + `${spec}.${name}`);
    return MISSING;
  }

  /** A top-level name of a Kotlin package: its binding in a file with that `package` line. */
  private kotlinPackageMember(pkg: string, name: string): Resolved {
    return this.memoized(`K\0${pkg}\0${name}`, UNKNOWN, () => {
      this.deps.add(FILE_SET_DEP);
      for (const f of this.world.kotlinFiles?.(pkg, name) ?? []) {
        const facts = this.js(f);
        if (facts?.namespace !== pkg) continue;
        const b = own(facts.bindings, name);
        if (b) return this.expr(f, b);
      }
      return MISSING;
    });
  }

  /** A module-scope name of `file`: its binding or import. */
  private name(file: string, name: string): Resolved {
    return this.memoized(`N\0${file}\0${name}`, UNKNOWN, () => {
      const f = this.js(file);
      if (!f) return UNKNOWN;
      const b = own(f.bindings, name);
      if (b) {
        const r = this.expr(file, b);
        return r.t === 'obj' && b.t === 'obj' ? { ...r, cls: name } : r;
      }
      if (f.namespace !== undefined) return this.kotlinName(f, name);
      const imp = own(f.imports, name);
      if (imp) {
        const r = this.imported(file, imp.from, imp.name, imp.sub);
        return r.t === 'missing' ? UNKNOWN : r;
      }
      // Go: the names of the other files of the package.
      if (f.package !== undefined) {
        const r = this.goPackageBinding(dirOf(file), f.package, name);
        return r.t === 'missing' ? UNKNOWN : r;
      }
      return UNKNOWN;
    });
  }

  /** `sub`: the submodule to import instead when the module has no such name (Python `from pkg import mod`). */
  private imported(file: string, spec: string, name: string, sub?: string): Resolved {
    if (isPosthogPackage(spec)) return { t: 'client' };
    if (isKotlinFile(file)) return this.kotlinImported(spec, name);
    if (this.opts.markImports) this.deps.add(`\0import\0${spec}`);
    if (isGoFile(file)) {
      const dir = this.goPackageDir(spec);
      return dir === undefined ? UNKNOWN : name === '*' ? { t: 'gopkg', dir } : this.goImportedMember(dir, name);
    }
    const target = this.module(file, spec);
    const r = target === undefined ? UNKNOWN : name === '*' ? { t: 'ns' as const, file: target } : this.exported(target, name);
    if (sub === undefined || (r.t !== 'missing' && r.t !== 'unknown')) return r;
    const m = this.imported(file, sub, '*');
    // A namespace package (no __init__.py) is no import that failed when its submodule is found.
    if (m.t === 'ns') this.deps.delete(UNFOLLOWED + spec);
    return m;
  }

  private exported(file: string, name: string): Resolved {
    return this.memoized(`E\0${file}\0${name}`, MISSING, () => {
      const f = this.js(file);
      if (!f) return this.world.exists(file) ? UNKNOWN : MISSING;
      const ex = own(f.exports, name);
      if (ex) return 'local' in ex ? this.name(file, ex.local) : this.imported(file, ex.from, ex.name);
      if (name !== 'default') {
        for (const star of f.stars) {
          const r = this.imported(file, star, name);
          if (r.t !== 'missing') return r;
        }
      }
      const cjs = own(f.bindings, 'module.exports');
      if (cjs) {
        const r = this.walk(this.expr(file, cjs), [name]);
        if (r.t !== 'unknown') return r;
      }
      return MISSING;
    });
  }

  private module(file: string, spec: string): string | undefined {
    if (/\.py$/i.test(file)) return this.pythonModule(file, spec);
    const resolver = this.world.resolver ?? NO_RESOLVER;
    for (const c of resolver.candidates(file, spec)) {
      this.deps.add(c);
      if (this.world.exists(c)) return c;
    }
    if (resolver.isExternalPackage(spec)) return undefined;
    if (isRelativeSpec(spec)) {
      this.deps.add(UNFOLLOWED + spec);
      return undefined;
    }
    this.deps.add(FILE_SET_DEP);
    const guess = this.world.guessModule?.(spec);
    if (guess !== undefined) {
      this.deps.add(guess);
      this.deps.add(GUESSED + spec);
      return guess;
    }
    this.deps.add(UNFOLLOWED + spec);
    return undefined;
  }

  /** A Python import (python-modules.ts): the first candidate that exists, else an import that could not be followed. */
  private pythonModule(file: string, spec: string): string | undefined {
    for (const c of pythonModuleCandidates(file, spec)) {
      this.deps.add(c);
      if (this.world.exists(c)) return c;
    }
    this.deps.add(UNFOLLOWED + spec);
    return undefined;
  }

  /**
   * Memoised per pass, with the dependencies found while computing attached
   * to every later hit. Re-entry (a cycle) yields `onCycle`, and results that
   * saw a cycle are not memoised.
   */
  private memoized<T>(key: string, onCycle: T, compute: () => T): T {
    const hit = this.memo.get(key) as MemoEntry<T> | undefined;
    if (hit) {
      for (const d of hit.deps) this.deps.add(d);
      return hit.value;
    }
    if (this.inProgress.has(key)) {
      this.cycleHit = true;
      return onCycle;
    }
    const outerDeps = this.deps;
    const outerCycle = this.cycleHit;
    this.deps = new Set();
    this.cycleHit = false;
    this.inProgress.add(key);
    let value: T = onCycle;
    try {
      value = compute();
      return value;
    } finally {
      this.inProgress.delete(key);
      const mine = this.deps;
      for (const d of mine) outerDeps.add(d);
      this.deps = outerDeps;
      if (!this.cycleHit) this.memo.set(key, { value, deps: mine });
      this.cycleHit = outerCycle || this.cycleHit;
    }
  }
}

/** The imported name a callee stands for (`f` of `from m import f as g`; `is_enabled` of `features.is_enabled`). */
function importedName(facts: JsFacts, callee: Expr): string {
  if (callee.t === 'name') return own(facts.imports, callee.name)?.name ?? callee.name;
  if (callee.t === 'member') return callee.path[callee.path.length - 1] ?? '';
  return '';
}

/**
 * A package outside the workspace named for PostHog (a path segment with
 * "posthog" in it, not PostHog's own SDK) and a function named like a flag
 * check: a PostHog wrapper whose key is its first argument.
 */
function isPosthogWrapperPackage(spec: string, name: string): boolean {
  if (isPosthogPackage(spec) || /^posthog(analytics)?([./]|$)/.test(spec)) return false;
  return /posthog/i.test(spec) && /^(is_?(feature_?)?(flag_?)?enabled|feature_?enabled|get_?feature_?flag|(is|has)_?feature|flag_?enabled)$/i.test(name);
}

function isKotlinFile(file: string): boolean {
  return /\.kts?$/i.test(file);
}

/** The name a callee is called by (`a.b.c` → c). */
function lastName(e: Expr): string {
  return e.t === 'name' ? e.name : e.t === 'member' ? e.path[e.path.length - 1] : '';
}

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

function own<T>(rec: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
}

/** `members`: a wrapper that forwards `param.x` reads `x` of any argument (Swift: `Flag.a` for `flag.rawValue`), not only of object literals. */
function argAt(args: CallArg[], spec: WrapperParam, members = false): KeyArg | undefined {
  let arg: CallArg | undefined = spec.keywordOnly ? undefined : args[spec.index];
  // Keyword arguments (Python) come after the positional ones and go by name.
  if (arg?.name !== undefined) arg = undefined;
  if (!arg && spec.name !== undefined) arg = args.find((a) => a.name === spec.name);
  if (!arg) return undefined;
  // Swift `isOn(.newPaywall)` for `func isOn(_ flag: Flag)`: `Flag.newPaywall` (the type's name is module-wide, as the caller would write it).
  const e0 = arg.expr;
  if (members && spec.type && e0.t === 'member' && e0.base.t === 'unknown' && e0.path.length === 1) return { ...arg, expr: { t: 'member', base: spec.type, path: [...e0.path, ...spec.path] } };
  if (!spec.path.length) return arg.text === '' ? undefined : arg;
  if (members && !arg.props && (arg.expr.t === 'member' || arg.expr.t === 'iface' || arg.expr.t === 'name')) {
    const e = arg.expr;
    return { ...arg, expr: e.t === 'member' ? { t: 'member', base: e.base, path: [...e.path, ...spec.path] } : { t: 'member', base: e, path: spec.path } };
  }
  if (spec.path.length !== 1 || !arg.props) return undefined;
  return own(arg.props, spec.path[0]);
}

function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function usage(facts: JsFacts, span: Span, key: string, kind: UsageKind, call: string, keySite: Location | undefined): Usage {
  const u: Usage = { file: facts.file, ...span, key, kind, call, language: facts.language };
  if (keySite) u.keySite = keySite;
  return u;
}

export function comparePositions(a: Location, b: Location): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn;
}

function sortByPosition<T extends Location>(list: T[]): T[] {
  return list.sort(comparePositions);
}
