import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagHash } from '../../server/src/core/eval';
import { FAKE_KEY, startFakePostHog, type FakePostHog } from '../fake-posthog';
import { runCli, writeFlagsFile } from '../support/flags-cli';

/** A distinct id inside the 30% rollout of `new-checkout`. */
function insideRollout(): string {
  for (let i = 0; ; i++) if (flagHash('new-checkout', `user-${i}`) <= 0.3) return `user-${i}`;
}

describe('posthog-flags eval', function () {
  this.timeout(30000);
  let fake: FakePostHog;
  let dir: string;
  const id = insideRollout();

  before(async () => {
    fake = await startFakePostHog({
      projects: [
        {
          id: 1,
          groupTypes: [{ group_type: 'company', group_type_index: 0, name_singular: 'company', name_plural: 'companies' }],
          flags: [
            {
              id: 1,
              key: 'new-checkout',
              active: true,
              deleted: false,
              filters: {
                groups: [
                  { properties: [{ key: 'id', type: 'cohort', value: 5 }], rollout_percentage: 100, variant: null },
                  { properties: [{ key: 'email', type: 'person', value: '@acme.com', operator: 'icontains' }], rollout_percentage: 30, variant: null },
                ],
                payloads: { true: '{"color":"blue"}' },
              },
            },
            { id: 2, key: 'continuity', active: true, deleted: false, ensure_experience_continuity: true, filters: { groups: [{ properties: [], rollout_percentage: 100 }] } },
            { id: 3, key: 'not-in-code', active: false, deleted: false, filters: { groups: [] } },
          ],
          cohorts: [{ id: 5, name: 'Staff', filters: { properties: { type: 'OR', values: [{ type: 'AND', values: [{ key: 'staff', type: 'person', value: ['true'], operator: 'exact' }] }] } } }],
          persons: [{ id: 1, distinct_ids: [id], properties: { email: 'dev@acme.com', staff: false } }],
        },
      ],
    });
    dir = mkdtempSync(join(tmpdir(), 'phf-eval-'));
    writeFileSync(join(dir, 'app.ts'), "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('new-checkout');\nposthog.getFeatureFlag('continuity');\nposthog.isFeatureEnabled('nowhere');\n");
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ POSTHOG_HOST: fake.url, POSTHOG_PERSONAL_API_KEY: FAKE_KEY });

  it('json: the flags the code uses, with value, payload and the reason; person properties read from PostHog', async () => {
    const r = await runCli(['eval', '--distinct-id', id, dir, '--format', 'json'], { env: env() });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.distinctId, id);
    assert.deepEqual(
      out.flags.map((f: { key: string; value: unknown; payload: unknown; reason: { code: string } }) => [f.key, f.value, f.payload, f.reason.code]),
      [
        ['continuity', null, null, 'cannot_evaluate_locally'],
        ['new-checkout', true, { color: 'blue' }, 'condition_match'],
        ['nowhere', null, null, 'missing'],
      ],
    );
    assert.equal(out.flags[1].reason.conditionIndex, 1);
    assert.equal(out.flags[1].reason.description, 'matched condition 2: email contains "@acme.com", 30% rollout');
    assert.ok(fake.requests(/\/persons\/?$/).length >= 1);
    assert.ok(fake.requests(/feature_flags\/local_evaluation\/?$/).length >= 1);
    assert.ok(!r.stdout.includes(FAKE_KEY) && !r.stderr.includes(FAKE_KEY));
  });

  it('text: --person-properties wins over PostHog; cohorts are evaluated; --flag picks keys', async () => {
    const before = fake.requests(/\/persons\/?$/).length;
    const r = await runCli(['eval', '--distinct-id', 'someone', '--flag', 'new-checkout', '--person-properties', '{"staff":true}'], { env: env() });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /new-checkout {2}→ true {2}matched condition 1: in cohort #5/);
    assert.match(r.stdout, /payload \{"color":"blue"\}/);
    assert.equal(fake.requests(/\/persons\/?$/).length, before);
  });

  it('--all evaluates every flag; without person:read it says so and goes on', async () => {
    fake.state.keys.push({ key: 'phx_fake_flags_only_0002', scopes: ['feature_flag:read', 'project:read'] });
    const r = await runCli(['eval', '--distinct-id', id, '--all'], { env: { ...env(), POSTHOG_PERSONAL_API_KEY: 'phx_fake_flags_only_0002' } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /person:read/);
    assert.match(r.stdout, /not-in-code +→ false {2}the flag is disabled/);
    assert.match(r.stdout, /new-checkout +→ \? {2}cannot evaluate locally/);
  });

  it('offline from a snapshot', async () => {
    const flagsFile = writeFlagsFile(dir, [{ key: 'new-checkout', rollout: 100 }], 'snap.json');
    const r = await runCli(['eval', '--distinct-id', 'u', '--flag', 'new-checkout', '--flags-file', flagsFile, '--format', 'json'], { env: {} });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).flags[0].value, true);
  });

  it('exit codes: 2 on bad usage, 3 when PostHog rejects the key', async () => {
    assert.equal((await runCli(['eval', '--all'], { env: env() })).status, 2);
    const bad = await runCli(['eval', '--distinct-id', 'u', '--all', '--person-properties', '{nope'], { env: env() });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--person-properties is not valid JSON/);
    const rejected = await runCli(['eval', '--distinct-id', 'u', '--all'], { env: { ...env(), POSTHOG_PERSONAL_API_KEY: 'phx_unknown_key_0003' } });
    assert.equal(rejected.status, 3, rejected.stderr);
    assert.ok(!rejected.stderr.includes('phx_unknown_key_0003'));
  });
});
