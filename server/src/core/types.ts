/**
 * Shapes shared by the index, the CLI and the language server.
 *
 * Positions follow the public contract (../shared/docs/interfaces.md, `scan --json`):
 * `line`/`column` are 1-based, `column` counts UTF-16 code units, and the end
 * (`endLine`/`endColumn`) is exclusive, so a one-line range covers
 * `endColumn - column` code units. The LSP layer subtracts 1 from each.
 */

/** How a usage's key was found. */
export type UsageKind = 'literal' | 'constant' | 'wrapper';

/** Why a file was not read or parsed (`skipped` in `scan --json`). */
export type SkipReason = 'binary' | 'too-large' | 'minified' | 'parse-error' | 'unreadable';

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A place in the workspace: `file` is relative to the root, with `/`. */
export interface Location extends Span {
  file: string;
}

/** One use of a flag key in code. */
export interface Usage extends Location {
  key: string;
  kind: UsageKind;
  /** The SDK method, hook, component or wrapper called, e.g. `useFeatureFlagEnabled`. */
  call: string;
  /** LSP language id of the file, e.g. `typescriptreact`, `python`. */
  language: string;
  /**
   * For `constant` and `wrapper` usages: where the key's string literal is
   * written (the constant's value, or the literal passed to the wrapper).
   * Definition, references and rename use it. Not part of the contract's
   * minimum; present when known.
   */
  keySite?: Location;
  /**
   * Set when an import on the way to the key was resolved only by its file
   * name (no config, alias or package explains it): the specifier.
   */
  guessedImport?: string;
  /**
   * Set when the key reaches PostHog through a wrapper in a package outside
   * the workspace that is named for PostHog (its body was not read): the package.
   */
  viaPackage?: string;
}

/** Why a call's key is unknown (contract: "Unresolved usages say why"). */
export type UnresolvedReason = 'dynamic' | 'import' | 'parameter' | 'other';

/** A flag call whose key cannot be known statically. */
export interface Unresolved extends Location {
  call: string;
  /** The argument's source text, e.g. "`flag-${name}`". */
  expression: string;
  language?: string;
  reason?: UnresolvedReason;
  /** With reason `import`: the module specifier that could not be followed. */
  module?: string;
}

export interface Skipped {
  file: string;
  reason: SkipReason;
  /** Human detail (error text), never needed by machines. */
  detail?: string;
}

/** Output of a whole-workspace scan (`scan --json`). */
export interface ScanResult {
  root: string;
  filesScanned: number;
  usages: Usage[];
  unresolved: Unresolved[];
  skipped: Skipped[];
}

/** Result type for anything that can fail in an expected way. */
export type Result<T, E = { message: string }> = { ok: true; value: T } | { ok: false; error: E };
