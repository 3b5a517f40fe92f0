import assert from 'node:assert/strict';
import { startFakePostHog, type FakePostHog, type RawFlag } from '../fake-posthog/server';
import { FAKE_KEY, runCli } from '../support/flags-cli';
import { TempGitRepo } from '../support/temp-git-repo';

const flag = (id: number, key: string, active = true): RawFlag =>
  ({ id, key, name: key, active, deleted: false, filters: { groups: [{ properties: [{ key: 'email', type: 'person', value: '@a.com', operator: 'icontains' }], rollout_percentage: 30, variant: null }] }, tags: [], created_at: '2026-05-01T00:00:00Z' }) as RawFlag;

describe('posthog-flags check/report against the fake PostHog API', function () {
  this.timeout(30000);
  let fake: FakePostHog;
  let repo: TempGitRepo;

  before(async () => {
    fake = await startFakePostHog({ keys: [{ key: FAKE_KEY, scopes: ['*'] }], projects: [{ id: 1, flags: [flag(1, 'new-checkout'), flag(2, 'beta-off', false), flag(3, 'not-in-code')] }] });
    repo = new TempGitRepo('phf-check-api-');
    repo.commit('code', { 'src/a.ts': "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('new-checkout');\nposthog.isFeatureEnabled('beta-off');\n" });
  });
  after(async () => {
    await fake.close();
    repo.dispose();
  });

  const env = (key = FAKE_KEY) => ({ POSTHOG_PERSONAL_API_KEY: key, POSTHOG_HOST: fake.url, POSTHOG_PROJECT_ID: '1' });

  it('reads flags from the API with the key from the env', async () => {
    const r = await runCli(['check', repo.dir, '--format', 'json', '--fail-on', 'warning'], { env: env() });
    assert.equal(r.status, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.problems.map((p: { code: string; key: string }) => [p.code, p.key]), [['inactive-flag', 'beta-off']]);
    assert.equal(out.summary.flagsInPostHog, 3);
    assert.ok(fake.requests(/feature_flags/).every((e) => e.authorization === `Bearer ${FAKE_KEY}`));
  });

  it('a rejected key → exit 3, quoting PostHog’s detail, never the key', async () => {
    const wrong = 'phx_testkey_fake_wrong_0002';
    const r = await runCli(['check', repo.dir], { env: env(wrong) });
    assert.equal(r.status, 3);
    assert.match(r.stderr, /Personal API key found in request Authorization header is invalid/);
    assert.ok(!r.stderr.includes(wrong) && !r.stdout.includes(wrong));
  });

  it('PostHog failing with 500 → exit 3', async () => {
    fake.setFault({ kind: 'status', status: 500 });
    try {
      const r = await runCli(['report', repo.dir, '--format', 'json'], { env: env() });
      assert.equal(r.status, 3, r.stderr);
      assert.ok(r.stderr.length > 0);
      assert.equal(r.stdout, '');
    } finally {
      fake.setFault();
    }
  });

  it('report --apply-tags --yes tags the implemented flags only', async () => {
    const r = await runCli(['report', repo.dir, '--format', 'json', '--apply-tags', '--repo', 'shop', '--yes'], { env: env() });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /tagged 2 flag\(s\) with 'code:shop'/);
    const tags = new Map(fake.project(1).flags.map((f) => [f.key, f.tags]));
    assert.deepEqual(tags.get('new-checkout'), ['code:shop']);
    assert.deepEqual(tags.get('beta-off'), ['code:shop']);
    assert.deepEqual(tags.get('not-in-code'), []);
    const again = await runCli(['report', repo.dir, '--format', 'json', '--apply-tags', '--repo', 'shop'], { env: env() });
    assert.match(again.stderr, /would tag 0 flag\(s\)/);
  });
});
