// posthog-python's flag consistency vectors, an oracle besides posthog-node
// for core/eval: the same two flags evaluated for `distinct_id_0` …
// `distinct_id_999` in PostHog's SDK test suites ("common between all
// libraries doing local evaluation", posthog-python
// posthog/test/test_feature_flags.py, test_simple_flag_consistency and
// test_multivariate_flag_consistency). Only the expected values are taken
// from there, written here one character per distinct id.
import assert from 'node:assert/strict';
import { evaluateFlag, type FlagDefinitions } from '../../server/src/core/eval';

/** `simple-flag`, everyone at 45%: '1' = true, '0' = false, for distinct_id_0 … distinct_id_999. */
const SIMPLE = [
  '0110100101011010001101001011000111100000011011000110000101010110101011001001010010001101101111101100',
  '1111001011100000100111001010010000000011001001100101011100010000110110101101011101001101011001111011',
  '0010100110101000000010110010100010100010010110000100000000000001101011010100011110000011100110000010',
  '1111011100101001110100011010101111100101011101011011111000001010011000101111000011001101111011100110',
  '0100100000000001100100101001000000100000000011100010100010000000100000000101011100011101011000100001',
  '0101101000100110100000011001001110001000010100010110101010010010101010011110100000100100110000111001',
  '0011110001000100111100110101001101111001001101010010000111010010010000101011001011100001101000100001',
  '1100011110110111010010111101010100110010100001010001110001011000001010011011110010010101100010110001',
  '0101101001000111000001001111100000000111001101101010001001001111001011001001101001110000010100000110',
  '1110000111101101010100001111001011000000101011001111001011001110100110001001000111101010101001001011',
].join('');

/** `multivariate-flag` at 55% with five variants: '-' = false, '1'…'5' = the variant in VARIANTS order. */
const MULTIVARIATE = [
  '221--21---13-121--41-3---1111113-321-3--12-112-1--11121-22321-124-111-12-3------15-212-33----3--11-3',
  '3-323--21--1----111---11-11---------111121112-2121-22-1---31--1----1-------11311--1--52-2-13153--4--',
  '--3--3-1222-1311-----1112---2--1-1--111131311233-21-21-1--151----112-233-13--1-31-311-1221---2--11-3',
  '-1-3-321--13125--1---3-21----3--3--13--1--4432135-15-111---252112--3-25-31--4--2--1412---133-111-1-1',
  '33--1--22111-51---231413-11-3113-4511---111-1121-121-12-11-1-1-1---331--2311---21-13-1---133----3441',
  '2-1-213-3-113---421--14-131--3-1-11324-1----212-1-11-1123111---3-111311215412-4---4--3---1332121-1--',
  '---11-2--1-211132--53--1---1233--1-31----41---3--21--2311-11--2323--1--1-2----1-3-1--2324111-1-2----',
  '-1-----1-2----2-1-3--13-3--2-121-----2--13-1-----12---115---1-3--2-----4212-2-2-1-11-2-1-5-11---1-13',
  '--11--5--3-31133-1-----1----2121-51--411--41-23311---111-333--11-2--2-312511-15---31124121---23--1--',
  '----11-3-1-3311-2-21---2-3-1511--1---141115---2---11--1121111131-2--323-13213--11---132111-323--31-1',
].join('');

const VARIANTS = [
  { key: 'first-variant', rollout_percentage: 50 },
  { key: 'second-variant', rollout_percentage: 20 },
  { key: 'third-variant', rollout_percentage: 20 },
  { key: 'fourth-variant', rollout_percentage: 5 },
  { key: 'fifth-variant', rollout_percentage: 5 },
];

const DEFS: FlagDefinitions = {
  flags: [
    { id: 1, key: 'simple-flag', active: true, filters: { groups: [{ properties: [], rollout_percentage: 45 }] } },
    { id: 2, key: 'multivariate-flag', active: true, filters: { groups: [{ properties: [], rollout_percentage: 55 }], multivariate: { variants: VARIANTS } } },
  ],
};

describe('eval: posthog-python consistency vectors', () => {
  it('has 1000 expected values per flag', () => {
    assert.equal(SIMPLE.length, 1000);
    assert.equal(MULTIVARIATE.length, 1000);
  });

  it('simple-flag (45% of everyone): the same value for each of the 1000 distinct ids', () => {
    const wrong: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const got = evaluateFlag(DEFS, 'simple-flag', { distinctId: `distinct_id_${i}` }).value;
      if (got !== (SIMPLE[i] === '1')) wrong.push(`distinct_id_${i}: ${got}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('multivariate-flag (55%, five variants): the same variant or false for each of the 1000 distinct ids', () => {
    const wrong: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const want = MULTIVARIATE[i] === '-' ? false : VARIANTS[Number(MULTIVARIATE[i]) - 1].key;
      const got = evaluateFlag(DEFS, 'multivariate-flag', { distinctId: `distinct_id_${i}` }).value;
      if (got !== want) wrong.push(`distinct_id_${i}: ${got} (expected ${want})`);
    }
    assert.deepEqual(wrong, []);
  });
});
