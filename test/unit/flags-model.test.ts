import assert from 'node:assert/strict';
import {
  buildSnapshot,
  closestKeys,
  everyoneGets,
  enabledForEveryone,
  flagState,
  fullyRolledOut,
  parseFlag,
  parseSnapshotBody,
  payloadPreview,
  releasedToEveryone,
  snapshotToJson,
  staleness,
  summarizeRollout,
  type Flag,
} from '../../server/src/core/flags';

const flag = (raw: Record<string, unknown>): Flag => {
  const f = parseFlag({ id: 1, key: 'k', active: true, filters: { groups: [] }, ...raw });
  assert.ok(f);
  return f;
};
const group = (rollout: number | null, properties: unknown[] = [], variant: string | null = null) => ({ properties, rollout_percentage: rollout, variant });
const now = new Date('2026-06-01T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86400000).toISOString();

describe('flags: parsing', () => {
  it('requires id and key, ignores unknown fields, defaults the rest', () => {
    assert.equal(parseFlag({ key: 'x' }), undefined);
    assert.equal(parseFlag({ id: 3 }), undefined);
    const f = parseFlag({ id: '7', key: 'x', surprise: { deep: 1 } });
    assert.ok(f);
    assert.equal(f.id, 7);
    assert.equal(f.name, '');
    assert.deepEqual(f.tags, []);
    assert.deepEqual(f.filters.groups, []);
  });
  it('reads old filters without groups using the top-level rollout_percentage', () => {
    const f = flag({ is_simple_flag: true, rollout_percentage: 40, filters: { properties: [{ key: 'email', value: 'a', operator: 'icontains' }] } });
    assert.equal(f.filters.groups.length, 1);
    assert.equal(f.filters.groups[0].rolloutPercentage, 40);
    assert.equal(f.filters.groups[0].properties[0].type, 'person');
  });
  it('keeps payloads as JSON text whether sent as strings or objects, upper-cases status', () => {
    const f = flag({ status: 'inactive', filters: { groups: [group(100)], payloads: { true: '{"a":1}', other: { b: 2 } } } });
    assert.equal(f.filters.payloads.true, '{"a":1}');
    assert.equal(f.filters.payloads.other, '{"b":2}');
    assert.equal(f.status, 'INACTIVE');
    assert.equal(payloadPreview('{ "a" : 1 }'), '{"a":1}');
    assert.equal(payloadPreview(JSON.stringify({ long: 'x'.repeat(200) }), 20).length, 20);
  });
  it('parses a list body, a plain array, cohorts and deleted flags (incl. renamed keys)', () => {
    const list = parseSnapshotBody(
      {
        count: 3,
        next: null,
        results: [
          { id: 1, key: 'live', active: true, filters: {} },
          { id: 2, key: 'gone', active: false, deleted: true, filters: {} },
          { id: 3, key: 'old-one:deleted:3', active: false, deleted: true, filters: {} },
          { id: 1, key: 'live', active: true, filters: {} },
          { nonsense: true },
        ],
        cohorts: [{ id: 42, name: 'Beta testers', count: 12, is_static: true }],
        project_id: 9,
      },
      '2026-01-01T00:00:00Z',
    );
    assert.ok(list.ok);
    const s = list.value;
    assert.equal(s.flags.length, 1);
    assert.equal(s.projectId, 9);
    assert.equal(flagState('live', s), 'active');
    assert.equal(flagState('gone', s), 'deleted');
    assert.equal(flagState('old-one', s), 'deleted');
    assert.equal(flagState('nope', s), 'missing');
    assert.equal(s.cohorts.get(42)?.name, 'Beta testers');
    assert.equal(s.warnings.length, 1);
    const arr = parseSnapshotBody([{ id: 5, key: 'off', active: false, filters: { groups: [] } }], 'now');
    assert.ok(arr.ok);
    assert.equal(flagState('off', arr.value), 'disabled');
    assert.equal(parseSnapshotBody({ hello: 1 }, 'now').ok, false);
  });
  it('round-trips through the snapshot JSON writer', () => {
    const s = buildSnapshot({
      flags: [flag({ key: 'a', filters: { groups: [group(30, [{ key: 'email', type: 'person', value: '@acme.com', operator: 'icontains' }])], multivariate: { variants: [{ key: 'c', rollout_percentage: 100 }] } } })],
      deletedKeys: ['b'],
      cohorts: new Map([[4, { name: 'C' }]]),
      fetchedAt: 't',
      projectId: 3,
    });
    const again = parseSnapshotBody(JSON.parse(JSON.stringify(snapshotToJson(s))), 'x');
    assert.ok(again.ok);
    assert.deepEqual(again.value.byKey.get('a')?.filters, s.byKey.get('a')?.filters);
    assert.equal(flagState('b', again.value), 'deleted');
    assert.equal(again.value.cohorts.get(4)?.name, 'C');
    assert.equal(again.value.fetchedAt, 't');
  });
});

describe('flags: rollout summary', () => {
  it('renders a person filter like the doc example', () => {
    const f = flag({ filters: { groups: [group(20, [{ key: 'email', type: 'person', value: '@acme.com', operator: 'icontains' }])] } });
    assert.equal(summarizeRollout(f).text, '20% of users where email contains "@acme.com"');
  });
  it('renders no properties, null rollout, OR between groups and the Disabled prefix', () => {
    const f = flag({ active: false, filters: { groups: [group(null), group(5, [{ key: 'country', value: ['US', 'CA'], operator: 'exact' }])] } });
    assert.deepEqual(summarizeRollout(f).lines, ['Disabled: 100% of all users OR 5% of users where country is one of "US", "CA"']);
  });
  it('names cohorts from cohort_name, then the snapshot map, then #id; negation says not in', () => {
    const named = flag({ filters: { groups: [group(100, [{ key: 'id', type: 'cohort', value: 42, cohort_name: 'Beta testers' }])] } });
    assert.equal(summarizeRollout(named).text, '100% of users in cohort Beta testers');
    const unnamed = flag({ filters: { groups: [group(100, [{ key: 'id', type: 'cohort', value: 42 }, { key: 'id', type: 'cohort', value: 43, negation: true }])] } });
    assert.equal(summarizeRollout(unnamed, { cohorts: new Map([[42, { name: 'Paid' }]]) }).text, '100% of users in cohort Paid and not in cohort #43');
    const mixed = flag({ filters: { groups: [group(50, [{ key: 'id', type: 'cohort', value: 1, operator: 'not_in', cohort_name: 'X' }, { key: 'plan', value: 'pro' }])] } });
    assert.equal(summarizeRollout(mixed).text, '50% of users not in cohort X and where plan is "pro"');
  });
  it('uses the group type name when aggregating by groups', () => {
    const f = flag({ filters: { aggregation_group_type_index: 0, groups: [group(100, [{ key: 'plan', type: 'group', group_type_index: 0, value: 'enterprise', operator: 'exact' }])] } });
    assert.equal(summarizeRollout(f, { groupTypes: new Map([[0, 'companies']]) }).text, '100% of companies where plan is "enterprise"');
    assert.equal(summarizeRollout(f).text, '100% of groups where plan is "enterprise"');
  });
  it('renders variants, overrides and flag dependencies by key', () => {
    const dep = flag({ id: 9, key: 'parent' });
    const f = flag({
      filters: {
        groups: [group(100, [{ key: '9', type: 'flag', value: true, operator: 'flag_evaluates_to' }], 'test'), group(10, [{ key: '77', type: 'flag', value: 'blue', operator: 'flag_evaluates_to' }])],
        multivariate: { variants: [{ key: 'control', rollout_percentage: 50 }, { key: 'test', rollout_percentage: 50 }] },
      },
    });
    const s = summarizeRollout(f, { byId: new Map([[9, dep]]) });
    assert.deepEqual(s.conditions, ['100% of users where flag parent is enabled → test', '10% of users where flag #77 = blue']);
    assert.equal(s.variants, 'variants: control 50%, test 50%');
    assert.equal(s.text, `${s.conditions.join(' OR ')}; ${s.variants}`);
  });
  it('has a phrase for every operator of the doc table', () => {
    const cases: [string, unknown, string][] = [
      ['exact', 'a', 'p is "a"'], ['is_not', ['a', 'b'], 'p is not one of "a", "b"'], ['icontains', 'a', 'p contains "a"'],
      ['not_icontains', 'a', 'p does not contain "a"'], ['icontains_multi', ['a', 'b'], 'p contains any of "a", "b"'],
      ['not_icontains_multi', ['a'], 'p contains none of "a"'], ['regex', '^a', 'p matches regex "^a"'], ['not_regex', 'x', 'p does not match regex "x"'],
      ['gt', '5', 'p > "5"'], ['gte', 5, 'p ≥ 5'], ['lt', 5, 'p < 5'], ['lte', 5, 'p ≤ 5'], ['min', 1, 'p ≥ 1'], ['max', 1, 'p ≤ 1'],
      ['is_set', 'is_set', 'p is set'], ['is_not_set', null, 'p is not set'], ['is_date_before', '-30d', 'p before "-30d"'],
      ['is_date_after', '2026-01-01', 'p after "2026-01-01"'], ['is_date_exact', '2026-01-01', 'p on "2026-01-01"'],
      ['semver_eq', '1.0.0', 'p version = "1.0.0"'], ['semver_neq', '1', 'p version ≠ "1"'], ['semver_gt', '1', 'p version > "1"'],
      ['semver_gte', '1', 'p version ≥ "1"'], ['semver_lt', '1', 'p version < "1"'], ['semver_lte', '1', 'p version ≤ "1"'],
      ['semver_tilde', '1.2', 'p version ~ "1.2"'], ['semver_caret', '1', 'p version ^ "1"'], ['semver_wildcard', '1.*', 'p version matches "1.*"'],
    ];
    for (const [operator, value, expected] of cases) {
      const f = flag({ filters: { groups: [group(100, [{ key: 'p', type: 'person', value, operator }])] } });
      assert.equal(summarizeRollout(f).conditions[0], `100% of users where ${expected}`, operator);
    }
    const labelled = flag({ filters: { groups: [group(100, [{ key: '$browser', label: 'Browser', value: 'Chrome', operator: null }])] } });
    assert.equal(summarizeRollout(labelled).conditions[0], '100% of users where Browser is "Chrome"');
  });
  it('says when there are no conditions', () => {
    assert.equal(summarizeRollout(flag({})).text, 'no release conditions (matches no one)');
  });
});

describe('flags: released to everyone', () => {
  it('is an active flag with a property-less group at 100 (null counts as 100)', () => {
    assert.equal(releasedToEveryone(flag({ filters: { groups: [group(100)] } })), true);
    assert.equal(releasedToEveryone(flag({ filters: { groups: [group(null)] } })), true);
    assert.equal(releasedToEveryone(flag({ filters: { groups: [group(99)] } })), false);
    assert.equal(releasedToEveryone(flag({ active: false, filters: { groups: [group(100)] } })), false);
    assert.equal(releasedToEveryone(flag({ filters: { groups: [] } })), false);
  });
  it('does not count 100% of a cohort or of a filtered group', () => {
    assert.equal(releasedToEveryone(flag({ filters: { groups: [group(100, [{ key: 'id', type: 'cohort', value: 4 }])] } })), false);
  });
  it('needs an override or a 100% variant for multivariate flags', () => {
    const variants = { variants: [{ key: 'a', rollout_percentage: 50 }, { key: 'b', rollout_percentage: 50 }] };
    const split = flag({ filters: { groups: [group(100)], multivariate: variants } });
    assert.equal(releasedToEveryone(split), false);
    assert.equal(enabledForEveryone(split), true);
    assert.deepEqual(everyoneGets(flag({ filters: { groups: [group(100, [], 'b')], multivariate: variants } })), { value: 'b' });
    const whole = { variants: [{ key: 'a', rollout_percentage: 100 }, { key: 'b', rollout_percentage: 0 }] };
    assert.deepEqual(everyoneGets(flag({ filters: { groups: [group(null)], multivariate: whole } })), { value: 'a' });
  });
});

describe('flags: staleness', () => {
  it('prefers the server status: STALE and INACTIVE are stale, ACTIVE is not', () => {
    assert.equal(staleness(flag({ status: 'STALE', filters: { groups: [group(100)] } }), now).stale, true);
    assert.match(staleness(flag({ status: 'STALE', filters: { groups: [group(100)] } }), now).reason, /always evaluate to "true"/);
    assert.equal(staleness(flag({ status: 'INACTIVE', last_called_at: daysAgo(40) }), now).reason, 'Flag has not been called in 40 days');
    assert.equal(staleness(flag({ status: 'ACTIVE', last_called_at: daysAgo(90) }), now).stale, false);
  });
  it('computes the newest rule without a status', () => {
    assert.deepEqual(staleness(flag({ last_called_at: daysAgo(31) }), now), { stale: true, reason: 'Flag has not been called in 31 days' });
    assert.equal(staleness(flag({ last_called_at: daysAgo(3) }), now).stale, false);
    const full = { groups: [group(100)] };
    assert.deepEqual(staleness(flag({ last_called_at: null, created_at: daysAgo(45), filters: full }), now), { stale: true, reason: 'This boolean flag will always evaluate to "true"' });
    assert.equal(staleness(flag({ created_at: daysAgo(5), filters: full }), now).stale, false);
    assert.equal(staleness(flag({ created_at: daysAgo(45), filters: { groups: [group(null)] } }), now).stale, false, 'null rollout is not an explicit 100');
    const mv = { groups: [group(100, [], 'b')], multivariate: { variants: [{ key: 'a', rollout_percentage: 50 }, { key: 'b', rollout_percentage: 50 }] } };
    assert.equal(staleness(flag({ created_at: daysAgo(45), filters: mv }), now).reason, 'This flag will always use the variant "b"');
  });
  it('never calls disabled, archived or deleted flags stale', () => {
    for (const raw of [{ active: false }, { archived: true }, { deleted: true }]) {
      assert.equal(staleness(flag({ ...raw, status: 'STALE', last_called_at: daysAgo(100) }), now).stale, false);
    }
  });
  it('follows the fully-rolled-out definition of §9', () => {
    assert.deepEqual(fullyRolledOut(flag({ filters: { groups: [] } })), { value: true });
    assert.equal(fullyRolledOut(flag({ filters: { groups: [group(100, [{ key: 'a', value: 1 }])] } })), undefined);
  });
});

describe('flags: closest keys', () => {
  const keys = ['new-checkout', 'new-onboarding', 'beta-banner', 'dark-mode', 'checkout-v2'];
  it('matches case and separator variants first', () => {
    assert.deepEqual(closestKeys('new_checkout', keys), ['new-checkout']);
    assert.deepEqual(closestKeys('NewCheckout', keys), ['new-checkout']);
  });
  it('finds typos within a bound and nothing for unrelated keys', () => {
    assert.equal(closestKeys('new-chekout', keys)[0], 'new-checkout');
    assert.equal(closestKeys('dark-mdoe', keys)[0], 'dark-mode');
    assert.deepEqual(closestKeys('pricing-page', keys), []);
    assert.deepEqual(closestKeys('abc', ['xyz', 'abd']), ['abd']);
  });
  it('returns at most max keys, best first', () => {
    assert.deepEqual(closestKeys('flag-1', ['flag-2', 'flag-3', 'flag-4', 'flag-1x', 'flag_1'], 3), ['flag_1', 'flag-1x', 'flag-2']);
  });
});
