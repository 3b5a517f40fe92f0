import { setFlagsFromString } from 'node:v8';
import { WASM_V8_FLAGS } from './v8-flags';
import { createTreeSitterRuntime, type RuntimeOptions, type TreeSitterRuntime } from '../core/tree-sitter/extract';
import { loadWasmFromDir } from './tree-sitter-loader';

/** See v8-flags.ts (kept apart so the launchers set them without loading the runtime). */
export { WASM_V8_FLAGS };

let flagsSet = false;

/** Applies WASM_V8_FLAGS to this process (idempotent). Call before compiling any wasm. */
export function useBaselineWasmCompiler(): void {
  if (flagsSet) return;
  flagsSet = true;
  for (const flag of WASM_V8_FLAGS) setFlagsFromString(flag);
}

/**
 * The tree-sitter runtime for a bundle in dist/ (`dir` holds tree-sitter.wasm
 * and grammars/), loading only `grammars` up front; others load on demand.
 * Resolves to a reason instead of throwing when the runtime wasm cannot load,
 * so callers can still index the JS/TS files.
 */
export async function loadTreeSitterRuntime(
  dir: string,
  grammars: readonly string[] = [],
  options?: RuntimeOptions,
): Promise<{ ok: true; runtime: TreeSitterRuntime } | { ok: false; reason: string }> {
  useBaselineWasmCompiler();
  try {
    return { ok: true, runtime: await createTreeSitterRuntime(loadWasmFromDir(dir), grammars, options) };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
