/**
 * Issue 8, secrets in the CLI: the personal API key appears in no byte any
 * command writes (stdout, stderr, --sarif-file, pull's snapshot), on the
 * happy paths and the error paths, even when PostHog echoes it back, when
 * it sits in the scanned code, or when the tool crashes.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakePostHog, type FakePostHog, type RawFlag } from '../fake-posthog/server';
import { FAKE_KEY, runCli, type CliRun } from '../support/flags-cli';
import { TempGitRepo } from '../support/temp-git-repo';

const flag = (id: number, key: string, over: Partial<RawFlag> = {}): RawFlag =>
  ({ id, key, name: key, active: true, deleted: false, filters: { groups: [{ properties: [], rollout_percentage: 30, variant: null }] }, tags: [], created_at: '2026-05-01T00:00:00Z', ...over }) as RawFlag;

/** Every byte of the run and of the files in `outDir` must be free of `key`. */
function assertClean(what: string, r: CliRun, outDir?: string, key = FAKE_KEY): void {
  assert.ok(!r.stdout.includes(key), `${what}: the key is on stdout`);
  assert.ok(!r.stderr.includes(key), `${what}: the key is on stderr`);
  for (const f of outDir ? readdirSync(outDir) : []) {
    assert.ok(!readFileSync(join(outDir!, f), 'utf8').includes(key), `${what}: the key is in ${f}`);
  }
}

/** A server that answers every request with `status` and PostHog's envelope whose detail echoes the Authorization header. */
async function startEcho(status: number): Promise<{ url: string; server: Server; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const auth = String(req.headers.authorization ?? '');
    seen.push(auth);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ type: 'authentication_error', code: 'authentication_failed', detail: `Personal API key "${auth}" is invalid (${auth.replace('Bearer ', '')}).`, attr: null }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen };
}

describe('secrets: the CLI never writes the key', function () {
  this.timeout(60_000);
  let fake: FakePostHog;
  let repo: TempGitRepo;
  let out: string;
  let base: string;

  before(async () => {
    fake = await startFakePostHog({
      projects: [
        {
          id: 1,
          flags: [
            flag(1, 'new-checkout', { name: `Set up with ${FAKE_KEY}` }),
            flag(2, 'beta-off', { active: false, tags: [FAKE_KEY] }),
            flag(3, 'not-in-code'),
          ],
        },
      ],
    });
    repo = new TempGitRepo('phf-secrets-');
    base = repo.commit('base', { 'src/a.ts': "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('new-checkout');\n" });
    // The key pasted into code as if it were a flag key: every output that mentions keys would print it.
    repo.commit('head', {
      'src/a.ts': `import posthog from 'posthog-js';\nposthog.isFeatureEnabled('new-checkout');\nposthog.isFeatureEnabled('beta-off');\nposthog.isFeatureEnabled('${FAKE_KEY}');\nconst k = "${FAKE_KEY}";\n`,
    });
    out = mkdtempSync(join(tmpdir(), 'phf-secrets-out-'));
  });
  after(async () => {
    await fake.close();
    repo.dispose();
    rmSync(out, { recursive: true, force: true });
  });

  const env = (over: Record<string, string> = {}) => ({ POSTHOG_PERSONAL_API_KEY: FAKE_KEY, POSTHOG_HOST: fake.url, POSTHOG_PROJECT_ID: '1', ...over });

  it('check in every format, with --sarif-file', async () => {
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = await runCli(['check', repo.dir, '--format', format, '--sarif-file', join(out, `check-${format}.sarif`)], { env: env({ FORCE_COLOR: '1' }) });
      assert.equal(r.status, 1, `${format}: ${r.stderr}`);
      assert.ok(r.stdout.includes('beta-off'), `${format} printed the problems`);
      assertClean(`check --format ${format}`, r, out);
    }
    assert.ok(fake.requests(/feature_flags/).every((e) => e.authorization === `Bearer ${FAKE_KEY}`), 'the key was used');
  });

  it('report in every format', async () => {
    for (const format of ['text', 'json', 'markdown', 'csv']) {
      const r = await runCli(['report', repo.dir, '--format', format], { env: env() });
      assert.equal(r.status, 0, `${format}: ${r.stderr}`);
      assert.ok(r.stdout.includes('not-in-code'));
      assertClean(`report --format ${format}`, r);
    }
  });

  it('diff in every format', async () => {
    for (const format of ['text', 'json', 'markdown']) {
      const r = await runCli(['diff', base, 'HEAD', repo.dir, '--format', format], { env: env() });
      assert.equal(r.status, 0, `${format}: ${r.stderr}`);
      assert.ok(r.stdout.includes('beta-off'));
      assertClean(`diff --format ${format}`, r);
    }
  });

  it('scan, text and json (no key needed, none printed)', async () => {
    for (const args of [[], ['--json']]) {
      const r = await runCli(['scan', repo.dir, ...args], { env: env() });
      assert.equal(r.status, 0, r.stderr);
      assert.ok(r.stdout.includes('new-checkout'));
      assertClean(`scan ${args.join(' ')}`, r);
    }
  });

  it('pull to stdout and to a snapshot file', async () => {
    const toStdout = await runCli(['pull'], { env: env() });
    assert.equal(toStdout.status, 0, toStdout.stderr);
    assert.ok(toStdout.stdout.includes('new-checkout'));
    assertClean('pull', toStdout);
    const file = join(out, 'snapshot.json');
    const toFile = await runCli(['pull', '--out', file], { env: env() });
    assert.equal(toFile.status, 0, toFile.stderr);
    assert.ok(readFileSync(file, 'utf8').includes('not-in-code'));
    assertClean('pull --out', toFile, out);
  });

  it('error paths: PostHog echoing the Authorization header in a 401 and a 500 detail', async () => {
    for (const status of [401, 500]) {
      const echo = await startEcho(status);
      try {
        const commands = [['check', repo.dir, '--format', 'json'], ['pull', '--out', join(out, 'never.json')], ['report', repo.dir], ['diff', base, 'HEAD', repo.dir]];
        // A 500 is retried (seconds each): two commands prove the path.
        for (const args of status === 500 ? commands.slice(0, 2) : commands) {
          const r = await runCli(args, { env: env({ POSTHOG_HOST: echo.url }) });
          assert.equal(r.status, 3, `${args[0]} → ${r.status}: ${r.stderr}`);
          assert.match(r.stderr, /is invalid/, `${args[0]} quotes PostHog's detail`);
          assertClean(`${args[0]} against a ${status} echoing the key`, r, out);
        }
        assert.ok(echo.seen.includes(`Bearer ${FAKE_KEY}`), 'the echo server did receive the key');
      } finally {
        echo.server.close();
      }
    }
  });

  it('error paths: unreachable host and a key that is not a personal key', async () => {
    const down = await runCli(['check', repo.dir], { env: env({ POSTHOG_HOST: 'http://127.0.0.1:9' }) });
    assert.equal(down.status, 3);
    assertClean('check against a closed port', down);
    const projectKey = 'phc_project_token_abcdef123456';
    const wrong = await runCli(['pull'], { env: env({ POSTHOG_PERSONAL_API_KEY: projectKey }) });
    assert.equal(wrong.status, 3, wrong.stderr);
    assertClean('pull with a project key', wrong, undefined, projectKey);
  });

  it('crash output: an internal error that carries the key is printed without it', async () => {
    const preload = join(out, 'boom.cjs');
    writeFileSync(
      preload,
      `const fsp = require('node:fs/promises'); const fs = require('node:fs');
       const boom = () => { throw new Error('disk on fire near ' + process.env.POSTHOG_PERSONAL_API_KEY); };
       fsp.readdir = fsp.opendir = async () => boom(); fs.readdirSync = boom;`,
    );
    for (const command of ['check', 'scan', 'report']) {
      const r = await runCli([command, repo.dir], { env: env({ NODE_OPTIONS: `--require ${preload}` }) });
      assert.notEqual(r.status, 0, `${command} failed`);
      assert.match(r.stderr, /disk on fire/, `${command} reported the failure: ${r.stderr}`);
      assertClean(`${command} crashing`, r);
    }
    rmSync(preload);
  });
});
