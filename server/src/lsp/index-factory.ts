/**
 * Creates the per-folder index and file source, with the tree-sitter runtime
 * loaded once per process (grammars on demand; without it only JS/TS files
 * are indexed, said once in the log).
 */
import { WorkspaceIndex } from '../core/index';
import type { FileSource } from '../core/file-source';
import { ensureGrammar, type TreeSitterRuntime } from '../core/tree-sitter/extract';
import { languageForPath } from '../core/languages';
import { loadTreeSitterRuntime } from '../node/tree-sitter-runtime';
import { WorkTreeSource } from '../node/work-tree-source';
import type { FlagIndex } from './index-port';
import type { LogLevel } from './state';

let treeSitter: TreeSitterRuntime | undefined;

/** Loads the tree-sitter runtime (call once before creating indexes). Never throws. */
export async function prepareTreeSitter(log: (level: LogLevel, message: string) => void): Promise<void> {
  if (treeSitter) return;
  const r = await loadTreeSitterRuntime(__dirname);
  if (r.ok) treeSitter = r.runtime;
  else log('warn', `tree-sitter unavailable, only JS/TS files are indexed (${r.reason})`);
}

/**
 * Loads the grammars these files need before they are indexed, so a file is
 * never indexed as a parse error just because its grammar was still loading
 * (the index is exact only when every file it is given can be read).
 */
export async function prepareGrammars(files: Iterable<string>): Promise<void> {
  if (!treeSitter) return;
  const grammars = new Set<string>();
  for (const f of files) {
    const g = languageForPath(f)?.grammar;
    if (g) grammars.add(g);
  }
  for (const g of grammars) await ensureGrammar(treeSitter, g);
}

/** True when the file can be indexed now (JS, or its grammar is loaded or failed for good). */
export function grammarReady(file: string): boolean {
  const g = languageForPath(file)?.grammar;
  if (!g || !treeSitter) return true;
  const slot = treeSitter.slots.get(g);
  return !!slot && !slot.loading;
}

/** The loaded tree-sitter runtime (the cleanup code action parses Python with it), if any. */
export function treeSitterRuntime(): TreeSitterRuntime | undefined {
  return treeSitter;
}

export function createIndex(): FlagIndex {
  return new WorkspaceIndex(treeSitter ? { treeSitter } : {});
}

export function createSource(root: string, exclude: string[]): FileSource {
  return new WorkTreeSource(root, { exclude });
}
