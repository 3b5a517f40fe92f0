import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * A `loadWasm` for createTreeSitterRuntime (core/tree-sitter/extract.ts):
 * reads `<dir>/tree-sitter.wasm` and `<dir>/grammars/tree-sitter-<name>.wasm`
 * (the layout scripts/build.mjs writes into dist/), falling back to the npm
 * packages (web-tree-sitter/tree-sitter.wasm, tree-sitter-wasms/out/) so
 * tests and unbuilt checkouts work.
 */
export function loadWasmFromDir(dir?: string): (name: string) => Promise<Uint8Array> {
  return async (name: string) => {
    const file = name === 'tree-sitter' ? 'tree-sitter.wasm' : join('grammars', `tree-sitter-${name}.wasm`);
    if (dir) {
      try {
        return await readFile(join(dir, file));
      } catch {
        /* fall back to node_modules */
      }
    }
    return readFile(packagedWasmPath(name));
  };
}

function packagedWasmPath(name: string): string {
  const req = createRequire(__filename);
  if (name === 'tree-sitter') return req.resolve('web-tree-sitter/tree-sitter.wasm');
  return join(dirname(req.resolve('tree-sitter-wasms/package.json')), 'out', `tree-sitter-${name}.wasm`);
}
