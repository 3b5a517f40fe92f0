// The one diff behind change alerts (server) and `check --since` (CLI):
// every kind of change and its wording.
import assert from 'node:assert/strict';
import { buildSnapshot, changeOf, flagChanges, parseFlag, type Flag, type FlagSnapshot } from '../../server/src/core/flags';

type Raw = Record<string, unknown>;
const group = (rollout: number | null, properties: unknown[] = [], variant: string | null = null) => ({ properties, rollout_percentage: rollout, variant });
const email = { key: 'email', type: 'person', value: '@acme.com', operator: 'icontains' };
const raw = (key: string, over: Raw = {}, id = 1): Raw => ({ id, key, name: key, active: true, filters: { groups: [group(30)] }, ...over });

function snap(flags: Raw[], deletedKeys: string[] = []): FlagSnapshot {
  return buildSnapshot({ flags: flags.map((r) => parseFlag(r)).filter((f): f is Flag => f !== undefined), deletedKeys, fetchedAt: '2026-06-01T00:00:00Z' });
}
const one = (before: Raw | undefined, after: Raw | undefined, opts: { deletedBefore?: boolean; deletedAfter?: boolean } = {}) =>
  changeOf('k', snap(before ? [before] : [], opts.deletedBefore ? ['k'] : []), snap(after ? [after] : [], opts.deletedAfter ? ['k'] : []));

describe('flag changes: kinds and wording', () => {
  it('rollout only: "rollout 30% → 50% of users", no warning', () => {
    const c = one(raw('k'), raw('k', { filters: { groups: [group(50)] } }));
    assert.ok(c);
    assert.deepEqual(c.kinds, ['rollout']);
    assert.equal(c.summary, 'rollout 30% → 50% of users');
    assert.equal(c.warning, false);
    assert.deepEqual(c.before, { state: 'active', rollout: '30% of all users', releasedToEveryone: false });
    assert.deepEqual(c.after, { state: 'active', rollout: '50% of all users', releasedToEveryone: false });
  });

  it('rollout to 100% of everyone: released to everyone, a warning', () => {
    const c = one(raw('k'), raw('k', { filters: { groups: [group(100)] } }))!;
    assert.deepEqual(c.kinds, ['rollout', 'released']);
    assert.equal(c.summary, 'rollout 30% → 100% of users — released to everyone');
    assert.equal(c.warning, true);
    assert.equal(c.after.releasedToEveryone, true);
  });

  it('rollout of a condition with properties keeps its words; 100% of a segment is not everyone', () => {
    const c = one(raw('k', { filters: { groups: [group(30, [email])] } }), raw('k', { filters: { groups: [group(100, [email])] } }))!;
    assert.deepEqual(c.kinds, ['rollout']);
    assert.equal(c.summary, 'rollout 30% → 100% of users where email contains "@acme.com"');
    assert.equal(c.warning, false);
  });

  it('several condition sets: names the one that moved', () => {
    const c = one(raw('k', { filters: { groups: [group(100, [email]), group(10)] } }), raw('k', { filters: { groups: [group(100, [email]), group(20)] } }))!;
    assert.equal(c.summary, 'condition 2: rollout 10% → 20% of users');
  });

  it('conditions edited: both sides in words', () => {
    const c = one(raw('k', { filters: { groups: [group(30)] } }), raw('k', { filters: { groups: [group(30, [email])] } }))!;
    assert.deepEqual(c.kinds, ['conditions']);
    assert.equal(c.summary, 'conditions: 30% of all users → 30% of users where email contains "@acme.com"');
    assert.equal(c.warning, false);
  });

  it('conditions removed entirely: matches no one', () => {
    const c = one(raw('k'), raw('k', { filters: { groups: [] } }))!;
    assert.equal(c.summary, 'conditions: 30% of all users → none (matches no one)');
  });

  it('disabled: a warning; enabled: not', () => {
    const off = one(raw('k'), raw('k', { active: false }))!;
    assert.deepEqual(off.kinds, ['disabled']);
    assert.equal(off.summary, 'disabled');
    assert.equal(off.warning, true);
    assert.equal(off.after.state, 'disabled');
    const on = one(raw('k', { active: false }), raw('k'))!;
    assert.deepEqual(on.kinds, ['enabled']);
    assert.equal(on.summary, 'enabled');
    assert.equal(on.warning, false);
  });

  it('archived counts as disabled and says archived', () => {
    const c = one(raw('k'), raw('k', { archived: true }))!;
    assert.deepEqual(c.kinds, ['disabled']);
    assert.equal(c.summary, 'archived');
  });

  it('enabled at 100%: enabled and released to everyone', () => {
    const c = one(raw('k', { active: false, filters: { groups: [group(100)] } }), raw('k', { filters: { groups: [group(100)] } }))!;
    assert.deepEqual(c.kinds, ['enabled', 'released']);
    assert.equal(c.summary, 'enabled — released to everyone');
    assert.equal(c.warning, true);
  });

  it('disabled and rollout moved in one refresh: both said', () => {
    const c = one(raw('k'), raw('k', { active: false, filters: { groups: [group(60)] } }))!;
    assert.deepEqual(c.kinds, ['disabled', 'rollout']);
    assert.equal(c.summary, 'disabled; rollout 30% → 60% of users');
  });

  it('variants: the split, and a variant released to everyone', () => {
    const mv = (a: number, b: number, groups = [group(100)]) => raw('k', { filters: { groups, multivariate: { variants: [{ key: 'control', rollout_percentage: a }, { key: 'test', rollout_percentage: b }] } } });
    const c = one(mv(50, 50), mv(20, 80))!;
    assert.deepEqual(c.kinds, ['variants']);
    assert.equal(c.summary, 'variants: control 50%, test 50% → control 20%, test 80%');
    assert.equal(c.warning, false);
    const all = one(mv(50, 50), mv(0, 100))!;
    assert.deepEqual(all.kinds, ['variants', 'released']);
    assert.equal(all.summary, "variants: control 50%, test 50% → control 0%, test 100% — released to everyone with variant 'test'");
    const added = one(raw('k'), mv(50, 50, [group(30)]))!;
    assert.equal(added.summary, 'variants: none → control 50%, test 50%');
  });

  it('deleted (known) and vanished from the list: warnings', () => {
    const del = one(raw('k'), undefined, { deletedAfter: true })!;
    assert.deepEqual(del.kinds, ['deleted']);
    assert.equal(del.summary, 'deleted in PostHog');
    assert.equal(del.after.state, 'deleted');
    assert.equal(del.after.rollout, undefined);
    assert.equal(del.warning, true);
    const gone = one(raw('k'), undefined)!;
    assert.deepEqual(gone.kinds, ['deleted']);
    assert.equal(gone.summary, "no longer in PostHog's flag list (deleted or archived)");
    assert.equal(gone.after.state, 'missing');
  });

  it('created and restored', () => {
    const created = one(undefined, raw('k'))!;
    assert.deepEqual(created.kinds, ['created']);
    assert.equal(created.summary, 'created in PostHog: 30% of all users');
    assert.equal(created.warning, false);
    const restored = one(undefined, raw('k', { filters: { groups: [group(100)] } }), { deletedBefore: true })!;
    assert.deepEqual(restored.kinds, ['created', 'released']);
    assert.equal(restored.summary, 'restored in PostHog: 100% of all users — released to everyone');
    assert.equal(restored.warning, true);
  });

  it('no change: names, tags, versions, payloads, last call and a percentage written as null vs 100 do not count', () => {
    assert.equal(one(raw('k', { filters: { groups: [group(100)] } }), raw('k', { name: 'renamed', tags: ['x'], version: 9, last_called_at: '2026-01-01T00:00:00Z', filters: { groups: [group(null)], payloads: { true: '1' } } })), undefined);
    assert.equal(one(undefined, undefined, { deletedAfter: true }), undefined);
  });
});

describe('flag changes: which flags', () => {
  const before = snap([raw('used', {}, 1), raw('unused', {}, 2), raw('same', {}, 3)]);
  const after = snap([raw('used', { active: false }, 1), raw('unused', { active: false }, 2), raw('same', {}, 3), raw('new-used', {}, 4)]);
  it('lists only keys the code uses, with their usage count, sorted by key', () => {
    const counts: Record<string, number> = { used: 3, 'new-used': 1, same: 2 };
    const changes = flagChanges(before, after, (k) => counts[k] ?? 0);
    assert.deepEqual(changes.map((c) => [c.key, c.usageCount, c.kinds]), [['new-used', 1, ['created']], ['used', 3, ['disabled']]]);
  });
  it('identical snapshots: no changes', () => assert.deepEqual(flagChanges(before, before, () => 1), []));
});
