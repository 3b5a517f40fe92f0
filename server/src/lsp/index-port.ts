/**
 * The part of the workspace index (server/src/core/index) the language
 * server uses. Declared here so the features depend on a small surface; the
 * real `WorkspaceIndex` satisfies it structurally.
 */
import type { Location, Skipped, Span, Unresolved, Usage } from '../core/types';
import type { IndexEntry } from '../core/index/workspace-index';
import type { ProjectResolver } from '../core/index/project-resolver';
import type { FactsCache } from '../core/index/facts-cache';

/** What is under the cursor, as the index sees it. */
export interface SymbolAtPosition {
  key: string;
  span: Span;
  /** `usage`: a call's key argument; `key-definition`: where the key's literal is written (constant value, enum member, wrapper argument). */
  role: 'usage' | 'key-definition';
  usage?: Usage;
}

export interface FlagIndex {
  /** Re-indexes one file from text; returns the files whose usages changed (dependents included). */
  update(file: string, text: string): string[];
  remove(file: string): string[];
  usages(): Usage[];
  usagesInFile(file: string): Usage[];
  usagesOfKey(key: string): Usage[];
  unresolved(): Unresolved[];
  unresolvedInFile(file: string): Unresolved[];
  keys(): Iterable<string>;
  files(): Iterable<string>;
  symbolAt(file: string, line: number, column: number): SymbolAtPosition | undefined;
  definitionAt(file: string, line: number, column: number): Location | undefined;
  keySites(key: string): Location[];
  /**
   * Many files at once (start-up); `lazy` entries are parsed only when a resolution needs them.
   * `partial`: more batches follow, some linking waits for the next call without it (WorkspaceIndex.apply).
   */
  updateBatch?(files: IndexEntry[], opts?: { partial?: boolean }): string[];
  /** How the folder's configs resolve imports (tsconfig, bundler aliases, workspace packages). */
  setResolver?(resolver: ProjectResolver | undefined): string[];
  /** Facts of an earlier run to reuse while indexing, and to fill (the index cache). */
  useFactsCache?(cache: FactsCache | undefined): void;
  /** Files that could not be read when resolution needed them. */
  skipped?(): Skipped[];
  /** Parse problems of parsed files (`fatal`: nothing could be read). */
  parseErrors?(): Array<{ file: string; error: string; fatal: boolean }>;
}
