/** `report` and the Flag Explorer never say "not in code" with certainty while usages could not be resolved. */
import assert from 'node:assert/strict';
import { groupLabel } from '../../client/src/flag-groups';
import { formatReportJson, formatReportMarkdown, formatReportText } from '../../server/src/cli/format/report-formats';
import { uncertainUsages, type ReportRow } from '../../server/src/core/report/report';
import type { Unresolved } from '../../server/src/core/types';
import { resolutionNote, unresolvedText } from '../../server/src/features/hover';

const row = (key: string, inCode: boolean): ReportRow => ({
  key, state: 'active', inPostHog: true, inCode, usageCount: inCode ? 1 : 0, files: inCode ? ['a.ts'] : [], rollout: '100% of users', releasedToEveryone: true, stale: false,
  name: null, id: 1, staleReason: null, url: null, variants: [], tags: [], lastCalledAt: null,
});
const rows = [row('used', true), row('unused', false)];
const at = { file: 'a.ts', line: 1, column: 1, endLine: 1, endColumn: 2, call: 'isFeatureEnabled', expression: 'X' };
const unresolved: Unresolved[] = [{ ...at, reason: 'import', module: '@/flags' }, { ...at, reason: 'dynamic' }, { ...at, reason: 'other' }];

describe('report: unsure about "not in code"', () => {
  it('counts import and other unresolved usages, not run-time keys', () => {
    assert.equal(uncertainUsages({ unresolved }), 2);
    assert.equal(uncertainUsages({ unresolved: [unresolved[1]] }), 0);
  });

  it('text and markdown say "not found" and how many usages could not be resolved; certain otherwise', () => {
    const sure = formatReportText(rows, { color: false });
    assert.match(sure, /unused\s+active\s+no\s/);
    assert.match(sure, /1 in PostHog but not in code/);
    const unsure = formatReportText(rows, { color: false, unresolvedUsages: 2 });
    assert.match(unsure, /unused\s+active\s+not found\s/);
    assert.doesNotMatch(unsure, /not in code/);
    assert.match(unsure, /1 in PostHog but not found in code \(2 usages could not be resolved/);
    const md = formatReportMarkdown(rows, { unresolvedUsages: 1 });
    assert.match(md, /\| `unused` \| active \| not found \|/);
    assert.match(md, /1 usage could not be resolved/);
  });

  it('json carries unresolvedUsages at the top level', () => {
    assert.equal(JSON.parse(formatReportJson(rows, { unresolvedUsages: 3 })).unresolvedUsages, 3);
    assert.equal(JSON.parse(formatReportJson(rows, {})).unresolvedUsages, 0);
  });

  it('the Flag Explorer group and the hover say it too', () => {
    assert.equal(groupLabel('notInCode'), 'In PostHog but not in code');
    assert.equal(groupLabel('notInCode', 4), 'In PostHog, not found in code (4 usages unresolved)');
    assert.equal(groupLabel('active', 4), 'In code and active');
    assert.match(unresolvedText(unresolved[0]), /import `@\/flags` could not be followed/);
    assert.match(unresolvedText(unresolved[1]), /computed at run time/);
    const usage = { ...at, key: 'k', kind: 'constant' as const, language: 'typescript' };
    assert.equal(resolutionNote(usage), undefined);
    assert.match(resolutionNote({ ...usage, guessedImport: '@utils/flags' })!, /`@utils\/flags`, resolved by file name only/);
    assert.match(resolutionNote({ ...usage, viaPackage: 'mitol.olposthog.features' })!, /package outside the workspace/);
  });
});
