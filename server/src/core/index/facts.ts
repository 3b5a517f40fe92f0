/**
 * Per-file facts: what one file says on its own, before cross-file resolution.
 * Extraction (js-extract.ts) makes them from one parse; the linker
 * (linker.ts) turns them into usages by looking other files' facts up.
 * Offsets never appear: every place is a Span in the file's own text.
 */
import type { Span, Unresolved, Usage } from '../types';

/** A value as far as one file can tell. */
export type Expr =
  /** A string literal; `span` covers its content without quotes. */
  | { t: 'str'; value: string; span: Span }
  /** A module-scope name of this file: a binding or an import. */
  | { t: 'name'; name: string }
  /** `base.a.b` / `base['a']`. */
  | { t: 'member'; base: Expr; path: string[] }
  /** An object literal, enum, or class (methods as props). */
  | { t: 'obj'; props: Record<string, Expr> }
  /** A named function of this file (index into JsFacts.fns). */
  | { t: 'fn'; id: number }
  /** `new X(...)`: an instance whose methods are X's. */
  | { t: 'new'; callee: Expr }
  /** A PostHog client (usePostHog(), new PostHog(...)). */
  | { t: 'client' }
  /** Parameter `index` of named function `fn` (its property `path` when destructured). */
  /** `type`: the parameter's declared type, when it may be a PostHog client (evidence for a generic method name). */
  | { t: 'param'; fn: number; index: number; path: string[]; type?: Expr }
  /** What calling `callee` returns (a function's declared return type; `useContext(C)` of `createContext<T>()`). */
  | { t: 'call'; callee: Expr }
  /** A value declared with an interface (or object type) of this name: its methods are those of the classes implementing it. */
  | { t: 'iface'; name: string }
  /**
   * Go: a value of the type `name` declared in this file's package (its fields and methods are the bindings
   * `name.member` of the package's files); `methods`: an interface type's method names (a type implements it when it has them all).
   */
  | { t: 'type'; name: string; methods?: string[] }
  | { t: 'unknown' };

/** A key argument as written: expression, where it is, its source text. */
export interface KeyArg {
  expr: Expr;
  span: Span;
  text: string;
}

/** An argument of a call that may turn out to be a wrapper call (positional, in order, then keyword arguments). */
export interface CallArg extends KeyArg {
  /** Properties of an object-literal argument, or JSX attributes (as argument 0). */
  props?: Record<string, KeyArg>;
  /** A keyword argument (Python `f(flag=X)`): matched by the callee's parameter name, not by position. */
  name?: string;
}

/** A call site the linker must look at. */
export type Site =
  /**
   * A PostHog SDK call. `evidence`: a receiver that must resolve to a PostHog client for the call to count.
   * `unlessOwn`: a receiver claimed only on file-level evidence (a PostHog import); the call does not count
   * when it resolves to a project object that defines the method itself.
   */
  | { t: 'sdk'; call: string; keys: KeyArg[]; evidence?: Expr; unlessOwn?: Expr }
  /** A call of a project function that might be a wrapper. */
  | { t: 'call'; call: string; callee: Expr; args: CallArg[] };

/** How a named function forwards a parameter. */
export type Forward =
  | { param: number; path: string[]; to: 'sdk'; evidence?: Expr; unlessOwn?: Expr; call?: string }
  /** `argName`: passed as a keyword argument (Python), matched by the callee's parameter name (`arg` is then -1). */
  | { param: number; path: string[]; to: 'call'; callee: Expr; arg: number; argPath: string[]; argName?: string };

export interface FnFacts {
  name: string;
  forwards: Forward[];
  /** The declared return type, as a value (`(): Telemetry` where `type Telemetry = Pick<PostHog, …>`). */
  returns?: Expr;
  /**
   * Parameter names, in order (Python, where callers may pass keyword
   * arguments; a method's `self` is not one). Parameters from `positional`
   * on are keyword-only (after `*` or `*args`).
   */
  params?: string[];
  positional?: number;
  /**
   * Swift: the declared type of a parameter (by index) where it is a project
   * type, so that a caller's shorthand `isOn(.newPaywall)` reads `Flag.newPaywall`.
   */
  paramTypes?: Record<number, Expr>;
}

/** A reference to a module-scope constant in code (for hover/definition away from calls). */
export interface RefFact {
  span: Span;
  expr: Expr;
}

export interface ImportFact {
  from: string;
  /** Imported name, `default`, or `*` for a namespace. */
  name: string;
  /** Python `from pkg import name`: the submodule `pkg.name`, imported when `pkg` itself has no such name. */
  sub?: string;
}

export type ExportFact = { local: string } | { from: string; name: string };

/**
 * Facts the linker resolves across files. Despite the name, also made for
 * Python (`language: 'python'`, by tree-sitter/python-facts.ts): every
 * module-level name is exported, imports are dotted Python specifiers.
 */
export interface JsFacts {
  kind: 'js';
  file: string;
  language: string;
  bindings: Record<string, Expr>;
  imports: Record<string, ImportFact>;
  exports: Record<string, ExportFact>;
  stars: string[];
  fns: FnFacts[];
  sites: Site[];
  refs: RefFact[];
  /**
   * Module-scope classes and the type names they implement or extend
   * (`class PostHogAdapter implements AnalyticsPort`): how a call on an
   * interface-typed receiver reaches a wrapper. Absent when there are none.
   */
  impls?: Record<string, string[]>;
  /** Go: the package clause (the files of one folder with the same package see each other's names). */
  package?: string;
  /** Kotlin: the `package` line ('' for none): files of one package see each other's top-level names, wherever they are. */
  namespace?: string;
  /** Module specifiers this file imports or re-exports (for the scan's pull of files). */
  specifiers: string[];
  /** Set when the parse failed or was cut (the facts hold what could be found). */
  error?: string;
  /** Made from the text with these ranges blanked (start, end offsets; see quiet-bodies.ts). */
  blanked?: number[];
}

/** Facts of a file handled by tree-sitter: already final, no cross-file part. */
export interface ForeignFacts {
  kind: 'foreign';
  file: string;
  language: string;
  usages: Usage[];
  unresolved: Unresolved[];
  error?: string;
}

export type FileFacts = JsFacts | ForeignFacts;
