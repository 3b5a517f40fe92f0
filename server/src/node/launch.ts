/**
 * dist/cli.js and dist/server.js: the small launchers of the real bundles
 * (dist/cli.bundle.js, dist/server.bundle.js; scripts/build.mjs builds this
 * file once per bundle, naming it in PHF_BUNDLE).
 *
 * Order matters. The V8 flags (v8-flags.ts: the wasm ones tree-sitter needs
 * before its first wasm compile, and the young generation's growth) are set
 * first: V8 rejects a code cache compiled under other flags. Then the bundle is compiled with its
 * code cache (code-cache.ts); TypeScript, when a scan first needs it, the
 * same way.
 */
import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import { CodeCache, codeCacheRoot } from './code-cache';
import { MEMORY_V8_FLAGS, WASM_V8_FLAGS } from './v8-flags';

declare const PHF_BUNDLE: string;

for (const flag of [...WASM_V8_FLAGS, ...MEMORY_V8_FLAGS]) setFlagsFromString(flag);

const trace = process.env.PHF_CODE_CACHE_TRACE ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
new CodeCache(codeCacheRoot(), trace).load(join(__dirname, PHF_BUNDLE), true);
