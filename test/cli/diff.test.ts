import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, writeFlagsFile } from '../support/flags-cli';
import { TempGitRepo } from '../support/temp-git-repo';

const head = "import posthog from 'posthog-js';\n";
const call = (key: string) => `posthog.isFeatureEnabled('${key}');\n`;

describe('posthog-flags diff', function () {
  this.timeout(30000);
  let repo: TempGitRepo;
  let side: string;
  let flagsFile: string;

  before(() => {
    repo = new TempGitRepo('phf-diff-');
    repo.commit('base', {
      'src/a.ts': head + call('moved') + '\n\n' + call('kept') + call('last-one'),
      'src/b.ts': head + call('shrinks') + call('shrinks'),
      'pkg/c.ts': head + call('grows'),
    });
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit('feature', {
      'src/a.ts': head + '// moved down\n\n\n' + call('kept') + call('moved') + call('brand-new'),
      'src/b.ts': head + call('shrinks'),
      'pkg/c.ts': head + call('grows') + '\n' + call('grows'),
    });
    repo.git('checkout', '-q', 'main');
    side = mkdtempSync(join(tmpdir(), 'phf-diff-flags-'));
    flagsFile = writeFlagsFile(side, [
      { key: 'brand-new', active: false },
      { key: 'last-one' },
      { key: 'moved' },
      { key: 'kept' },
      { key: 'grows' },
      { key: 'shrinks' },
    ]);
  });
  after(() => {
    repo.dispose();
    rmSync(side, { recursive: true, force: true });
  });

  it('json exactly per the contract: per (file, key) counts, moved lines are not changes', async () => {
    const r = await runCli(['diff', 'main', 'feature', repo.dir, '--format', 'json', '--flags-file', flagsFile]);
    assert.equal(r.status, 0, r.stderr);
    const d = JSON.parse(r.stdout);
    assert.equal(d.base, 'main');
    assert.equal(d.head, 'feature');
    assert.deepEqual(d.added, [
      { key: 'brand-new', newKey: true, usages: [{ file: 'src/a.ts', line: 7, column: 27 }], state: 'disabled' },
      { key: 'grows', newKey: false, usages: [{ file: 'pkg/c.ts', line: 2, column: 27 }, { file: 'pkg/c.ts', line: 4, column: 27 }], state: 'active' },
    ]);
    assert.deepEqual(
      d.removed.map((x: Record<string, unknown>) => ({ key: x.key, lastUsageRemoved: x.lastUsageRemoved, state: x.state, files: x.files })),
      [
        { key: 'last-one', lastUsageRemoved: true, state: 'active', files: ['src/a.ts'] },
        { key: 'shrinks', lastUsageRemoved: false, state: 'active', files: ['src/b.ts'] },
      ],
    );
  });

  it('markdown for a PR comment and text, with PostHog’s view; no state without a flag source', async () => {
    const md = await runCli(['diff', 'main', 'feature', repo.dir, '--format', 'markdown', '--flags-file', flagsFile]);
    assert.equal(md.status, 0);
    assert.match(md.stdout, /^### PostHog feature flags: `main` → `feature`$/m);
    assert.match(md.stdout, /starts using `brand-new`, which is disabled/);
    assert.match(md.stdout, /removes the last usage of `last-one`: safe to delete in PostHog/);
    const text = await runCli(['diff', 'main', 'feature', repo.dir, '--flags-file', flagsFile]);
    assert.match(text.stdout, /^\+ starts using 'brand-new', which is disabled$/m);
    const bare = await runCli(['diff', 'main', 'feature', repo.dir, '--format', 'json']);
    assert.equal(bare.status, 0, bare.stderr);
    assert.equal(JSON.parse(bare.stdout).added[0].state, undefined);
  });

  it('a subfolder: paths relative to it; the work tree stays untouched', async () => {
    const before = repo.status();
    const r = await runCli(['diff', 'main', 'feature', '--format', 'json'], { cwd: join(repo.dir, 'src') });
    assert.equal(r.status, 0, r.stderr);
    const d = JSON.parse(r.stdout);
    assert.deepEqual(d.added.map((a: { key: string }) => a.key), ['brand-new']);
    assert.equal(d.added[0].usages[0].file, 'a.ts');
    assert.equal(repo.status(), before);
  });

  it('exit 2 on an unknown ref or missing refs, 3 on a broken flag source', async () => {
    const bad = await runCli(['diff', 'main', 'nope', repo.dir]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /'nope' does not resolve/);
    assert.equal((await runCli(['diff', 'main'], { cwd: repo.dir })).status, 2);
    const broken = await runCli(['diff', 'main', 'feature', repo.dir], { env: { POSTHOG_FLAGS_FILE: join(side, 'missing.json') } });
    assert.equal(broken.status, 3);
  });
});
