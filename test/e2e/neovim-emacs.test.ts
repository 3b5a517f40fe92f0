// Neovim 0.7 (Debian) and Emacs 28 + eglot (Debian) get the same hover and
// diagnostics from dist/server.js as VS Code, against the fake PostHog, and
// Neovim the inlay hints (drawn in a real terminal, captured as text).
// The probes are scripts/e2e/nvim-lsp.lua, scripts/e2e/nvim-inlay-hints.lua
// and scripts/e2e/emacs-lsp.el.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ARTIFACTS, REPO_ROOT, requireFile, waitFor } from '../../scripts/e2e/editors';
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

/** One usage per state the inlay hints show (the demo's flags), and the label each must get. */
const GLANCE_TS = `import posthog from './posthog';

export const checkout = posthog.isFeatureEnabled('new-checkout');
export const sso = posthog.isFeatureEnabled('enterprise-sso');
export const pricing = posthog.getFeatureFlag('pricing-page-experiment');
export const dark = posthog.isFeatureEnabled('dark-mode');
export const exportOld = posthog.isFeatureEnabled('legacy-export');
export const banner = posthog.isFeatureEnabled('holiday-banner');
export const typo = posthog.isFeatureEnabled('new-chekout');
`;
const GLANCE_LABELS: Array<[string, string]> = [
  ['new-checkout', '● 30%+'],
  ['enterprise-sso', '● targeted'],
  ['pricing-page-experiment', '● variants'],
  ['dark-mode', '● 100%'],
  ['legacy-export', '○ off'],
  ['holiday-banner', '◐ stale'],
  ['new-chekout', '✕ missing'],
];

interface InlayProbe {
  hints: Array<{ position: { line: number; character: number }; label: string }>;
  shown: Array<{ line: number; col: number; text: string }>;
  builtin: boolean;
  screen: string;
}

/**
 * Neovim in a real terminal (tmux, on a socket of its own): the probe loads
 * the hints and draws them; once it has written its result, the terminal is
 * captured as text, then the probe is let go.
 */
async function probeInlayHints(fake: FakePostHog, workspace: string, file: string, minHints: number): Promise<InlayProbe> {
  const tmux = requireFile('/usr/bin/tmux', 'tmux');
  const nvim = requireFile('/usr/bin/nvim', 'Neovim');
  const stamp = `${process.pid}-${Date.now()}`;
  const out = join(dirname(workspace), `nvim-inlay-${stamp}.json`);
  const hold = join(dirname(workspace), `nvim-inlay-${stamp}.release`);
  const socket = `phf-e2e-${stamp}`;
  const env = {
    ...process.env,
    TERM: 'xterm-256color',
    PHF_SERVER: join(REPO_ROOT, 'dist', 'server.js'),
    PHF_ROOT: workspace,
    PHF_FILE: join(workspace, file),
    PHF_INIT: JSON.stringify({ host: fake.url, personalApiKey: FAKE_KEY, projectId: DEMO_PROJECT_ID }),
    PHF_OUT: out,
    PHF_HOLD: hold,
    PHF_MIN_HINTS: String(minHints),
    PHF_TIMEOUT: '30',
  };
  const tmuxRun = (args: string[]) => spawnSync(tmux, ['-L', socket, ...args], { env, encoding: 'utf8' });
  const script = join(REPO_ROOT, 'scripts/e2e/nvim-inlay-hints.lua');
  // A fresh tmux server started with `env`: the session's command inherits it.
  const started = tmuxRun(['-f', '/dev/null', 'new-session', '-d', '-s', 'probe', '-x', '100', '-y', '14', `${nvim} -u NONE -i NONE -c 'luafile ${script}'`]);
  assert.equal(started.status, 0, `tmux new-session: ${started.stderr}`);
  try {
    await waitFor('the Neovim probe to write its result', 60000, () => (existsSync(out) ? true : undefined), 200);
    const result = JSON.parse(readFileSync(out, 'utf8')) as Omit<InlayProbe, 'screen'>;
    // The screen is drawn after the result is written; capture once the hints are on it.
    const screen = await waitFor('the hints on the terminal screen', 10000, () => {
      const cap = tmuxRun(['capture-pane', '-p', '-t', 'probe']);
      return cap.status === 0 && result.shown.every((s) => cap.stdout.includes(s.text)) ? cap.stdout : undefined;
    }, 200);
    writeFileSync(hold, '');
    return { ...result, screen };
  } finally {
    writeFileSync(hold, '');
    tmuxRun(['kill-server']);
    rmSync(out, { force: true });
    rmSync(hold, { force: true });
  }
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

  it('neovim: an inlay hint after every flag key, drawn on the screen (text capture in test-artifacts/)', async () => {
    writeFileSync(join(workspace, 'web/src/glance.ts'), GLANCE_TS);
    const r = await probeInlayHints(fake, workspace, 'web/src/glance.ts', GLANCE_LABELS.length);
    const lines = GLANCE_TS.split('\n');
    assert.equal(r.hints.length, GLANCE_LABELS.length, `hints: ${JSON.stringify(r.hints)}`);
    for (const [key, label] of GLANCE_LABELS) {
      const line = lines.findIndex((l) => l.includes(`'${key}'`));
      const hint = r.hints.find((h) => h.position.line === line);
      assert.equal(hint?.label, label, `${key}: ${JSON.stringify(hint)}`);
      assert.equal(hint!.position.character, lines[line].indexOf(`'${key}'`) + key.length + 2, `${key}: right after the closing quote`);
      assert.ok(r.shown.some((s) => s.line === line && s.text === label), `${key}: Neovim holds '${label}' as virtual text on line ${line}: ${JSON.stringify(r.shown)}`);
      const row = r.screen.split('\n').find((l) => l.includes(`'${key}'`));
      assert.ok(row?.includes(label), `${key}: the screen shows '${label}' on its line:\n${r.screen}`);
    }
    assert.ok(!r.screen.includes(FAKE_KEY));
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'neovim-inlay-hints.txt'), r.screen);
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
