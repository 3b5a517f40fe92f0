// Neovim 0.7 (Debian) and Emacs 28 + eglot (Debian) get the same hover and
// diagnostics from dist/server.js as VS Code, against the fake PostHog.
// The probes are scripts/e2e/nvim-lsp.lua and scripts/e2e/emacs-lsp.el.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT, requireFile } from '../../scripts/e2e/editors';
import { copyDemoWorkspace } from '../../scripts/e2e/workbench';
import { FAKE_KEY, type FakePostHog } from '../fake-posthog';
import { DEMO_PROJECT_ID, startDemoPostHog } from './support/demo-posthog';

interface ProbeResult {
  hover: string;
  diagnostics: Array<{ message: string; code?: string }>;
  stderr: string;
}

type Editor = 'neovim' | 'emacs';

async function probe(editor: Editor, fake: FakePostHog, workspace: string, file: string, line: number, col: number, waitCode?: string, hoverExpect?: string): Promise<ProbeResult> {
  const out = join(dirname(workspace), `${editor}-${Date.now()}.json`);
  const env = {
    ...process.env,
    PHF_SERVER: join(REPO_ROOT, 'dist', 'server.js'),
    PHF_ROOT: workspace,
    PHF_FILE: join(workspace, file),
    PHF_LINE: String(line),
    PHF_COL: String(col),
    PHF_INIT: JSON.stringify({ host: fake.url, personalApiKey: FAKE_KEY, projectId: DEMO_PROJECT_ID }),
    PHF_OUT: out,
    PHF_TIMEOUT: '30',
    ...(waitCode ? { PHF_WAIT_DIAG_CODE: waitCode } : {}),
    ...(hoverExpect ? { PHF_HOVER_EXPECT: hoverExpect } : {}),
  };
  // Asynchronous: the fake PostHog answers from this process's event loop.
  const [command, args] =
    editor === 'neovim'
      ? [requireFile('/usr/bin/nvim', 'Neovim'), ['--headless', '-u', 'NONE', '-c', `luafile ${join(REPO_ROOT, 'scripts/e2e/nvim-lsp.lua')}`]]
      : [requireFile('/usr/bin/emacs', 'Emacs'), ['--batch', '-q', '-l', join(REPO_ROOT, 'scripts/e2e/emacs-lsp.el')]];
  const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
  assert.ok(existsSync(out), `${editor} wrote no result (exit ${r.status}):\n${r.stderr}`);
  const result = JSON.parse(readFileSync(out, 'utf8')) as Omit<ProbeResult, 'stderr'>;
  rmSync(out, { force: true });
  return { ...result, stderr: r.stderr };
}

describe('Neovim and Emacs (eglot) with dist/server.js', function () {
  this.timeout(120000);
  let fake: FakePostHog;
  let workspace: string;

  before(async () => {
    requireFile(join(REPO_ROOT, 'dist', 'server.js'), 'dist/server.js (npm run build)');
    fake = await startDemoPostHog();
    workspace = copyDemoWorkspace();
    // A repository root, so eglot (project.el) and the server see the whole demo as one project.
    spawnSync('git', ['init', '-q', workspace]);
  });

  after(async () => {
    await fake?.close();
    if (workspace) rmSync(dirname(workspace), { recursive: true, force: true });
  });

  for (const editor of ['neovim', 'emacs'] as const) {
    it(`${editor}: the typo is a missing-flag error with a suggestion, and its hover says so`, async () => {
      // web/src/components/CartSummary.tsx line 5: posthog.isFeatureEnabled('new-chekout')
      const r = await probe(editor, fake, workspace, 'web/src/components/CartSummary.tsx', 4, 46, 'missing-flag', 'new-chekout');
      const missing = r.diagnostics.find((d) => d.code === 'missing-flag');
      assert.ok(missing, `missing-flag among ${JSON.stringify(r.diagnostics)}\n${r.stderr}`);
      assert.match(missing.message, /new-chekout/);
      assert.match(missing.message, /did you mean 'new-checkout'/);
      assert.match(r.hover, /new-chekout/, `hover: ${JSON.stringify(r.hover)}`);
    });

    it(`${editor}: hover over a key through an enum names the flag and its cohort`, async () => {
      // web/src/pages/Dashboard.tsx line 5: useFeatureFlagEnabled(GrowthFlag.BetaDashboard)
      const r = await probe(editor, fake, workspace, 'web/src/pages/Dashboard.tsx', 4, 52, undefined, 'Beta testers');
      assert.match(r.hover, /beta-dashboard/, `hover: ${JSON.stringify(r.hover)}\n${r.stderr}`);
      assert.match(r.hover, /Beta testers/);
      assert.ok(!r.hover.includes(FAKE_KEY));
    });
  }
});
