/** Bundles test/e2e/extension-host/{index,suite}.ts for the extension host (CommonJS; vscode and mocha external). */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, REPO_ROOT } from '../../../scripts/e2e/editors';

export async function buildExtensionTests(): Promise<string> {
  // Inside the repository so `require('mocha')` resolves from its node_modules.
  const outdir = join(ARTIFACTS, 'e2e-build', 'extension-host');
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { index: join(REPO_ROOT, 'test/e2e/extension-host/index.ts'), suite: join(REPO_ROOT, 'test/e2e/extension-host/suite.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return join(outdir, 'index.js');
}
