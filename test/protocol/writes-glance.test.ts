/**
 * Writes from the editor (workspace/executeCommand against the fake
 * PostHog): createFlag refuses an existing key before any POST; create and
 * toggle refusals quote PostHog; posthog.changeRollout re-reads, PATCHes
 * only the one group's percentage inside the complete filters, never twice,
 * refreshes and republishes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { defaultClientCapabilities, uriOf } from '../support/lsp-client';
import { FAKE_KEY, positionOf, rawFlag, standardFlags, startSession, type Session } from './helpers';

const run = (s: Session, command: string, arg: Record<string, unknown>) => s.client.request('workspace/executeCommand', { command, arguments: [arg] });
const posts = (s: Session) => s.fake.requests(/feature_flags\/$/, 'POST');
const patches = (s: Session, id: number) => s.fake.requests(new RegExp(`feature_flags/${id}/$`), 'PATCH');

const ROLLOUT_TS = `import posthog from 'posthog-js';
export const a = posthog.isFeatureEnabled('new-checkout');
export const b = posthog.isFeatureEnabled('two-groups');
export const c = posthog.isFeatureEnabled('targeted-one');
`;

/** A flag with one targeted group, a payload and tags: everything but the percentage must survive. */
const targetedOne = rawFlag(20, 'targeted-one', {
  filters: {
    groups: [{ properties: [{ key: 'email', type: 'person', value: '@acme.com', operator: 'icontains' }], rollout_percentage: 25, variant: null }],
    payloads: { true: '{"color":"blue"}' },
    multivariate: null,
    aggregation_group_type_index: null,
  },
  tags: ['growth'],
  ensure_experience_continuity: true,
});
const twoGroups = rawFlag(21, 'two-groups', {
  filters: { groups: [{ properties: [], rollout_percentage: 10, variant: null }, { properties: [{ key: 'plan', type: 'person', value: 'pro' }], rollout_percentage: 100, variant: null }], payloads: {}, multivariate: null },
});

describe('writes: create refuses an existing key, refusals quote PostHog', function () {
  this.timeout(30_000);

  it('posthog.createFlag with a key that exists fails with a ResponseError saying so; the fake records zero POSTs', async () => {
    const s = await startSession({ files: { 'src/a.ts': ROLLOUT_TS } });
    try {
      await assert.rejects(run(s, 'posthog.createFlag', { key: 'new-checkout', rolloutPercentage: 50 }), (e: any) => {
        assert.match(e.message, /Feature flag 'new-checkout' already exists in project 1: nothing was created/);
        return true;
      });
      assert.equal(posts(s).length, 0);
      assert.equal(s.fake.project(1).flags.filter((f) => f.key === 'new-checkout').length, 1);
    } finally {
      await s.dispose();
    }
  });

  it('create and toggle refusals carry PostHog\'s reason (missing write scope; a disable blocked by a dependent flag)', async () => {
    const dependent = rawFlag(30, 'needs-checkout', {
      filters: { groups: [{ properties: [{ key: '1', type: 'flag', value: true, operator: 'flag_evaluates_to' }], rollout_percentage: 100, variant: null }], payloads: {}, multivariate: null },
    });
    const s = await startSession({ files: { 'src/a.ts': ROLLOUT_TS }, flags: [...standardFlags(), dependent] });
    try {
      await assert.rejects(run(s, 'posthog.toggleFlag', { key: 'new-checkout', active: false }), (e: any) => {
        assert.match(e.message, /Cannot disable this feature flag because other flags depend on it: needs-checkout \(ID: 30\)/);
        return true;
      });
      s.fake.state.keys.splice(0, s.fake.state.keys.length, { key: FAKE_KEY, scopes: ['feature_flag:read'] });
      await assert.rejects(run(s, 'posthog.createFlag', { key: 'read-only-create' }), (e: any) => {
        assert.match(e.message, /API key missing required scope 'feature_flag:write'/);
        assert.ok(!e.message.includes(FAKE_KEY));
        return true;
      });
    } finally {
      await s.dispose();
    }
  });
});

describe('posthog.changeRollout', function () {
  this.timeout(30_000);
  let s: Session;
  let file: string;
  beforeEach(async () => {
    const caps = defaultClientCapabilities();
    caps.workspace.inlayHint = { refreshSupport: true };
    s = await startSession({ files: { 'src/a.ts': ROLLOUT_TS }, flags: [...standardFlags(), targetedOne, twoGroups], capabilities: caps });
    file = join(s.dir, 'src/a.ts');
  });
  afterEach(async () => s?.dispose());

  it('re-reads, PATCHes filters with only the percentage changed (everything else as read), once; returns {key, rolloutPercentage, version}', async () => {
    const before = s.fake.log.length;
    const readBack = JSON.parse(JSON.stringify(s.fake.project(1).flags.find((f) => f.key === 'targeted-one')!.filters));
    const result = await run(s, 'posthog.changeRollout', { key: 'targeted-one', rolloutPercentage: 60 });
    assert.deepEqual(result, { key: 'targeted-one', rolloutPercentage: 60, version: 2 });
    const sent = patches(s, 20);
    assert.equal(sent.length, 1, 'one PATCH');
    const sequence = s.fake.log.slice(before).map((e) => `${e.method} ${e.path}`);
    assert.ok(sequence.indexOf('GET /api/projects/1/feature_flags/20/') < sequence.indexOf('PATCH /api/projects/1/feature_flags/20/'), 're-read before the write');
    const body = sent[0].body as Record<string, any>;
    assert.deepEqual(Object.keys(body).sort(), ['filters', 'original_flag', 'version']);
    const expected = JSON.parse(JSON.stringify(readBack));
    expected.groups[0].rollout_percentage = 60;
    assert.deepEqual(body.filters, expected, 'the complete filters, only the percentage changed');
    const stored = s.fake.project(1).flags.find((f) => f.key === 'targeted-one')!;
    assert.deepEqual(stored.filters, expected);
    assert.deepEqual(stored.tags, ['growth']);
    assert.equal(stored.ensure_experience_continuity, true);
  });

  it('refreshes and republishes: 100% on an open flag gives rollout-100 and the hint ● 100%', async () => {
    const refreshes = () => s.client.serverRequests.filter((r) => r.method === 'workspace/inlayHint/refresh').length;
    const hintsBefore = refreshes();
    await run(s, 'posthog.changeRollout', { key: 'new-checkout', rolloutPercentage: 100 });
    const d = await s.client.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'rollout-100'));
    assert.match(d.find((x) => x.code === 'rollout-100')!.message, /new-checkout/);
    await s.client.waitFor('inlay hint refresh', () => refreshes() > hintsBefore);
    await s.client.open(file, ROLLOUT_TS);
    const hints = await s.client.request<any[]>('textDocument/inlayHint', { textDocument: { uri: uriOf(file) }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } } });
    const line = positionOf(ROLLOUT_TS, 'new-checkout').line;
    assert.equal(hints.find((h) => h.position.line === line)?.label, '● 100%');
  });

  it('refuses a flag without exactly one condition group (saying how many) and a percentage outside 0–100, sending nothing', async () => {
    await assert.rejects(run(s, 'posthog.changeRollout', { key: 'two-groups', rolloutPercentage: 50 }), (e: any) => {
      assert.match(e.message, /'two-groups' has 2 condition groups: the rollout can be changed here only for a flag with exactly one/);
      return true;
    });
    for (const bad of [101, -1, '50', null]) {
      await assert.rejects(run(s, 'posthog.changeRollout', { key: 'new-checkout', rolloutPercentage: bad }), /rolloutPercentage must be a number from 0 to 100/);
    }
    await assert.rejects(run(s, 'posthog.changeRollout', { key: 'no-such-flag', rolloutPercentage: 5 }), /'no-such-flag' does not exist/);
    assert.equal(s.fake.requests(/feature_flags\/\d+\/$/, 'PATCH').length, 0);
  });

  it('never sends twice: a duplicate in flight shares one PATCH; a dropped answer after PostHog applied it is confirmed by a re-read', async () => {
    const [a, b] = await Promise.all([
      run(s, 'posthog.changeRollout', { key: 'new-checkout', rolloutPercentage: 45 }),
      run(s, 'posthog.changeRollout', { key: 'new-checkout', rolloutPercentage: 45 }),
    ]);
    assert.deepEqual(a, b);
    assert.equal(patches(s, 1).length, 1);
    s.fake.setFault({ fault: { kind: 'drop-after-apply' }, times: 1, method: 'PATCH' });
    const c = await run(s, 'posthog.changeRollout', { key: 'new-checkout', rolloutPercentage: 55 });
    assert.equal(c.rolloutPercentage, 55);
    assert.equal(patches(s, 1).length, 2, 'one more PATCH, not two');
    assert.equal((s.fake.project(1).flags.find((f) => f.key === 'new-checkout')!.filters as any).groups[0].rollout_percentage, 55);
  });

  it('refuses when the flag changed in PostHog since the server saw it', async () => {
    const flag = s.fake.project(1).flags.find((f) => f.key === 'new-checkout')!;
    flag.version = 5;
    flag.last_modified_by = { id: 2, email: 'colleague@acme.com' };
    await assert.rejects(run(s, 'posthog.changeRollout', { key: 'new-checkout', rolloutPercentage: 70 }), /changed in PostHog by colleague@acme\.com since you saw it \(version 1 → 5\)/);
    assert.equal(patches(s, 1).length, 0);
  });
});
