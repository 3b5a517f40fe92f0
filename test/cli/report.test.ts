import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, writeFlagsFile } from '../support/flags-cli';
import { TempGitRepo } from '../support/temp-git-repo';

describe('posthog-flags report', function () {
  this.timeout(30000);
  let repo: TempGitRepo;
  let side: string;
  let flagsFile: string;

  before(() => {
    repo = new TempGitRepo('phf-report-');
    repo.commit('code', {
      'web/a.ts': "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('new-checkout');\nposthog.isFeatureEnabled('old-flag');\n",
      'web/b.ts': "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('new-checkout');\n",
    });
    repo.git('checkout', '-q', '-b', 'cleanup');
    repo.commit('drop old-flag', { 'web/a.ts': "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('new-checkout');\n" });
    repo.git('checkout', '-q', 'main');
    side = mkdtempSync(join(tmpdir(), 'phf-report-flags-'));
    flagsFile = writeFlagsFile(side, [
      { key: 'new-checkout', rollout: 100 },
      { key: 'only-in-posthog', active: false },
      { key: 'old-flag', deleted: true },
    ]);
  });
  after(() => {
    repo.dispose();
    rmSync(side, { recursive: true, force: true });
  });

  const report = (...args: string[]) => runCli(['report', repo.dir, '--flags-file', flagsFile, ...args]);

  it('json: one row per key in code or in PostHog, with the contract fields', async () => {
    const r = await report('--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const rows = JSON.parse(r.stdout).flags;
    const pick = (row: Record<string, unknown>) => {
      const { key, state, inPostHog, inCode, usageCount, files, releasedToEveryone, stale } = row;
      return { key, state, inPostHog, inCode, usageCount, files, releasedToEveryone, stale };
    };
    assert.deepEqual(rows.map(pick), [
      { key: 'new-checkout', state: 'active', inPostHog: true, inCode: true, usageCount: 2, files: ['web/a.ts', 'web/b.ts'], releasedToEveryone: true, stale: false },
      { key: 'old-flag', state: 'deleted', inPostHog: false, inCode: true, usageCount: 1, files: ['web/a.ts'], releasedToEveryone: false, stale: false },
      { key: 'only-in-posthog', state: 'disabled', inPostHog: true, inCode: false, usageCount: 0, files: [], releasedToEveryone: false, stale: false },
    ]);
    assert.equal(typeof rows[0].rollout, 'string');
    assert.match(rows[0].rollout, /100%/);
  });

  it('--ref reads the branch: a deleted flag no longer in code drops out', async () => {
    const r = await report('--ref', 'cleanup', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.flags.map((f: { key: string }) => f.key), ['new-checkout', 'only-in-posthog']);
    assert.equal(out.flags[0].usageCount, 2);
    assert.deepEqual(out.flags[0].files, ['web/a.ts', 'web/b.ts']);
    assert.equal(out.ref, 'cleanup');
    assert.match(out.commit, /^[0-9a-f]{40}$/);
    assert.equal((await report('--ref', 'nope')).status, 2);
  });

  it('csv, markdown and text', async () => {
    const csv = await report('--format', 'csv');
    const lines = csv.stdout.trimEnd().split('\r\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0], /^key,state,inPostHog,inCode,usageCount,files,rollout,releasedToEveryone,stale,/);
    assert.match(lines[1], /^new-checkout,active,true,true,2,web\/a\.ts;web\/b\.ts,/);
    const md = await report('--format', 'markdown');
    assert.match(md.stdout, /^\| `only-in-posthog` \| disabled \| no \| 0 \|/m);
    const text = await report();
    assert.match(text.stdout, /^old-flag +deleted +yes +1 +not in PostHog$/m);
    assert.ok(!text.stdout.includes('\u001b['));
  });

  it('--apply-tags is a dry run without --yes', async () => {
    const r = await report('--format', 'json', '--apply-tags', '--repo', 'shop');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /would tag 1 flag\(s\) with 'code:shop'/);
    assert.match(r.stderr, /^ {2}new-checkout$/m);
  });

  it('exit 2 on a bad format, 3 on an unreadable source', async () => {
    assert.equal((await report('--format', 'pdf')).status, 2);
    const r = await runCli(['report', repo.dir], { env: { POSTHOG_FLAGS_FILE: join(side, 'missing.json') } });
    assert.equal(r.status, 3);
    assert.match(r.stderr, /Cannot read the flags snapshot/);
  });
});
