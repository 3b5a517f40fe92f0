/**
 * Creates the per-folder index and file source, with the tree-sitter runtime
 * loaded once per process (grammars on demand; without it only JS/TS files
 * are indexed, said once in the log).
 */
import { WorkspaceIndex } from '../core/index';
import type { FileSource } from '../core/file-source';
import type { TreeSitterRuntime } from '../core/tree-sitter/extract';
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

export function createIndex(): FlagIndex {
  return new WorkspaceIndex(treeSitter ? { treeSitter } : {});
}

export function createSource(root: string, exclude: string[]): FileSource {
  return new WorkTreeSource(root, { exclude });
}
