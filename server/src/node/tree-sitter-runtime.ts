import { setFlagsFromString } from 'node:v8';
import { createTreeSitterRuntime, type TreeSitterRuntime } from '../core/tree-sitter/extract';
import { loadWasmFromDir } from './tree-sitter-loader';

/**
 * The tree-sitter runtime for a bundle in dist/ (`dir` holds tree-sitter.wasm
 * and grammars/), loading only `grammars` up front; others load on demand.
 * Resolves to a reason instead of throwing when the runtime wasm cannot load,
 * so callers can still index the JS/TS files.
 */
export async function loadTreeSitterRuntime(
  dir: string,
  grammars: readonly string[] = [],
): Promise<{ ok: true; runtime: TreeSitterRuntime } | { ok: false; reason: string }> {
  // V8 otherwise optimises every function of a large grammar (swift, kotlin: 3–4 MB
  // of wasm) in the background, seconds of CPU that also hold the process at exit.
  // The baseline compiler parses our files fast enough.
  setFlagsFromString('--liftoff-only');
  try {
    return { ok: true, runtime: await createTreeSitterRuntime(loadWasmFromDir(dir), grammars) };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
