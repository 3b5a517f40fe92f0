// Our local flag evaluation (server/src/core/eval) against posthog-node's
// own, the reference: generated flag definitions and cohorts are served by
// the fake PostHog's local evaluation endpoint on 127.0.0.1, posthog-node
// polls them with a fake personal key, and for every (flag, person) pair
// both must give the same value and payload; where posthog-node cannot
// evaluate locally, we must say `cannot_evaluate_locally`.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PostHog } from 'posthog-node';
import { evaluateFlags, type FlagDefinitions, type RawCondition, type RawFlagDefinition, type RawProperty, type RawPropertyGroup } from '../../server/src/core/eval';
import { FAKE_KEY, FAKE_PROJECT_TOKEN, startFakePostHog, type FakePostHog } from '../fake-posthog';

const BATCHES = Number(process.env.PHF_ORACLE_BATCHES ?? 40);
const FLAGS_PER_BATCH = 30;
const PERSONS_PER_BATCH = 25;

const GROUP_TYPES = [
  { group_type: 'company', group_type_index: 0, name_singular: 'company', name_plural: 'companies' },
  { group_type: 'project', group_type_index: 1, name_singular: 'project', name_plural: 'projects' },
];

const KEYS = ['email', 'plan', 'age', 'country', 'signup', 'version', 'beta', 'distinct_id', 'score', 'name'];
const OPERATORS = [
  'exact', 'is_not', 'icontains', 'not_icontains', 'regex', 'not_regex', 'gt', 'gte', 'lt', 'lte', 'is_set', 'is_not_set',
  'is_date_before', 'is_date_after', 'semver_eq', 'semver_neq', 'semver_gt', 'semver_gte', 'semver_lt', 'semver_lte',
  'semver_tilde', 'semver_caret', 'semver_wildcard', 'starts_with', 'ends_with', 'not_starts_with', 'not_ends_with', null, 'bogus_op',
];
const STRINGS = ['a@acme.com', 'B@ACME.COM', 'bob@example.org', 'free', 'pro', 'enterprise', 'US', 'ca', 'true', 'FALSE', '', 'héllo', 'x\ry', '1.2.3', '42', '3.5', 'null'];
const REGEXES = ['^a', '@acme\\.com$', '[0-9]+', '(?i)acme', '^(free|pro)$', '\\bword', '[', 'a{2,}', '\\d+\\.\\d+', 'é', '.*'];
const DATES = ['2024-01-01', '2025-06-15T12:00:00Z', '-30d', '-2w', '-6m', '-1y', '-12h', 'not a date', '1700000000000'];
const SEMVERS = ['1.2.3', 'v2.0.0', '1.2', '0.0.3', '01.2.3', '1.*', '2', '1.2.3-beta', 'x.y'];

const scalarString = fc.constantFrom(...STRINGS);
const number = fc.oneof(fc.integer({ min: -5, max: 100 }), fc.double({ min: -10, max: 100, noNaN: true, noDefaultInfinity: true }).map((n) => Math.round(n * 100) / 100 + 0.5));
const filterValue = (op: string | null): fc.Arbitrary<unknown> => {
  switch (op) {
    case 'regex':
    case 'not_regex':
      return fc.constantFrom(...REGEXES);
    case 'is_date_before':
    case 'is_date_after':
      return fc.oneof(fc.constantFrom(...DATES), fc.constant(true));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return fc.oneof(number, number.map(String), scalarString);
    case 'exact':
    case 'is_not':
    case null:
      return fc.oneof(scalarString, fc.array(scalarString, { maxLength: 3 }), fc.boolean(), number, fc.constant(['true', 'false']));
    default:
      return op && op.startsWith('semver') ? fc.constantFrom(...SEMVERS) : fc.oneof(scalarString, number);
  }
};

const property: fc.Arbitrary<RawProperty> = fc
  .record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom(...OPERATORS), type: fc.constantFrom('person', 'group'), negation: fc.boolean() })
  .chain((p) => filterValue(p.operator).map((value) => ({ ...p, value })));

const personValue: fc.Arbitrary<unknown> = fc.oneof(
  scalarString,
  number,
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(...SEMVERS),
  fc.date({ min: new Date('2020-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2024-01-01', 'yesterday'),
  fc.array(scalarString, { maxLength: 2 }),
);
const properties = fc.dictionary(fc.constantFrom(...KEYS, '$device_id'), personValue, { minKeys: 3, maxKeys: 11 });

/** Cohort ids 1–6 are defined (each may reference lower ids: PostHog refuses cycles), 7 is static (not sent), 99 unknown. */
const cohortGroup = (depth: number, id: number): fc.Arbitrary<RawPropertyGroup> => {
  const leaf = fc.oneof(
    { weight: 4, arbitrary: property.map((p) => ({ ...p, type: 'person' })) },
    { weight: 1, arbitrary: fc.record({ key: fc.constant('id'), type: fc.constant('cohort'), value: fc.constantFrom(...Array.from({ length: id - 1 }, (_, i) => i + 1), 7, 99), negation: fc.boolean() }) },
  );
  const leaves = fc.record({ type: fc.constantFrom('AND', 'OR'), values: fc.array(leaf, { minLength: 0, maxLength: 3 }) }) as fc.Arbitrary<RawPropertyGroup>;
  if (depth <= 0) return leaves;
  return fc.oneof(leaves, fc.record({ type: fc.constantFrom('AND', 'OR'), values: fc.array(cohortGroup(depth - 1, id), { minLength: 1, maxLength: 3 }) }) as fc.Arbitrary<RawPropertyGroup>);
};

const variants = fc.integer({ min: 0, max: 4 }).chain((n) => {
  if (n < 2) return fc.constant([] as { key: string; rollout_percentage: number }[]);
  return fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n - 1, maxLength: n - 1 }).map((cuts) => {
    const sorted = [0, ...cuts.sort((a, b) => a - b), 100];
    return sorted.slice(1).map((v, i) => ({ key: ['control', 'test', 'third', 'fourth'][i], rollout_percentage: v - sorted[i] }));
  });
});

const condition: fc.Arbitrary<RawCondition> = fc.record(
  {
    properties: fc.array(
      fc.oneof(
        { weight: 5, arbitrary: property },
        { weight: 2, arbitrary: fc.record({ key: fc.constant('id'), type: fc.constant('cohort'), value: fc.constantFrom(1, 2, 3, 4, 5, 6, 7, 99), operator: fc.constantFrom(undefined, 'in', 'not_in') }) },
      ),
      { maxLength: 2 },
    ),
    rollout_percentage: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 100 }), fc.constantFrom(33.3, 50.5)),
    variant: fc.constantFrom(null, null, 'control', 'test', 'nope'),
    aggregation_group_type_index: fc.constantFrom(undefined, undefined, undefined, null, 0, 1, 5),
  },
  { requiredKeys: ['properties', 'rollout_percentage', 'variant'] },
) as fc.Arbitrary<RawCondition>;

const payloadValue = fc.constantFrom('{"color":"blue"}', '"text"', '42', 'not json', '', '[1,2]', 'true', '{"nested":{"a":[1,null]}}');

const flag = (index: number): fc.Arbitrary<RawFlagDefinition> =>
  fc
    .record({
      active: fc.constantFrom(true, true, true, false),
      ensure_experience_continuity: fc.constantFrom(false, false, false, false, false, false, false, true, null),
      bucketing_identifier: fc.constantFrom(undefined, undefined, 'distinct_id', 'device_id'),
      groups: fc.array(condition, { maxLength: 4 }),
      variants,
      payloads: fc.dictionary(fc.constantFrom('true', 'control', 'test', 'third'), payloadValue, { minKeys: 1, maxKeys: 4 }),
      aggregation: fc.constantFrom(null, null, null, 0, 1, 7),
      holdout: fc.option(fc.record({ id: fc.integer({ min: 1, max: 9 }), exclusion_percentage: fc.integer({ min: 0, max: 100 }) }), { freq: 6 }),
      early_exit: fc.option(fc.boolean(), { freq: 2 }),
      dependsOnFirst: fc.option(fc.constantFrom(true, false, 'test'), { freq: 4 }),
    })
    .map((r) => {
      const groups = r.groups.map((g) => ({ ...g }));
      if (index > 0 && r.dependsOnFirst !== null) {
        groups.push({ properties: [{ key: 'flag-0', type: 'flag', value: r.dependsOnFirst, operator: 'flag_evaluates_to', dependency_chain: ['flag-0'] }], rollout_percentage: null, variant: null });
      }
      const def: RawFlagDefinition = {
        id: index + 1,
        key: `flag-${index}`,
        active: r.active,
        ensure_experience_continuity: r.ensure_experience_continuity,
        filters: {
          groups,
          multivariate: r.variants.length ? { variants: r.variants } : null,
          payloads: r.payloads,
          aggregation_group_type_index: r.aggregation,
          ...(r.holdout ? { holdout: r.holdout } : {}),
          ...(r.early_exit !== null ? { early_exit: r.early_exit } : {}),
        },
      };
      if (r.bucketing_identifier) def.bucketing_identifier = r.bucketing_identifier;
      return def;
    });

const person = fc.record({
  distinctId: fc.oneof(fc.constantFrom('user-1', 'user-2', 'alice@acme.com'), fc.string({ minLength: 1, maxLength: 12 })),
  personProperties: properties,
  groups: fc.dictionary(fc.constantFrom('company', 'project'), fc.constantFrom('acme', 'globex', 'p-1'), { maxKeys: 2 }),
  groupProperties: fc.dictionary(fc.constantFrom('company', 'project'), properties, { maxKeys: 2 }),
});

const batch = fc.record({
  flags: fc.tuple(...Array.from({ length: FLAGS_PER_BATCH }, (_, i) => flag(i))),
  cohorts: fc.tuple(...Array.from({ length: 6 }, (_, i) => cohortGroup(2, i + 1))),
  persons: fc.array(person, { minLength: PERSONS_PER_BATCH, maxLength: PERSONS_PER_BATCH }),
});

describe('eval: local evaluation equals posthog-node (oracle)', function () {
  this.timeout(240000);
  let fake: FakePostHog;

  const warn = console.warn;
  before(async () => {
    console.warn = () => undefined; // posthog-node's warnings about flags it cannot evaluate locally (expected here)
    fake = await startFakePostHog({ projects: [{ id: 1, groupTypes: GROUP_TYPES }] });
  });
  after(async () => {
    console.warn = warn;
    await fake.close();
  });

  /** A posthog-node client that has loaded the fake's current definitions (one per batch: no poll in flight from an earlier state). */
  async function oracle(): Promise<PostHog> {
    const client = new PostHog(FAKE_PROJECT_TOKEN, {
      host: fake.url,
      personalApiKey: FAKE_KEY,
      featureFlagsPollingInterval: 3600000,
      flushAt: 1000,
      flushInterval: 0,
      disableGeoip: true,
      strictLocalEvaluation: true,
    });
    assert.ok(await client.waitForLocalEvaluationReady(10000), 'posthog-node loaded the definitions');
    return client;
  }

  it(`gives the same value and payload for ${BATCHES * FLAGS_PER_BATCH * PERSONS_PER_BATCH} generated (flag, person) pairs`, async () => {
    const samples = fc.sample(batch, { numRuns: BATCHES, seed: 18 });
    const tally = { cases: 0, unresolved: 0, variants: 0, enabled: 0, payloads: 0 };
    const codes: Record<string, number> = {};
    for (const sample of samples) {
      const project = fake.project(1);
      project.flags = sample.flags.map((f) => ({ ...f, id: f.id!, key: f.key, name: '', deleted: false }));
      project.cohorts = sample.cohorts.map((filters, i) => ({ id: i + 1, name: `c${i + 1}`, filters: { properties: filters } }));
      project.cohorts.push({ id: 7, name: 'static', is_static: true });
      const client = await oracle();
      const defs = (await (await fetch(`${fake.url}/flags/definitions?token=${FAKE_PROJECT_TOKEN}&send_cohorts`, { headers: { authorization: `Bearer ${FAKE_KEY}` } })).json()) as FlagDefinitions;
      for (const p of sample.persons) {
        const ours = evaluateFlags(defs, p);
        for (const mine of ours) {
          const theirs = await client.getFeatureFlagResult(mine.key, p.distinctId, {
            personProperties: p.personProperties as Record<string, string>,
            groups: p.groups,
            groupProperties: p.groupProperties as Record<string, Record<string, string>>,
            onlyEvaluateLocally: true,
            sendFeatureFlagEvents: false,
          });
          tally.cases++;
          codes[mine.reason.code] = (codes[mine.reason.code] ?? 0) + 1;
          const context = () => JSON.stringify({ flag: defs.flags.find((f) => f.key === mine.key), cohorts: defs.cohorts, person: p, ours: mine, theirs });
          if (theirs === undefined) {
            tally.unresolved++;
            assert.equal(mine.reason.code, 'cannot_evaluate_locally', context());
            continue;
          }
          assert.notEqual(mine.reason.code, 'cannot_evaluate_locally', context());
          const value = theirs.variant ?? theirs.enabled;
          assert.deepEqual(mine.value, value, context());
          assert.deepEqual(mine.payload ?? undefined, theirs.payload ?? undefined, context());
          if (typeof value === 'string') tally.variants++;
          if (value !== false) tally.enabled++;
          if (mine.payload != null) tally.payloads++;
        }
      }
      await client.shutdown(1000);
    }
    console.log(`      oracle: ${tally.cases} cases, ${tally.enabled} enabled (${tally.variants} variants), ${tally.payloads} with a payload, ${tally.unresolved} not locally evaluable; reasons ${JSON.stringify(codes)}`);
    assert.equal(tally.cases, BATCHES * FLAGS_PER_BATCH * PERSONS_PER_BATCH);
  });
});
