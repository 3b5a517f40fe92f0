import assert from 'node:assert/strict';
import { buildSnapshot, parseFlag } from '../../server/src/core/flags/parse';
import { PROBLEM_CODES } from '../../server/src/core/flags/problems';
import { RULES, checkProblems } from '../../server/src/core/report/check';
import type { Usage } from '../../server/src/core/types';

const NOW = new Date('2026-06-01T00:00:00Z');
const usage = (file: string, line: number, key: string): Usage => ({ file, line, column: 7, endLine: line, endColumn: 7 + key.length, key, kind: 'literal', call: 'isFeatureEnabled', language: 'typescript' });

describe('checkProblems', () => {
  it('has a SARIF rule for every shared problem code', () => {
    assert.deepEqual(RULES.map((r) => r.code).sort(), [...PROBLEM_CODES].sort());
  });

  it('locates one problem per usage from the shared rules, sorted, without problems for healthy flags', () => {
    const snapshot = buildSnapshot({
      fetchedAt: NOW.toISOString(),
      flags: [
        parseFlag({ id: 1, key: 'new-checkout', active: true, filters: { groups: [{ properties: [{ key: 'email', type: 'person', value: 'x', operator: 'icontains' }], rollout_percentage: 30 }] } })!,
        parseFlag({ id: 2, key: 'off', active: false, filters: { groups: [] } })!,
      ],
    });
    const problems = checkProblems(
      { root: '/r', filesScanned: 2, unresolved: [], skipped: [], usages: [usage('b.ts', 4, 'off'), usage('a.ts', 9, 'new-chekout'), usage('a.ts', 1, 'new-checkout')] },
      snapshot,
      { now: NOW },
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity, p.file, p.line, p.column, p.endColumn, p.suggestion]),
      [
        ['missing-flag', 'error', 'a.ts', 9, 7, 18, 'new-checkout'],
        ['inactive-flag', 'warning', 'b.ts', 4, 7, 10, undefined],
      ],
    );
    assert.equal('suggestion' in problems[1], false);
  });
});
