import assert from 'node:assert/strict';
import fc from 'fast-check';
import { indexEntry, ProjectResolver, readProjectConfigs, scanSource, WorkspaceIndex, type IndexEntry } from '../../server/src/core/index';
import { brief, loadFixture, memorySource } from './index-support';

const FLAGS_V1 = `export const FLAGS = {\n  NEW_CHECKOUT: 'new-checkout',\n} as const;\n`;
const APP = `import { useFeatureFlagEnabled } from 'posthog-js/react';\nimport { FLAGS } from './flags';\nexport const A = () => useFeatureFlagEnabled(FLAGS.NEW_CHECKOUT);\n`;
const OTHER = `import posthog from 'posthog-js';\nimport * as f from './flags';\nposthog.isFeatureEnabled(f.FLAGS.NEW_CHECKOUT);\n`;
const UNRELATED = `import posthog from 'posthog-js';\nposthog.isFeatureEnabled('alone');\n`;

function fresh(): WorkspaceIndex {
  const ix = new WorkspaceIndex();
  ix.update('src/flags.ts', FLAGS_V1);
  ix.update('src/app.tsx', APP);
  ix.update('src/other.ts', OTHER);
  ix.update('src/unrelated.ts', UNRELATED);
  return ix;
}

describe('index: incremental updates', () => {
  it('changing a constant re-links exactly its importers, which then show the new key', () => {
    const ix = fresh();
    assert.deepEqual(ix.usagesOfKey('new-checkout').map((u) => u.file), ['src/app.tsx', 'src/other.ts']);
    const changed = ix.update('src/flags.ts', FLAGS_V1.replace('new-checkout', 'checkout-v2'));
    assert.deepEqual(changed, ['src/app.tsx', 'src/flags.ts', 'src/other.ts']);
    assert.deepEqual(ix.usagesOfKey('new-checkout'), []);
    assert.deepEqual(ix.usagesOfKey('checkout-v2').map((u) => `${u.file} ${u.kind}`), ['src/app.tsx constant', 'src/other.ts constant']);
    assert.deepEqual(ix.keys(), ['alone', 'checkout-v2']);
  });

  it('an edit that touches nothing others see re-links only the file itself', () => {
    const ix = fresh();
    const changed = ix.update('src/app.tsx', APP + '\nconst unrelated = 1;\n');
    assert.deepEqual(changed, ['src/app.tsx']);
    assert.deepEqual(ix.update('src/unrelated.ts', UNRELATED.replace('alone', 'alone-2')), ['src/unrelated.ts']);
    assert.deepEqual(ix.keys(), ['alone-2', 'new-checkout']);
  });

  it('removing a file drops its usages and its dependents lose the resolution (to unresolved)', () => {
    const ix = fresh();
    const changed = ix.remove('src/flags.ts');
    assert.deepEqual(changed, ['src/app.tsx', 'src/other.ts']);
    assert.deepEqual(ix.keys(), ['alone']);
    assert.deepEqual(ix.unresolved().map((u) => `${u.file} ${u.expression}`), ['src/app.tsx FLAGS.NEW_CHECKOUT', 'src/other.ts f.FLAGS.NEW_CHECKOUT']);
    // and coming back restores them
    assert.deepEqual(ix.update('src/flags.ts', FLAGS_V1), ['src/app.tsx', 'src/flags.ts', 'src/other.ts']);
    assert.equal(ix.usagesOfKey('new-checkout').length, 2);
    assert.deepEqual(ix.unresolved(), []);
    assert.deepEqual(ix.remove('src/unrelated.ts'), ['src/unrelated.ts']);
    assert.deepEqual(ix.remove('src/nope.ts'), []);
  });

  it('a module that appears later resolves imports that pointed at nothing', () => {
    const ix = new WorkspaceIndex();
    ix.update('src/app.tsx', APP);
    assert.equal(ix.unresolved().length, 1);
    assert.deepEqual(ix.update('src/flags/index.ts', FLAGS_V1), ['src/app.tsx', 'src/flags/index.ts']);
    assert.equal(ix.usagesOfKey('new-checkout')[0].keySite!.file, 'src/flags/index.ts');
    // a closer candidate (flags.ts beats flags/index.ts) takes over
    ix.update('src/flags.ts', FLAGS_V1.replace('new-checkout', 'closer'));
    assert.deepEqual(ix.keys(), ['closer']);
  });

  it('a wrapper edited in its own file updates the callers in other files', () => {
    const ix = new WorkspaceIndex();
    ix.update('src/use-flag.ts', `import { useFeatureFlagEnabled } from 'posthog-js/react';\nexport function useFlag(k: string) { return useFeatureFlagEnabled(k); }\n`);
    ix.update('src/page.tsx', `import { useFlag } from './use-flag';\nexport const P = () => useFlag('wrapped');\n`);
    assert.deepEqual(brief(ix.usages()), ['src/page.tsx:2:33 wrapped wrapper useFlag']);
    const changed = ix.update('src/use-flag.ts', `export function useFlag(k: string) { return k.length > 3; }\n`);
    assert.deepEqual(changed, ['src/page.tsx', 'src/use-flag.ts']);
    assert.deepEqual(ix.usages(), []);
  });

  it('a file that does not mention PostHog becomes a wrapper caller when a wrapper appears (lazy files)', () => {
    const ix = new WorkspaceIndex();
    ix.update('src/page.tsx', `import { useGate } from './gate';\nexport const P = () => useGate('late-key');\n`);
    assert.deepEqual(ix.usages(), []);
    const changed = ix.update('src/gate.ts', `import posthog from 'posthog-js';\nexport const useGate = (k: string) => posthog.isFeatureEnabled(k);\n`);
    assert.ok(changed.includes('src/page.tsx'));
    assert.deepEqual(brief(ix.usages()), ['src/page.tsx:2:33 late-key wrapper useGate']);
  });

  it('ends on import cycles and self-referencing constants', () => {
    const ix = new WorkspaceIndex();
    ix.update('a.ts', `export * from './b';\nexport { X as Y } from './b';\nexport const A = B2;\nimport { B2 } from './b';\n`);
    ix.update('b.ts', `export * from './a';\nexport { Y as X } from './a';\nimport { A } from './a';\nexport const B2 = A;\nexport const C = C;\n`);
    ix.update('c.ts', `import posthog from 'posthog-js';\nimport { X, Y, A, C, Nope } from './a';\nposthog.isFeatureEnabled(X);\nposthog.isFeatureEnabled(Y);\nposthog.isFeatureEnabled(A);\nposthog.isFeatureEnabled(C);\nposthog.isFeatureEnabled(Nope);\n`);
    assert.deepEqual(ix.usages(), []);
    assert.equal(ix.unresolved().length, 5);
    ix.update('w.ts', `import posthog from 'posthog-js';\nexport function f(k: string): unknown { return g(k); }\nexport function g(k: string): unknown { return f(k); }\n`);
    ix.update('x.ts', `import { f } from './w';\nf('loop');\n`);
    assert.deepEqual(ix.usages(), []);
  });

  it('answers symbolAt, definitionAt and keySites for usages, constant definitions and constant references', () => {
    const ix = new WorkspaceIndex();
    const flags = `export const FLAGS = {\n  NEW_CHECKOUT: 'new-checkout',\n} as const;\nexport enum E { Beta = 'beta-flag' }\n`;
    const app = `import posthog from 'posthog-js';\nimport { FLAGS, E } from './flags';\nposthog.isFeatureEnabled(FLAGS.NEW_CHECKOUT);\nposthog.isFeatureEnabled('new-checkout');\nposthog.isFeatureEnabled(E.Beta);\nconst same = FLAGS.NEW_CHECKOUT;\n`;
    ix.update('flags.ts', flags);
    ix.update('app.ts', app);
    const onUsage = ix.symbolAt('app.ts', 3, 30)!;
    assert.equal(onUsage.role, 'usage');
    assert.equal(onUsage.key, 'new-checkout');
    assert.equal(onUsage.usage!.kind, 'constant');
    const def = ix.symbolAt('flags.ts', 2, 20)!;
    assert.deepEqual({ key: def.key, role: def.role, span: def.span }, { key: 'new-checkout', role: 'key-definition', span: { line: 2, column: 18, endLine: 2, endColumn: 30 } });
    assert.equal(ix.symbolAt('flags.ts', 4, 26)!.key, 'beta-flag');
    const ref = ix.symbolAt('app.ts', 6, 20)!;
    assert.deepEqual({ key: ref.key, role: ref.role }, { key: 'new-checkout', role: 'usage' });
    assert.deepEqual(ix.definitionAt('app.ts', 6, 20), { file: 'flags.ts', line: 2, column: 18, endLine: 2, endColumn: 30 });
    assert.deepEqual(ix.definitionAt('app.ts', 3, 30), { file: 'flags.ts', line: 2, column: 18, endLine: 2, endColumn: 30 });
    assert.equal(ix.symbolAt('app.ts', 1, 3), undefined);
    assert.equal(ix.symbolAt('nowhere.ts', 1, 1), undefined);
    assert.deepEqual(ix.keySites('new-checkout'), [
      { file: 'app.ts', line: 4, column: 27, endLine: 4, endColumn: 39 },
      { file: 'flags.ts', line: 2, column: 18, endLine: 2, endColumn: 30 },
    ]);
    assert.deepEqual(ix.files(), ['app.ts', 'flags.ts']);
    assert.equal(ix.usagesInFile('app.ts').length, 3);
    assert.deepEqual(ix.unresolvedInFile('app.ts'), []);
  });

  it('ignores files of unknown type', () => {
    const ix = new WorkspaceIndex();
    assert.deepEqual(ix.update('README.md', "posthog.isFeatureEnabled('x')"), []);
    assert.deepEqual(ix.files(), []);
  });
});

describe('index: batches in any order (start-up indexing in chunks)', () => {
  const GATE = `import posthog from 'posthog-js';\nexport function isOn(key: string) {\n  return posthog.isFeatureEnabled(key);\n}\n`;
  const CALLER = `import { isOn } from './gate';\nexport const x = isOn('gated-key');\n`;
  const lazy = (text: string) => ({ contains: (t: string) => text.includes(t), text: () => text });

  it('a lazy caller in a later batch than its wrapper is still found', () => {
    const ix = new WorkspaceIndex();
    ix.updateBatch([{ file: 'src/gate.ts', text: GATE }]);
    ix.updateBatch([{ file: 'src/caller.ts', lazy: lazy(CALLER) }]);
    assert.deepEqual(ix.usagesOfKey('gated-key').map((u) => `${u.file} ${u.kind} ${u.call}`), ['src/caller.ts wrapper isOn']);
  });

  it('a lazy caller in an earlier batch than its wrapper is found too, and chunking matches one batch', () => {
    const chunked = new WorkspaceIndex();
    chunked.updateBatch([{ file: 'src/caller.ts', lazy: lazy(CALLER) }]);
    chunked.updateBatch([{ file: 'src/gate.ts', text: GATE }]);
    const whole = new WorkspaceIndex();
    whole.updateBatch([{ file: 'src/caller.ts', lazy: lazy(CALLER) }, { file: 'src/gate.ts', text: GATE }]);
    assert.deepEqual(chunked.usages(), whole.usages());
    assert.equal(whole.usagesOfKey('gated-key').length, 1);
  });
});

describe('index: partial batches (a language server indexing in slices)', () => {
  /** Usages and unresolved calls of `files` indexed as a scan does (one batch), and in partial batches of `size` (in `order`) then a complete call. */
  async function compare(files: Record<string, string>, size: number, order: 'sorted' | 'reversed'): Promise<void> {
    const source = memorySource(files);
    const { result } = await scanSource(source);
    const listed = await source.list();
    const configs = await readProjectConfigs(source, listed.configs);
    const entries: IndexEntry[] = [];
    for (const file of [...listed.files].sort()) {
      const read = await source.read(file);
      if (!read.ok) continue;
      const { entry } = indexEntry(file, read.bytes);
      if (entry) entries.push(entry);
    }
    if (order === 'reversed') entries.reverse();
    const ix = new WorkspaceIndex({ resolver: new ProjectResolver(configs) });
    for (let i = 0; i < entries.length; i += size) ix.updateBatch(entries.slice(i, i + size), { partial: true });
    ix.updateBatch([]);
    assert.deepEqual(brief(ix.usages()), brief(result.usages), `batches of ${size}, ${order}`);
    assert.deepEqual(ix.unresolved(), result.unresolved, `batches of ${size}, ${order}`);
  }

  for (const fixture of ['monorepo', 'negatives', 'resolution']) {
    it(`fixture ${fixture}: the same results as one batch, in any slicing and order`, async () => {
      const files = loadFixture(fixture);
      for (const size of [1, 2, 5, 1000]) for (const order of ['sorted', 'reversed'] as const) await compare(files, size, order);
    });
  }

  it('generated programs (wrappers of wrappers found in later slices, quiet bodies, guessed imports): the same results', async () => {
    const filler = `  n = (n * 31 + 7) % 1000;\n`.repeat(120);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('sorted', 'reversed'), fc.array(fc.stringMatching(/^[a-z]{3,8}$/), { minLength: 1, maxLength: 4 }), async (callers, size, order, keys) => {
        const files: Record<string, string> = {
          'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } } }),
          'src/lib/gate.ts': `import posthog from 'posthog-js';\nexport function gate(k: string) {\n  return posthog.isFeatureEnabled(k);\n}\n`,
          'src/lib/outer.ts': `import { gate } from './gate';\nexport function outer(k: string) {\n  return gate(k);\n}\n`,
          'src/keys.ts': `export const KEYS = { ${keys.map((k, i) => `K${i}: '${k}'`).join(', ')} };\n`,
        };
        for (let i = 0; i < callers; i++) {
          files[`src/a${i}/caller.ts`] = [
            `import { outer } from '@lib/outer';`,
            `import { KEYS } from '../keys';`,
            `export function quiet${i}(n: number) {\n${filler}  return n;\n}`,
            `export function busy${i}() {\n  return outer(KEYS.K${i % keys.length});\n}`,
            `export const direct${i} = outer('${keys[i % keys.length]}-direct');`,
            '',
          ].join('\n');
        }
        await compare(files, size, order);
      }),
      { numRuns: 25 },
    );
  });
});
