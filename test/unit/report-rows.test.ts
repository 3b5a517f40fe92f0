import assert from 'node:assert/strict';
import { buildSnapshot, parseFlag } from '../../server/src/core/flags/parse';
import type { Flag } from '../../server/src/core/flags/types';
import { buildReport, reportTotals } from '../../server/src/core/report/report';
import type { ScanResult, Usage } from '../../server/src/core/types';

function usage(file: string, line: number, key: string): Usage {
  return { file, line, column: 1, endLine: line, endColumn: 1 + key.length, key, kind: 'literal', call: 'useFeatureFlagEnabled', language: 'typescriptreact' };
}
function flag(raw: Record<string, unknown>): Flag {
  const f = parseFlag(raw);
  assert.ok(f);
  return f;
}

const NOW = new Date('2026-06-01T00:00:00Z');

describe('buildReport', () => {
  const snapshot = buildSnapshot({
    fetchedAt: NOW.toISOString(),
    host: 'https://us.posthog.com/',
    projectId: 42,
    flags: [
      flag({ id: 1, key: 'new-checkout', name: 'New checkout', active: true, filters: { groups: [{ properties: [], rollout_percentage: 100 }] }, status: 'ACTIVE', created_at: '2026-05-30T00:00:00Z' }),
      flag({ id: 2, key: 'beta-banner', active: false, filters: { groups: [{ properties: [], rollout_percentage: 20 }] } }),
      flag({ id: 3, key: 'only-in-posthog', active: true, filters: { groups: [{ properties: [], rollout_percentage: 50 }], multivariate: { variants: [{ key: 'control', rollout_percentage: 50 }, { key: 'test', rollout_percentage: 50 }] } }, tags: ['web'] }),
      flag({ id: 4, key: 'old-flag', active: true, deleted: true, filters: { groups: [] } }),
      flag({ id: 5, key: 'gone-not-in-code', active: true, deleted: true, filters: { groups: [] } }),
      flag({ id: 6, key: 'very-stale', active: true, status: 'STALE', filters: { groups: [{ properties: [], rollout_percentage: 100 }] } }),
    ],
  });
  const scan: ScanResult = {
    root: '/repo',
    filesScanned: 4,
    unresolved: [],
    skipped: [],
    usages: [
      usage('src/b.tsx', 3, 'new-checkout'),
      usage('src/a.tsx', 1, 'new-checkout'),
      usage('src/a.tsx', 9, 'new-checkout'),
      usage('src/a.tsx', 2, 'beta-banner'),
      usage('src/c.ts', 1, 'old-flag'),
      usage('src/c.ts', 2, 'typo-flag'),
      usage('src/d.ts', 2, 'very-stale'),
    ],
  };
  const rows = buildReport(scan, snapshot, { now: NOW });
  const row = (k: string) => rows.find((r) => r.key === k);

  it('has one row per key in code or live in PostHog, deleted only when in code, sorted', () => {
    assert.deepEqual(
      rows.map((r) => r.key),
      ['beta-banner', 'new-checkout', 'old-flag', 'only-in-posthog', 'typo-flag', 'very-stale'],
    );
  });

  it('fills the contract fields for a used active flag', () => {
    const r = row('new-checkout')!;
    assert.deepEqual(
      { key: r.key, state: r.state, inPostHog: r.inPostHog, inCode: r.inCode, usageCount: r.usageCount, files: r.files, rollout: r.rollout, releasedToEveryone: r.releasedToEveryone, stale: r.stale },
      { key: 'new-checkout', state: 'active', inPostHog: true, inCode: true, usageCount: 3, files: ['src/a.tsx', 'src/b.tsx'], rollout: '100% of all users', releasedToEveryone: true, stale: false },
    );
    assert.equal(r.name, 'New checkout');
    assert.equal(r.url, 'https://us.posthog.com/project/42/feature_flags/1');
  });

  it('marks a flag in PostHog but not in code, a deleted flag in code, and a key missing in PostHog', () => {
    const only = row('only-in-posthog')!;
    assert.equal(only.inCode, false);
    assert.equal(only.usageCount, 0);
    assert.deepEqual(only.files, []);
    assert.equal(only.inPostHog, true);
    assert.deepEqual(only.variants, ['control', 'test']);
    assert.deepEqual(only.tags, ['web']);
    const deleted = row('old-flag')!;
    assert.equal(deleted.state, 'deleted');
    assert.equal(deleted.inPostHog, false);
    assert.equal(deleted.inCode, true);
    assert.equal(deleted.rollout, null);
    const missing = row('typo-flag')!;
    assert.equal(missing.state, 'missing');
    assert.equal(missing.inPostHog, false);
    assert.equal(row('beta-banner')!.state, 'disabled');
    assert.match(row('beta-banner')!.rollout!, /^Disabled: 20% of all users/);
  });

  it('carries the stale verdict with its reason, and totals', () => {
    assert.equal(row('very-stale')!.stale, true);
    assert.ok(row('very-stale')!.staleReason);
    assert.deepEqual(reportTotals(rows), { flags: 6, activeAndImplemented: 2, disabledInCode: 1, inCodeNotInPostHog: 2, inPostHogNotInCode: 1, stale: 1 });
  });

  it('totals add up: every row is in exactly one of the four groups (the disabled flag in code too)', () => {
    const t = reportTotals(rows);
    assert.equal(t.activeAndImplemented + t.disabledInCode + t.inCodeNotInPostHog + t.inPostHogNotInCode, t.flags);
  });
});
