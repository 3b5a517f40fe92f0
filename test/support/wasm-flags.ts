// Loaded by mocha (.mocharc.json) before any test: tests compile the grammars
// under the same V8 flags as dist/server.js and dist/cli.js do, so they see
// the same code and also run on Node 24 (see server/src/node/tree-sitter-runtime.ts).
import { useBaselineWasmCompiler } from '../../server/src/node/tree-sitter-runtime';

useBaselineWasmCompiler();
