import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_KEY, runCli, writeFlagsFile } from '../support/flags-cli';
import { TempGitRepo } from '../support/temp-git-repo';
import { parseGithubCommand, sarifValidator } from '../support/sarif-and-github';

const APP = [
  "import posthog from 'posthog-js';",
  "export const a = posthog.isFeatureEnabled('new-checkout');",
  "export const b = posthog.isFeatureEnabled('new-chekout');",
  "export const c = posthog.isFeatureEnabled('beta-off');",
  "export const d = posthog.isFeatureEnabled('everyone');",
  '',
].join('\n');

describe('posthog-flags check', function () {
  this.timeout(30000);
  let repo: TempGitRepo;
  let side: string;
  let flagsFile: string;

  before(() => {
    repo = new TempGitRepo('phf-check-');
    repo.commit('app', { 'src/app.ts': APP });
    repo.git('checkout', '-q', '-b', 'warn-only');
    repo.commit('warn only', { 'src/app.ts': "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('beta-off');\n" });
    repo.git('checkout', '-q', 'main');
    side = mkdtempSync(join(tmpdir(), 'phf-check-flags-'));
    flagsFile = writeFlagsFile(side, [
      { key: 'new-checkout' },
      { key: 'beta-off', active: false },
      { key: 'everyone', rollout: 100 },
      { key: 'unused-in-code' },
    ]);
  });
  after(() => {
    repo.dispose();
    rmSync(side, { recursive: true, force: true });
  });

  const check = (...args: string[]) => runCli(['check', repo.dir, '--flags-file', flagsFile, ...args]);

  it('json: one problem per usage with the contract fields, exit 1 on an error', async () => {
    const r = await check('--format', 'json');
    assert.equal(r.status, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    const byKey = new Map(out.problems.map((p: { key: string }) => [p.key, p]));
    assert.deepEqual([...byKey.keys()].sort(), ['beta-off', 'everyone', 'new-chekout']);
    const missing = byKey.get('new-chekout') as Record<string, unknown>;
    assert.deepEqual(
      { code: missing.code, severity: missing.severity, file: missing.file, line: missing.line, column: missing.column, endLine: missing.endLine, endColumn: missing.endColumn, suggestion: missing.suggestion },
      { code: 'missing-flag', severity: 'error', file: 'src/app.ts', line: 3, column: 44, endLine: 3, endColumn: 55, suggestion: 'new-checkout' },
    );
    assert.match(String(missing.message), /did you mean 'new-checkout'/);
    assert.equal((byKey.get('beta-off') as { code: string }).code, 'inactive-flag');
    assert.equal((byKey.get('everyone') as { code: string }).code, 'rollout-100');
    assert.equal(out.summary.bySeverity.error, 1);
    assert.equal(out.summary.bySeverity.warning, 1);
    assert.equal(out.summary.flagsInPostHog, 4);
    assert.equal(out.summary.filesScanned, 1);
  });

  it('--fail-on never → 0; --ref with only a warning: error → 0, warning → 1', async () => {
    assert.equal((await check('--format', 'json', '--fail-on', 'never')).status, 0);
    const warnOnly = await check('--ref', 'warn-only', '--format', 'json');
    assert.equal(warnOnly.status, 0, warnOnly.stderr);
    assert.deepEqual(JSON.parse(warnOnly.stdout).problems.map((p: { code: string }) => p.code), ['inactive-flag']);
    assert.equal((await check('--ref', 'warn-only', '--fail-on', 'warning')).status, 1);
  });

  it('sarif: valid SARIF 2.1.0 with relative uris under %SRCROOT% and stable fingerprints', async () => {
    const r = await check('--format', 'sarif');
    assert.equal(r.status, 1);
    const log = JSON.parse(r.stdout);
    const validate = sarifValidator();
    assert.ok(validate({ ...log }), JSON.stringify(validate.errors));
    const results = log.runs[0].results;
    assert.equal(results.length, 3);
    for (const res of results) {
      assert.deepEqual(res.locations[0].physicalLocation.artifactLocation, { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' });
    }
    // Moving the lines down keeps every fingerprint.
    const moved = await runCli(['check', repo.dir, '--flags-file', flagsFile, '--format', 'sarif'], {});
    assert.deepEqual(JSON.parse(moved.stdout).runs[0].results.map((x: any) => x.partialFingerprints), results.map((x: any) => x.partialFingerprints));
    writeFileSync(join(repo.dir, 'src/app.ts'), `// a comment\n\n${APP}`);
    try {
      const shifted = JSON.parse((await check('--format', 'sarif')).stdout).runs[0].results;
      assert.notDeepEqual(shifted.map((x: any) => x.locations[0].physicalLocation.region.startLine), results.map((x: any) => x.locations[0].physicalLocation.region.startLine));
      assert.deepEqual(shifted.map((x: any) => x.partialFingerprints), results.map((x: any) => x.partialFingerprints));
    } finally {
      writeFileSync(join(repo.dir, 'src/app.ts'), APP);
    }
  });

  it('--sarif-file writes SARIF next to another format', async () => {
    const sarifPath = join(side, 'out.sarif');
    const r = await check('--format', 'github', '--sarif-file', sarifPath);
    assert.equal(r.status, 1);
    assert.equal(JSON.parse(readFileSync(sarifPath, 'utf8')).version, '2.1.0');
  });

  it('github: workflow commands that parse back', async () => {
    const r = await check('--format', 'github');
    const commands = r.stdout.trimEnd().split('\n').map(parseGithubCommand).filter((c) => c !== undefined);
    assert.deepEqual(commands.map((c) => [c!.command, c!.props.title, c!.props.file, c!.props.line]), [
      ['error', 'missing-flag', 'src/app.ts', '3'],
      ['warning', 'inactive-flag', 'src/app.ts', '4'],
      ['notice', 'rollout-100', 'src/app.ts', '5'],
    ]);
    assert.equal(commands[0]!.props.col, '44');
    assert.equal(commands[0]!.props.endColumn, '55');
  });

  it('text: grouped by file, no colour off a TTY, colour with FORCE_COLOR', async () => {
    const r = await check();
    assert.equal(r.status, 1);
    assert.ok(!r.stdout.includes('\u001b['));
    assert.match(r.stdout, /^src\/app\.ts$/m);
    assert.match(r.stdout, /✖ 3 problems \(1 error, 1 warning, 1 hint\) in 1 file/);
    const coloured = await runCli(['check', repo.dir, '--flags-file', flagsFile], { env: { FORCE_COLOR: '1' } });
    assert.ok(coloured.stdout.includes('\u001b[31m'));
  });

  it('--ref reads the ref, not a dirty work tree, and leaves git status unchanged', async () => {
    writeFileSync(join(repo.dir, 'src/dirty.ts'), "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('dirty-key');\n");
    try {
      const before = repo.status();
      const r = await check('--ref', 'main', '--format', 'json');
      assert.ok(!r.stdout.includes('dirty-key'));
      assert.equal(JSON.parse(r.stdout).problems.length, 3);
      const workTree = await check('--format', 'json');
      assert.ok(workTree.stdout.includes('dirty-key'), 'the work tree scan sees the dirty file');
      assert.equal(repo.status(), before);
    } finally {
      rmSync(join(repo.dir, 'src/dirty.ts'));
    }
  });

  it('exit 2 on bad usage: unknown format, bad --fail-on, unknown ref, missing dir, no flag source', async () => {
    for (const args of [['--format', 'xml'], ['--fail-on', 'sometimes'], ['--ref', 'no-such-ref']]) {
      const r = await check(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    }
    assert.match((await check('--ref', 'no-such-ref')).stderr, /'no-such-ref' does not resolve/);
    assert.equal((await runCli(['check', join(side, 'nope'), '--flags-file', flagsFile])).status, 2);
    const none = await runCli(['check', repo.dir]);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no flag source/i);
  });

  it('exit 3 when the snapshot file is not a snapshot', async () => {
    const bad = join(side, 'bad.json');
    writeFileSync(bad, '{not json');
    const r = await runCli(['check', repo.dir, '--flags-file', bad]);
    assert.equal(r.status, 3);
    assert.match(r.stderr, /not valid JSON/);
  });

  it('exit 3 when PostHog cannot be reached, with the reason and without the key', async () => {
    const port = await closedPort();
    const r = await runCli(['check', repo.dir, '--host', `http://127.0.0.1:${port}`, '--project', '1'], {
      env: { POSTHOG_PERSONAL_API_KEY: FAKE_KEY },
    });
    assert.equal(r.status, 3, r.stderr);
    assert.ok(r.stderr.trim().length > 0);
    assert.ok(!r.stderr.includes(FAKE_KEY) && !r.stdout.includes(FAKE_KEY));
  });
});

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
