// The reasons `eval` gives, in plain words, and the edge cases the oracle
// test cannot reach (posthog-node would hang on a cyclic cohort).
import assert from 'node:assert/strict';
import { evaluateFlag, evaluateFlags, flagHash, type FlagDefinitions } from '../../server/src/core/eval';

const defs: FlagDefinitions = {
  flags: [
    {
      key: 'new-checkout',
      active: true,
      filters: {
        groups: [
          { properties: [{ key: 'plan', type: 'person', value: 'enterprise', operator: 'exact' }], rollout_percentage: 100 },
          { properties: [{ key: 'email', type: 'person', value: '@acme.com', operator: 'icontains' }], rollout_percentage: 30 },
        ],
        payloads: { true: '{"color":"blue"}' },
      },
    },
    { key: 'off', active: false, filters: { groups: [{ properties: [], rollout_percentage: 100 }] } },
    { key: 'continuity', active: true, ensure_experience_continuity: true, filters: { groups: [{ properties: [], rollout_percentage: 100 }] } },
    { key: 'static-cohort', active: true, filters: { groups: [{ properties: [{ key: 'id', type: 'cohort', value: 42 }], rollout_percentage: 100 }] } },
    { key: 'cyclic', active: true, filters: { groups: [{ properties: [{ key: 'id', type: 'cohort', value: 1 }], rollout_percentage: 100 }] } },
    {
      key: 'ab',
      active: true,
      filters: {
        groups: [{ properties: [], rollout_percentage: 100, variant: null }],
        multivariate: { variants: [{ key: 'control', rollout_percentage: 50 }, { key: 'test', rollout_percentage: 50 }] },
        payloads: { test: '"red"' },
      },
    },
    { key: 'company-flag', active: true, filters: { aggregation_group_type_index: 0, groups: [{ properties: [{ key: 'plan', type: 'group', value: 'pro', group_type_index: 0 }], rollout_percentage: 100 }] } },
  ],
  group_type_mapping: { '0': 'company' },
  cohorts: { '1': { type: 'OR', values: [{ key: 'id', type: 'cohort', value: 1 }] } },
};

/** A distinct id inside / outside the 30% bucket of new-checkout. */
function idWhere(inside: boolean): string {
  for (let i = 0; ; i++) if (flagHash('new-checkout', `user-${i}`) <= 0.3 === inside) return `user-${i}`;
}

describe('eval: reasons in plain words', () => {
  it('names the matching condition, its words and its rollout', () => {
    const id = idWhere(true);
    const r = evaluateFlag(defs, 'new-checkout', { distinctId: id, personProperties: { email: 'a@ACME.com', plan: 'free' } });
    assert.equal(r.value, true);
    assert.deepEqual(r.payload, { color: 'blue' });
    assert.equal(r.reason.code, 'condition_match');
    assert.equal(r.reason.conditionIndex, 1);
    assert.equal(r.reason.description, 'matched condition 2: email contains "@acme.com", 30% rollout');
  });
  it('says when the person is outside the rollout', () => {
    const r = evaluateFlag(defs, 'new-checkout', { distinctId: idWhere(false), personProperties: { email: 'a@acme.com', plan: 'free' } });
    assert.equal(r.value, false);
    assert.equal(r.reason.code, 'out_of_rollout_bound');
    assert.match(r.reason.description, /condition 2 \(email contains "@acme.com"\) holds, but the ID is outside its 30% rollout/);
  });
  it('lists why no condition matched', () => {
    const r = evaluateFlag(defs, 'new-checkout', { distinctId: 'x', personProperties: { email: 'bob@example.org', plan: 'free' } });
    assert.equal(r.reason.code, 'no_condition_match');
    assert.equal(r.reason.description, 'no condition matched (condition 1: not plan is "enterprise"; condition 2: not email contains "@acme.com")');
  });
  it('cannot evaluate without a property a condition needs, unless another condition decides', () => {
    const missing = evaluateFlag(defs, 'new-checkout', { distinctId: 'x', personProperties: { email: 'bob@example.org' } });
    assert.equal(missing.reason.code, 'cannot_evaluate_locally');
    assert.equal(missing.reason.unresolved, 'missing_context');
    assert.equal(missing.value, null);
    const decided = evaluateFlag(defs, 'new-checkout', { distinctId: 'x', personProperties: { plan: 'enterprise' } });
    assert.equal(decided.value, true);
  });
  it('disabled, missing, experience continuity, static and cyclic cohorts', () => {
    const all = Object.fromEntries(evaluateFlags(defs, { distinctId: 'x' }, ['off', 'nope', 'continuity', 'static-cohort', 'cyclic']).map((r) => [r.key, r.reason]));
    assert.equal(all.off.code, 'disabled');
    assert.equal(all.nope.code, 'missing');
    assert.equal(all.continuity.unresolved, 'experience_continuity');
    assert.match(all['static-cohort'].description, /cohort #42 is not defined locally/);
    assert.match(all.cyclic.description, /contains itself/);
  });
  it('variants: the bucket, its share and its payload', () => {
    const r = evaluateFlag(defs, 'ab', { distinctId: 'user-1' });
    assert.ok(r.value === 'control' || r.value === 'test');
    assert.match(r.reason.description, /^matched condition 1: everyone, variant (control|test) \(50% of variants\)$/);
    assert.deepEqual(r.payload, r.value === 'test' ? 'red' : null);
  });
  it('group flags need the group', () => {
    const none = evaluateFlag(defs, 'company-flag', { distinctId: 'x' });
    assert.equal(none.value, false);
    assert.equal(none.reason.description, 'the flag is for company groups and no company was given');
    const pro = evaluateFlag(defs, 'company-flag', { distinctId: 'x', groups: { company: 'acme' }, groupProperties: { company: { plan: 'pro' } } });
    assert.equal(pro.value, true);
  });
});
