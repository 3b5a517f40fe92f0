// `scan`, `check`, `report` with --cache / --cache-location: the output is
// exactly that of a run without the cache (full `scan --json` compared) after
// edits, deletions, new files, a constant changed in another file, a tsconfig
// change, a branch switch, a truncated or foreign-version cache and an
// unwritable cache directory; the default location follows XDG_CACHE_HOME.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureBuilt, runCli, type CliRun } from './scan-cli';

const temps: string[] = [];
function temp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

function write(root: string, file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
}

/** `scan --json` without and with the cache: the same output, the same exit status; returns the cached run. */
function assertSameScan(root: string, cacheDir: string, label: string): CliRun {
  const coldRun = runCli(['scan', root, '--json']);
  const warm = runCli(['scan', root, '--json', '--cache-location', cacheDir]);
  assert.equal(coldRun.status, 0, coldRun.stderr);
  assert.equal(warm.status, 0, `${label}: ${warm.stderr}`);
  assert.equal(warm.stdout, coldRun.stdout, `${label}: the cached scan differs from the cold scan`);
  return warm;
}

const keys = (run: CliRun) => (JSON.parse(run.stdout).usages as Array<{ key: string }>).map((u) => u.key).sort();

describe('posthog-flags --cache', function () {
  this.timeout(120000);
  before(ensureBuilt);
  after(() => {
    for (const d of temps) {
      spawnSync('chmod', ['-R', 'u+w', d]);
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('scan: equal to the cold scan after edits, deletions, new files, a constant changed elsewhere, a tsconfig change and a branch switch', () => {
    const root = temp('phf-cli-cache-');
    write(root, 'tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@keys/*': ['src/keys/*'] } } }));
    write(root, 'src/keys/flags.ts', "export const FLAGS = { A: 'flag-a' } as const;\n");
    write(root, 'alt/flags.ts', "export const FLAGS = { A: 'alt-flag' } as const;\n");
    write(root, 'src/gate.ts', "import posthog from 'posthog-js';\nexport function gate(key: string) { return posthog.isFeatureEnabled(key); }\n");
    write(root, 'src/page.tsx', "import { FLAGS } from '@keys/flags';\nimport { gate } from './gate';\nexport const a = gate(FLAGS.A);\n");
    write(root, 'py/app.py', "import posthog\nposthog.feature_enabled('py-flag', 'user')\n");
    write(root, 'go/main.go', 'package main\n\nfunc main() {\n\tclient.IsFeatureEnabled(posthog.FeatureFlagPayload{Key: "go-flag", DistinctId: "u"})\n}\n');
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '.');
    git(root, 'commit', '-qm', 'one');
    const cacheDir = join(temp('phf-cli-cache-dir-'), 'c');

    let r = assertSameScan(root, cacheDir, 'first');
    assert.ok(keys(r).includes('flag-a') && keys(r).includes('py-flag'), keys(r).join());
    r = assertSameScan(root, cacheDir, 'unchanged');
    assert.equal(r.stderr, '', 'nothing said when all is well');

    write(root, 'src/keys/flags.ts', "export const FLAGS = { A: 'flag-b' } as const;\n");
    r = assertSameScan(root, cacheDir, 'constant changed in another file');
    assert.ok(keys(r).includes('flag-b') && !keys(r).includes('flag-a'));

    rmSync(join(root, 'py/app.py'));
    write(root, 'src/new.ts', "import { gate } from './gate';\ngate('new-flag');\n");
    write(root, 'src/page.tsx', "import { FLAGS } from '@keys/flags';\nimport { gate } from './gate';\nexport const a = gate(FLAGS.A);\nexport const b = gate('edited-flag');\n");
    r = assertSameScan(root, cacheDir, 'deleted, new, edited');
    assert.ok(keys(r).includes('new-flag') && keys(r).includes('edited-flag') && !keys(r).includes('py-flag'));

    write(root, 'tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@keys/*': ['alt/*'] } } }));
    r = assertSameScan(root, cacheDir, 'tsconfig paths changed');
    assert.ok(keys(r).includes('alt-flag'));

    // A branch switch: another commit's files under the same paths.
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'two');
    git(root, 'checkout', '-q', '-b', 'other');
    write(root, 'src/gate.ts', 'export function gate(key: string) { return key.length > 2; }\n');
    write(root, 'src/branch.ts', "import posthog from 'posthog-js';\nposthog.getFeatureFlag('branch-flag');\n");
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'other');
    r = assertSameScan(root, cacheDir, 'on the other branch');
    assert.deepEqual(keys(r).filter((k) => k !== 'go-flag'), ['branch-flag']);
    git(root, 'checkout', '-q', 'main');
    r = assertSameScan(root, cacheDir, 'back on main');
    assert.ok(keys(r).includes('new-flag') && !keys(r).includes('branch-flag'));
  });

  it('a truncated or foreign-version cache file: one line on stderr, the same output, then written again', () => {
    const root = temp('phf-cli-cache-bad-');
    write(root, 'a.ts', "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('flag-one');\n");
    const cacheDir = join(temp('phf-cli-cache-dir-'), 'c');
    assertSameScan(root, cacheDir, 'first');
    const [name] = readdirSync(cacheDir);
    const file = join(cacheDir, name);
    const good = readFileSync(file);
    writeFileSync(file, good.subarray(0, good.length - 7));
    let r = assertSameScan(root, cacheDir, 'truncated');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^posthog-flags scan: index cache .* is truncated; scanning without it/);
    r = assertSameScan(root, cacheDir, 'rewritten');
    assert.equal(r.stderr, '');
    writeFileSync(file, Buffer.from(readFileSync(file).toString('latin1').replace(/"tool\\":\\"[^\\]*\\"/, (m) => m.replace(/\d/g, '7')), 'latin1'));
    r = assertSameScan(root, cacheDir, 'foreign version');
    assert.match(r.stderr, /made by another version of posthog-flags/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  it('an unwritable cache location: one line on stderr, the same output, exit 0', () => {
    const root = temp('phf-cli-cache-ro-');
    write(root, 'a.ts', "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('flag-one');\n");
    const blocker = join(temp('phf-cli-cache-dir-'), 'a-file');
    writeFileSync(blocker, 'not a directory');
    const r = assertSameScan(root, blocker, 'unwritable');
    assert.match(r.stderr, /^posthog-flags scan: index cache not written to .*; results are not affected\n$/);
  });

  it('--cache uses $XDG_CACHE_HOME/posthog-flags (0700, files 0600, one entry per root); check and report take it too', () => {
    const root = temp('phf-cli-cache-xdg-');
    write(root, 'a.ts', "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('flag-one');\n");
    const home = temp('phf-cli-xdg-');
    const prev = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = home;
    try {
      const coldRun = runCli(['scan', root, '--json']);
      const warm = runCli(['scan', root, '--json', '--cache']);
      assert.equal(warm.stdout, coldRun.stdout);
      const dir = join(home, 'posthog-flags');
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      const entries = readdirSync(dir);
      assert.equal(entries.length, 1);
      assert.equal(statSync(join(dir, entries[0])).mode & 0o777, 0o600);
      const flags = join(temp('phf-cli-flags-'), 'flags.json');
      writeFileSync(flags, JSON.stringify({ results: [{ id: 1, key: 'flag-one', active: true, deleted: false, filters: { groups: [{ properties: [], rollout_percentage: 50 }] } }] }));
      for (const cmd of [['check', '--format', 'json'], ['report', '--format', 'json']]) {
        const plain = runCli([cmd[0], root, ...cmd.slice(1), '--flags-file', flags]);
        const withCache = runCli([cmd[0], root, ...cmd.slice(1), '--flags-file', flags, '--cache']);
        assert.equal(withCache.status, plain.status, withCache.stderr);
        assert.equal(withCache.stdout, plain.stdout, `${cmd[0]} with the cache`);
      }
      assert.equal(readdirSync(dir).length, 1, 'still one entry for the one root');
    } finally {
      if (prev === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = prev;
    }
  });

  it('--cache with --ref is a usage error (exit 2)', () => {
    const r = runCli(['scan', '.', '--cache', '--ref', 'HEAD']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--cache works on the work tree/);
  });
});
