// Bundles the three entry points with esbuild (one bundle each, the CLI and
// the server behind a small launcher, TypeScript in a file of its own) and
// copies the wasm files web-tree-sitter needs at run time into dist/grammars/.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dist = join(root, 'dist');
const watch = process.argv.includes('--watch');

// dist/ is overwritten in place, never deleted first: tests and a running
// server may be reading it while a rebuild happens.
mkdirSync(join(dist, 'grammars'), { recursive: true });

/** Grammars for the languages the index reads with tree-sitter (see server/src/core/languages.ts). */
export const GRAMMARS = ['python', 'go', 'ruby', 'php', 'java', 'kotlin', 'swift', 'dart', 'c_sharp'];
const grammarDir = join(dirname(require.resolve('tree-sitter-wasms/package.json')), 'out');
for (const g of GRAMMARS) copyFileSync(join(grammarDir, `tree-sitter-${g}.wasm`), join(dist, 'grammars', `tree-sitter-${g}.wasm`));
copyFileSync(join(dirname(require.resolve('web-tree-sitter')), 'tree-sitter.wasm'), join(dist, 'tree-sitter.wasm'));

// The build id the index cache keys on (server/src/node/facts-store.ts): any change to the sources or to the
// installed parser and grammar packages gives caches of another build, which are then not used.
const buildHash = createHash('sha1');
for (const f of readdirSync(join(root, 'server/src'), { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).sort()) {
  buildHash.update(f).update(readFileSync(join(root, 'server/src', f)));
}
for (const p of ['typescript', 'web-tree-sitter', 'tree-sitter-wasms']) buildHash.update(`${p}@${JSON.parse(readFileSync(join(root, 'node_modules', p, 'package.json'), 'utf8')).version}`);
const buildId = buildHash.digest('hex').slice(0, 16);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: !watch,
  keepNames: true,
  logLevel: 'warning',
  // web-tree-sitter looks for its own wasm next to the bundle; we pass locateFile explicitly.
  external: ['vscode'],
  define: { 'process.env.PHF_BUILD_ID': JSON.stringify(buildId) },
};

// TypeScript is a file of its own, loaded on first use (server/src/core/typescript.ts):
// in the bundles `typescript` is `./typescript.js` next to them.
const typescriptApart = {
  name: 'typescript-apart',
  setup(b) {
    b.onResolve({ filter: /^typescript$/ }, () => ({ path: './typescript.js', external: true }));
  },
};
const bundle = { ...common, plugins: [typescriptApart] };
// dist/cli.js and dist/server.js are small launchers (server/src/node/launch.ts) that set the
// V8 flags and load the bundle with its code cache (server/src/node/code-cache.ts).
const launcher = (name, bundleName, extra = {}) =>
  build({ ...common, entryPoints: { [name]: join(root, 'server/src/node/launch.ts') }, outdir: dist, define: { PHF_BUNDLE: JSON.stringify(bundleName) }, ...extra });

await Promise.all([
  build({ ...common, entryPoints: { extension: join(root, 'client/src/extension.ts') }, outdir: dist }),
  build({ ...bundle, entryPoints: { 'server.bundle': join(root, 'server/src/server.ts') }, outdir: dist }),
  build({ ...bundle, entryPoints: { 'cli.bundle': join(root, 'server/src/cli/main.ts') }, outdir: dist }),
  build({ ...common, sourcemap: false, entryPoints: { typescript: require.resolve('typescript') }, outdir: dist }),
  launcher('server', 'server.bundle.js'),
  launcher('cli', 'cli.bundle.js', { banner: { js: '#!/usr/bin/env node' } }),
]);
// `bin` target: executable so `npx posthog-flags` and ./dist/cli.js run it directly.
chmodSync(join(dist, 'cli.js'), 0o755);
