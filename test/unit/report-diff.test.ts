import assert from 'node:assert/strict';
import { describeAdded, describeRemoved, diffScans, withStates } from '../../server/src/core/report/diff';
import type { ScanResult, Usage } from '../../server/src/core/types';

function usage(file: string, line: number, key: string, column = 5): Usage {
  return { file, line, column, endLine: line, endColumn: column + key.length, key, kind: 'literal', call: 'isFeatureEnabled', language: 'typescript' };
}
function scan(usages: Usage[]): ScanResult {
  return { root: '/r', filesScanned: 3, usages, unresolved: [], skipped: [] };
}

describe('diffScans', () => {
  it('compares per (file, key) by count: moved lines are not changes', () => {
    const base = scan([usage('a.ts', 1, 'moved'), usage('a.ts', 9, 'moved'), usage('b.ts', 3, 'stay')]);
    const head = scan([usage('a.ts', 40, 'moved'), usage('a.ts', 2, 'moved'), usage('b.ts', 30, 'stay')]);
    assert.deepEqual(diffScans(base, head, { base: 'main', head: 'x' }), { base: 'main', head: 'x', added: [], removed: [] });
  });

  it('lists new keys, extra usages in a file, removed usages and last usages, sorted', () => {
    const base = scan([
      usage('a.ts', 1, 'grows'),
      usage('b.ts', 1, 'shrinks'),
      usage('b.ts', 2, 'shrinks'),
      usage('c.ts', 1, 'gone'),
      usage('c.ts', 5, 'moves-file'),
    ]);
    const head = scan([
      usage('a.ts', 1, 'grows'),
      usage('a.ts', 7, 'grows'),
      usage('z.ts', 1, 'grows'),
      usage('b.ts', 2, 'shrinks'),
      usage('n.ts', 4, 'brand-new'),
      usage('d.ts', 5, 'moves-file'),
    ]);
    const d = diffScans(base, head, { base: 'main', head: 'feature' });
    assert.deepEqual(d.added, [
      { key: 'brand-new', newKey: true, usages: [{ file: 'n.ts', line: 4, column: 5 }] },
      {
        key: 'grows',
        newKey: false,
        usages: [
          { file: 'a.ts', line: 1, column: 5 },
          { file: 'a.ts', line: 7, column: 5 },
          { file: 'z.ts', line: 1, column: 5 },
        ],
      },
      { key: 'moves-file', newKey: false, usages: [{ file: 'd.ts', line: 5, column: 5 }] },
    ]);
    assert.deepEqual(d.removed, [
      { key: 'gone', lastUsageRemoved: true, files: ['c.ts'], usages: [{ file: 'c.ts', line: 1, column: 5 }] },
      { key: 'moves-file', lastUsageRemoved: false, files: ['c.ts'], usages: [{ file: 'c.ts', line: 5, column: 5 }] },
      {
        key: 'shrinks',
        lastUsageRemoved: false,
        files: ['b.ts'],
        usages: [
          { file: 'b.ts', line: 1, column: 5 },
          { file: 'b.ts', line: 2, column: 5 },
        ],
      },
    ]);
  });

  it('adds states and phrases them with PostHog’s view', () => {
    const d = withStates(
      diffScans(scan([usage('a.ts', 1, 'old')]), scan([usage('a.ts', 1, 'x')]), { base: 'b', head: 'h' }),
      (k) => (k === 'x' ? 'disabled' : k === 'old' ? 'active' : undefined),
    );
    assert.equal(d.added[0].state, 'disabled');
    assert.equal(describeAdded(d.added[0]), "starts using 'x', which is disabled");
    assert.equal(describeRemoved(d.removed[0]), "removes the last usage of 'old': safe to delete in PostHog");
    const noState = withStates(d, () => undefined);
    assert.equal('state' in noState.added[0] && noState.added[0].state, 'disabled');
  });
});
