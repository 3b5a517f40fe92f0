import assert from 'node:assert/strict';
import { buildSnapshot, flagGlance, parseFlag, type Flag } from '../../server/src/core/flags';

const now = new Date('2026-06-01T00:00:00Z');
const recent = '2026-05-30T00:00:00Z';
let nextId = 1;
const f = (key: string, groups: unknown[], raw: Record<string, unknown> = {}): Flag =>
  parseFlag({ id: nextId++, key, active: true, created_at: recent, last_called_at: recent, filters: { groups }, ...raw })!;
const open = (pct: number | null) => ({ properties: [], rollout_percentage: pct });
const targeted = (pct: number | null) => ({ properties: [{ key: 'email', value: '@acme.com', operator: 'icontains' }], rollout_percentage: pct });

const snapshot = buildSnapshot({
  flags: [
    f('thirty', [open(30)]),
    f('null-is-all', [open(null)]),
    f('fraction', [open(12.5)]),
    f('best-open-group', [open(10), open(60)]),
    f('plus-targeted', [open(20), targeted(100)]),
    f('full-and-targeted', [open(100), targeted(50)]),
    f('only-targeted', [targeted(100)]),
    f('targeted-at-zero', [open(0), targeted(0)]),
    f('no-groups', []),
    f('off', [open(100)], { active: false }),
    f('archived', [open(100)], { active: false, archived: true }),
    f('mv', [open(100)], { filters: { groups: [open(100)], multivariate: { variants: [{ key: 'a', rollout_percentage: 50 }, { key: 'b', rollout_percentage: 50 }] } } }),
    f('stale-full', [open(100)], { last_called_at: '2026-01-01T00:00:00Z' }),
    f('stale-off', [open(100)], { active: false, last_called_at: '2026-01-01T00:00:00Z' }),
  ],
  deletedKeys: ['gone'],
  fetchedAt: now.toISOString(),
});

const label = (key: string) => flagGlance(key, snapshot, now).label;

describe('flags: at a glance (inlay hint labels)', () => {
  it('shows the share of all users an enabled boolean flag reaches', () => {
    assert.equal(label('thirty'), '● 30%');
    assert.equal(label('null-is-all'), '● 100%', 'a missing percentage is 100, as PostHog reads it');
    assert.equal(label('fraction'), '● 12.5%');
    assert.equal(label('best-open-group'), '● 60%', 'groups are OR-ed: the widest open group counts');
  });

  it('marks targeted conditions: + when they may reach more, targeted when only they exist', () => {
    assert.equal(label('plus-targeted'), '● 20%+');
    assert.equal(label('full-and-targeted'), '● 100%', 'nothing is added to everyone');
    assert.equal(label('only-targeted'), '● targeted');
    assert.equal(label('targeted-at-zero'), '● 0%', 'a targeted group at 0% reaches no one');
    assert.equal(label('no-groups'), '● 0%');
  });

  it('labels off, variants, missing, deleted and stale; stale wins over the percentage, never over off', () => {
    assert.equal(label('off'), '○ off');
    assert.equal(label('archived'), '○ off');
    assert.equal(label('mv'), '● variants');
    assert.equal(label('nope'), '✕ missing');
    assert.equal(label('gone'), '✕ deleted');
    assert.equal(label('stale-full'), '◐ stale');
    assert.equal(label('stale-off'), '○ off');
  });
});
