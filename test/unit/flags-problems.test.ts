import assert from 'node:assert/strict';
import { buildSnapshot, parseFlag, problemsFor, type Flag } from '../../server/src/core/flags';

const now = new Date('2026-06-01T00:00:00Z');
const old = '2026-01-01T00:00:00Z';
const f = (raw: Record<string, unknown>): Flag => parseFlag({ id: Math.floor(Math.random() * 1e9), active: true, filters: { groups: [{ properties: [{ key: 'a', value: 'b' }], rollout_percentage: 50 }] }, ...raw })!;
const snapshot = buildSnapshot({
  flags: [
    f({ key: 'new-checkout' }),
    f({ key: 'off', active: false }),
    f({ key: 'archived', active: false, archived: true }),
    f({ key: 'everyone', filters: { groups: [{ properties: [], rollout_percentage: 100 }] }, created_at: '2026-05-20T00:00:00Z' }),
    f({ key: 'stale-full', filters: { groups: [{ properties: [], rollout_percentage: 100 }] }, created_at: old, last_called_at: null }),
    f({ key: 'server-stale', status: 'STALE', last_called_at: '2026-03-01T00:00:00Z' }),
    f({ key: 'variant-all', filters: { groups: [{ properties: [], rollout_percentage: 100, variant: 'b' }], multivariate: { variants: [{ key: 'a', rollout_percentage: 50 }, { key: 'b', rollout_percentage: 50 }] } } }),
  ],
  deletedKeys: ['removed'],
  fetchedAt: now.toISOString(),
  projectId: 12,
});

describe('flags: problems (shared by check and diagnostics)', () => {
  it('reports a missing key with a suggestion', () => {
    const p = problemsFor({ key: 'new_checkout' }, snapshot, { now });
    assert.deepEqual(p, {
      code: 'missing-flag',
      severity: 'error',
      key: 'new_checkout',
      message: "Feature flag 'new_checkout' does not exist in PostHog project 12 — did you mean 'new-checkout'?",
      suggestion: 'new-checkout',
    });
    const none = problemsFor({ key: 'totally-different-thing' }, snapshot, { now });
    assert.equal(none?.message, "Feature flag 'totally-different-thing' does not exist in PostHog project 12");
    assert.equal(none?.suggestion, undefined);
  });
  it('reports deleted and inactive flags', () => {
    assert.equal(problemsFor({ key: 'removed' }, snapshot, { now })?.code, 'deleted-flag');
    const off = problemsFor({ key: 'off' }, snapshot, { now });
    assert.equal(off?.code, 'inactive-flag');
    assert.equal(off?.severity, 'warning');
    assert.match(problemsFor({ key: 'archived' }, snapshot, { now })!.message, /archived/);
  });
  it('gives stale (with the reason) over rollout-100, and rollout-100 alone otherwise', () => {
    const stale = problemsFor({ key: 'stale-full' }, snapshot, { now });
    assert.equal(stale?.code, 'stale-flag');
    assert.equal(stale?.severity, 'information');
    assert.match(stale!.message, /always evaluate to "true"/);
    assert.equal(problemsFor({ key: 'server-stale' }, snapshot, { now })?.code, 'stale-flag');
    const everyone = problemsFor({ key: 'everyone' }, snapshot, { now });
    assert.equal(everyone?.code, 'rollout-100');
    assert.equal(everyone?.severity, 'hint');
    assert.match(problemsFor({ key: 'variant-all' }, snapshot, { now })!.message, /variant 'b'/);
    assert.equal(problemsFor({ key: 'new-checkout' }, snapshot, { now }), undefined);
  });
  it('applies severity settings, and "off" lets the next rule speak', () => {
    assert.equal(problemsFor({ key: 'off' }, snapshot, { now, severities: { 'inactive-flag': 'error' } })?.severity, 'error');
    assert.equal(problemsFor({ key: 'off' }, snapshot, { now, severities: { 'inactive-flag': 'off' } }), undefined);
    assert.equal(problemsFor({ key: 'stale-full' }, snapshot, { now, severities: { 'stale-flag': 'off' } })?.code, 'rollout-100');
  });
  it('speaks of "the PostHog project" when the snapshot has no id', () => {
    const s = buildSnapshot({ flags: [], fetchedAt: '' });
    assert.equal(problemsFor({ key: 'x' }, s, { now })?.message, "Feature flag 'x' does not exist in the PostHog project");
  });
});
