// check --since SNAPSHOT: the changes of used flags since a pulled snapshot
// (text, JSON, github), and --slack-webhook posting them as one message to a
// local stand-in for Slack on 127.0.0.1: the key never goes there, a failing
// webhook is said on stderr and leaves the exit status alone.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakePostHog, type FakePostHog, type RawFlag } from '../fake-posthog/server';
import { FAKE_KEY, runCli } from '../support/flags-cli';
import { TempGitRepo } from '../support/temp-git-repo';

const flag = (id: number, key: string, over: Partial<RawFlag> = {}): RawFlag =>
  ({ id, key, name: key, active: true, deleted: false, filters: { groups: [{ properties: [], rollout_percentage: 30, variant: null }] }, tags: [], created_at: '2026-05-01T00:00:00Z', ...over }) as RawFlag;

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for Slack's incoming webhook: records requests, answers `status` (or never, for 'hang'). */
async function startSlack(answer: { status: number; text?: string } | 'hang' = { status: 200, text: 'ok' }): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.text ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/webhook-secret-path`,
    received,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

describe('posthog-flags check --since and --slack-webhook', function () {
  this.timeout(60000);
  let fake: FakePostHog;
  let repo: TempGitRepo;
  let earlier: string;
  let side: string;
  let unchanged: string;

  const env = (extra: Record<string, string> = {}) => ({ POSTHOG_PERSONAL_API_KEY: FAKE_KEY, POSTHOG_HOST: fake.url, POSTHOG_PROJECT_ID: '1', PHF_HTTP_TIMEOUT_MS: '1500', ...extra });
  const flagIn = (key: string) => fake.project(1).flags.find((f) => f.key === key)!;

  before(async () => {
    fake = await startFakePostHog({
      projects: [{ id: 1, flags: [flag(1, 'new-checkout'), flag(2, 'beta-off', { active: false }), flag(3, 'retiring'), flag(4, 'not-in-code'), flag(5, 'steady')] }],
    });
    repo = new TempGitRepo('phf-since-');
    repo.commit('code', {
      'src/a.ts': "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('new-checkout');\nposthog.isFeatureEnabled('new-checkout');\nposthog.isFeatureEnabled('beta-off');\nposthog.isFeatureEnabled('retiring');\nposthog.isFeatureEnabled('steady');\n",
    });
    side = mkdtempSync(join(tmpdir(), 'phf-since-snap-'));
    earlier = join(side, 'flags-before.json');
    const pulled = await runCli(['pull', '--out', earlier], { env: env() });
    assert.equal(pulled.status, 0, pulled.stderr);
    flagIn('new-checkout').filters = { groups: [{ properties: [], rollout_percentage: 100, variant: null }] };
    flagIn('beta-off').active = true;
    flagIn('retiring').deleted = true;
    flagIn('not-in-code').active = false;
    unchanged = join(side, 'flags-now.json');
    const again = await runCli(['pull', '--out', unchanged], { env: env() });
    assert.equal(again.status, 0, again.stderr);
  });
  after(async () => {
    await fake.close();
    repo.dispose();
    rmSync(side, { recursive: true, force: true });
  });

  it('JSON: the existing fields as before, plus since and changes of used flags only', async () => {
    const plain = JSON.parse((await runCli(['check', repo.dir, '--format', 'json'], { env: env() })).stdout);
    const r = await runCli(['check', repo.dir, '--format', 'json', '--since', earlier], { env: env() });
    const out = JSON.parse(r.stdout);
    // The same problems, except that the snapshot tells a deleted flag from a key that never existed.
    const codes = (o: any) => o.problems.map((p: any) => `${p.key}@${p.line}:${p.code}`);
    assert.deepEqual(codes(plain).filter((c: string) => !c.startsWith('retiring')), codes(out).filter((c: string) => !c.startsWith('retiring')));
    assert.deepEqual(codes(plain).filter((c: string) => c.startsWith('retiring')), ['retiring@5:missing-flag']);
    assert.deepEqual(codes(out).filter((c: string) => c.startsWith('retiring')), ['retiring@5:deleted-flag']);
    assert.deepEqual(Object.keys(out.summary), Object.keys(plain.summary));
    assert.deepEqual(Object.keys(out), ['problems', 'summary', 'since', 'changes']);
    assert.equal(out.since.file, earlier);
    assert.match(out.since.fetchedAt, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(out.changes.map((c: any) => [c.key, c.kinds, c.summary, c.usageCount, c.warning]), [
      ['beta-off', ['enabled'], 'enabled', 1, false],
      ['new-checkout', ['rollout', 'released'], 'rollout 30% → 100% of users — released to everyone', 2, true],
      ['retiring', ['deleted'], 'deleted in PostHog', 1, true],
    ]);
    assert.deepEqual(out.changes[1].before, { state: 'active', rollout: '30% of all users', releasedToEveryone: false });
  });

  it('text: the changes after the problems; github: an annotation per change', async () => {
    const text = await runCli(['check', repo.dir, '--since', earlier], { env: env() });
    assert.match(text.stdout, /3 flags used here changed since .*-before\.json\):\n {2}  beta-off +enabled +\(1 usage\)\n {2}⚠ new-checkout +rollout 30% → 100% of users — released to everyone +\(2 usages\)\n {2}⚠ retiring +deleted in PostHog +\(1 usage\)\n/);
    const gh = await runCli(['check', repo.dir, '--format', 'github', '--since', earlier], { env: env() });
    assert.match(gh.stdout, /^::warning title=flag changed%3A new-checkout::new-checkout: rollout 30%25 → 100%25 of users — released to everyone \(2 usages\)$/m);
    assert.match(gh.stdout, /^::notice title=flag changed%3A beta-off::beta-off: enabled \(1 usage\)$/m);
  });

  it('nothing changed: says so, and posts nothing', async () => {
    const slack = await startSlack();
    try {
      const r = await runCli(['check', repo.dir, '--since', unchanged, '--slack-webhook', slack.url], { env: env() });
      assert.match(r.stdout, /No changes to the flags used here since/);
      assert.equal(slack.received.length, 0);
    } finally {
      await slack.close();
    }
  });

  it('posts one Slack message {text, blocks}: no key, no Authorization, same exit status', async () => {
    const slack = await startSlack();
    try {
      const plain = await runCli(['check', repo.dir, '--since', earlier], { env: env() });
      const r = await runCli(['check', repo.dir, '--since', earlier, '--slack-webhook', slack.url], { env: env() });
      assert.equal(r.status, plain.status);
      assert.equal(slack.received.length, 1, 'one message');
      const [req] = slack.received;
      assert.equal(req.method, 'POST');
      assert.equal(req.url, '/services/T000/B000/webhook-secret-path');
      assert.equal(req.headers['content-type'], 'application/json');
      assert.equal(req.headers.authorization, undefined);
      assert.ok(!JSON.stringify(req.headers).includes(FAKE_KEY) && !req.body.includes(FAKE_KEY), 'the personal key never goes to the webhook');
      const body = JSON.parse(req.body);
      assert.deepEqual(Object.keys(body).sort(), ['blocks', 'text']);
      assert.match(body.text, /3 feature flags used in `.*` changed in PostHog/);
      assert.match(body.text, /:warning: `new-checkout`: rollout 30% → 100% of users — released to everyone \(2 usages\)/);
      assert.match(body.text, /• `beta-off`: enabled \(1 usage\)/);
      assert.ok(body.blocks.length >= 2 && body.blocks.every((b: any) => b.type === 'section' && b.text.type === 'mrkdwn'));
      assert.match(body.blocks[1].text.text, /`retiring`: deleted in PostHog/);
      assert.match(r.stderr, /posted 3 changes to Slack/);
    } finally {
      await slack.close();
    }
  });

  it('POSTHOG_FLAGS_SLACK_WEBHOOK when no option is given', async () => {
    const slack = await startSlack();
    try {
      await runCli(['check', repo.dir, '--since', earlier], { env: env({ POSTHOG_FLAGS_SLACK_WEBHOOK: slack.url }) });
      assert.equal(slack.received.length, 1);
      // Without --since the variable is ignored (it may be set for the whole CI job).
      const r = await runCli(['check', repo.dir], { env: env({ POSTHOG_FLAGS_SLACK_WEBHOOK: slack.url }) });
      assert.notEqual(r.status, 2);
      assert.equal(slack.received.length, 1);
    } finally {
      await slack.close();
    }
  });

  for (const [name, make] of [
    ['a 5xx', () => startSlack({ status: 500, text: 'no_service' })],
    ['a timeout', () => startSlack('hang')],
  ] as const) {
    it(`a webhook failing with ${name}: said on stderr (origin only), exit status unchanged`, async () => {
      const slack = await make();
      try {
        const plain = await runCli(['check', repo.dir, '--since', earlier], { env: env() });
        const r = await runCli(['check', repo.dir, '--since', earlier, '--slack-webhook', slack.url], { env: env() });
        assert.equal(r.status, plain.status);
        assert.equal(r.stdout, plain.stdout);
        assert.match(r.stderr, name === 'a 5xx' ? /could not post the changes to Slack: the Slack webhook at http:\/\/127\.0\.0\.1:\d+ answered HTTP 500: "no_service"/ : /could not post the changes to Slack: .*timed out after 1\.5 s/);
        assert.ok(!r.stderr.includes('webhook-secret-path'), 'the webhook path is a secret too');
      } finally {
        await slack.close();
      }
    });
  }

  it('a refused connection: said on stderr, exit status unchanged', async () => {
    const slack = await startSlack();
    const url = slack.url;
    await slack.close();
    const plain = await runCli(['check', repo.dir, '--since', earlier], { env: env() });
    const r = await runCli(['check', repo.dir, '--since', earlier, '--slack-webhook', url], { env: env() });
    assert.equal(r.status, plain.status);
    assert.match(r.stderr, /could not post the changes to Slack: the Slack webhook at http:\/\/127\.0\.0\.1:\d+ could not be reached \(connection refused\)/);
  });

  it('bad usage: --slack-webhook without --since, a webhook that is not http(s), a --since file that is not there', async () => {
    const noSince = await runCli(['check', repo.dir, '--slack-webhook', 'http://127.0.0.1:9/x'], { env: env() });
    assert.equal(noSince.status, 2);
    assert.match(noSince.stderr, /--slack-webhook posts the changes found by --since/);
    const ftp = await runCli(['check', repo.dir, '--since', earlier, '--slack-webhook', 'ftp://127.0.0.1/x'], { env: env() });
    assert.equal(ftp.status, 2);
    const missing = await runCli(['check', repo.dir, '--since', join(repo.dir, 'nope.json')], { env: env() });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--since: Cannot read the flags snapshot .*nope\.json: no such file/);
  });
});
