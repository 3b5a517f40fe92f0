// The route for machines WITH internet: @vscode/test-electron downloads VS Code
// and runs the same extension-host suite as the offline code-server route
// (test/e2e/vscode-extension-host.test.ts). Not run by `npm test` (offline CI).
//
//   npm run build && node scripts/e2e/run-test-electron.mjs
//
// The fake PostHog runs in this process; its URL reaches the tests through
// the extension host's environment, as in the offline route.
import { runTests } from '@vscode/test-electron';
import { build } from 'esbuild';
import { cpSync, mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
register('tsx/esm', import.meta.url);
const { startFakePostHog, FAKE_KEY } = await import(join(root, 'test/fake-posthog/index.ts'));

const outdir = join(root, 'test-artifacts', 'e2e-build', 'extension-host');
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: { index: join(root, 'test/e2e/extension-host/index.ts'), suite: join(root, 'test/e2e/extension-host/suite.ts') },
  outdir, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'mocha'], logLevel: 'warning',
});

const snapshot = JSON.parse(readFileSync(join(root, 'examples/demo/posthog-flags.json'), 'utf8'));
const fake = await startFakePostHog({ projects: [{ id: 1, name: 'Demo shop', flags: snapshot.results, cohorts: snapshot.cohorts ?? [] }] });
const workspace = join(mkdtempSync(join(tmpdir(), 'phf-demo-')), 'demo');
cpSync(join(root, 'examples/demo'), workspace, { recursive: true });
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(outdir, 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { PHF_FAKE_URL: fake.url, PHF_FAKE_KEY: FAKE_KEY, PHF_FAKE_PROJECT: '1' },
  });
  console.log('extension-host tests passed (test-electron)');
} catch (error) {
  console.error('extension-host tests failed (test-electron):', error);
  process.exitCode = 1;
} finally {
  await fake.close();
}
