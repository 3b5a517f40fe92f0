/**
 * `posthog-flags cleanup KEY [dir] --keep …` as a user runs it (contract:
 * "Cleanup"): the diff applies with git apply and equals --write; --format
 * json; exit 0 when KEY is not in the code, 2 on bad usage.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/flags-cli';
import { TempGitRepo } from '../support/temp-git-repo';

const DEMO = join(__dirname, '..', '..', 'examples', 'demo');

function gitApply(dir: string, patch: string, ...args: string[]): void {
  execFileSync('git', ['apply', ...args, '-'], { cwd: dir, input: patch });
}

describe('posthog-flags cleanup', function () {
  this.timeout(60000);
  let repo: TempGitRepo;
  beforeEach(() => {
    repo = new TempGitRepo('phf-cleanup-');
    cpSync(DEMO, repo.dir, { recursive: true });
    repo.commit('demo');
  });
  afterEach(() => repo.dispose());

  it('prints a unified diff that git apply applies, the same as --write, and writes nothing itself', async () => {
    const r = await runCli(['cleanup', 'new-checkout', repo.dir, '--keep', 'enabled']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^diff --git a\/api\/src\/server\.ts b\/api\/src\/server\.ts\n/);
    assert.match(r.stdout, /\n-  if \(await client\.isFeatureEnabled\('new-checkout', distinctId\)\) \{\n/);
    assert.equal(repo.git('status', '--porcelain'), '');
    gitApply(repo.dir, r.stdout, '--check');
  });

  it('--write rewrites the files as the diff says', async () => {
    const d = await runCli(['cleanup', 'beta-dashboard', repo.dir, '--keep', 'disabled']);
    const w = await runCli(['cleanup', 'beta-dashboard', repo.dir, '--keep', 'disabled', '--write']);
    assert.equal(w.status, 0, w.stderr);
    assert.equal(w.stdout, '');
    const written = ['web/src/pages/Dashboard.tsx', 'web/src/flags/flag-names.ts'].map((f) => readFileSync(join(repo.dir, f), 'utf8'));
    assert.equal(repo.git('diff', '--name-only'), 'web/src/flags/flag-names.ts\nweb/src/pages/Dashboard.tsx\n');
    repo.git('checkout', '--', '.');
    gitApply(repo.dir, d.stdout);
    assert.deepEqual(['web/src/pages/Dashboard.tsx', 'web/src/flags/flag-names.ts'].map((f) => readFileSync(join(repo.dir, f), 'utf8')), written);
    const dashboard = readFileSync(join(repo.dir, 'web/src/pages/Dashboard.tsx'), 'utf8');
    assert.ok(dashboard.includes('      <h2>Your dashboard</h2>\n'));
    assert.ok(!dashboard.includes('useFeatureFlagEnabled'));
    assert.ok(!readFileSync(join(repo.dir, 'web/src/flags/flag-names.ts'), 'utf8').includes('beta-dashboard'));
  });

  it('--format json lists the files and the sites left as they are', async () => {
    const r = await runCli(['cleanup', 'pricing-page-experiment', repo.dir, '--keep', 'free-trial', '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.key, 'pricing-page-experiment');
    assert.equal(out.keep, 'free-trial');
    assert.deepEqual(out.files, [{ file: 'web/src/pages/Pricing.tsx', edits: 4 }]);
    assert.equal(out.manual.length, 1);
    assert.deepEqual({ ...out.manual[0], reason: undefined }, { file: 'api/src/server.ts', line: 29, column: 55, reason: undefined });
  });

  it('a key not in the code: exit 0, said on stderr; bad usage: exit 2', async () => {
    const absent = await runCli(['cleanup', 'no-such-flag', repo.dir, '--keep', 'enabled']);
    assert.equal(absent.status, 0);
    assert.equal(absent.stdout, '');
    assert.match(absent.stderr, /'no-such-flag' is not used/);
    assert.equal((await runCli(['cleanup', 'new-checkout', repo.dir])).status, 2);
    assert.equal((await runCli(['cleanup', repo.dir])).status, 2);
    assert.equal((await runCli(['cleanup', 'new-checkout', repo.dir, '--keep', 'enabled', '--format', 'sarif'])).status, 2);
    assert.equal((await runCli(['cleanup', 'new-checkout', repo.dir, '--keep', 'enabled', '--bogus'])).status, 2);
  });
});

describe('posthog-flags cleanup: the README example', () => {
  it('is what cleanup new-checkout examples/demo --keep enabled prints', async () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const shown = /```diff\n(diff --git a\/api\/src\/server\.ts[\s\S]*?)```\n/.exec(readme)?.[1];
    const r = await runCli(['cleanup', 'new-checkout', DEMO, '--keep', 'enabled']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, shown);
  }).timeout(30000);
});
