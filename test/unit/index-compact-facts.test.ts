import { ProjectResolver } from '../../server/src/core/index/project-resolver';
import assert from 'node:assert/strict';
import { WorkspaceIndex, extractJs } from '../../server/src/core/index';
import { dropLocalDeadCalls } from '../../server/src/core/index/workspace-index';
import { languageForPath } from '../../server/src/core/languages';

function facts(file: string, text: string) {
  return extractJs(file, text, languageForPath(file)!);
}

function callNames(f: ReturnType<typeof facts>): string[] {
  return f.sites.filter((s) => s.t === 'call').map((s) => s.call).sort();
}

const MIXED = `import { useState } from 'react';
import { useGate } from './gate';
import { helper } from '@/lib/helper';
import posthog from 'posthog-js';

function local(n: number) { return n + 1; }
function localGate(flag: string) { return posthog.isFeatureEnabled(flag); }

export class Repo {
  private readonly cache = new Map<string, number>();
  load(id: string) {
    this.cache.set(id, local(1));
    return this.cache.get(id);
  }
}

export function View() {
  const [a] = useState(0);
  helper(a);
  localGate('local-key');
  return useGate('gate-key');
}
`;

describe('index: compact facts (call sites that can never be wrapper calls)', () => {
  it('drops calls this file alone shows are not wrappers, keeps imports and local wrappers', () => {
    const before = callNames(facts('src/view.ts', MIXED));
    assert.ok(before.includes('get') && before.includes('set') && before.includes('local'), `full extraction records them: ${before}`);
    const after = callNames(dropLocalDeadCalls(facts('src/view.ts', MIXED)));
    assert.deepEqual(after, ['helper', 'localGate', 'useGate', 'useState']);
  });

  it('keeps a call whose callee is an alias-style import even without aliases known', () => {
    const f = dropLocalDeadCalls(facts('src/a.ts', `import { useFlag } from '@/hooks';\nexport const x = useFlag('k');\n`));
    assert.deepEqual(callNames(f), ['useFlag']);
  });

  it('keeps a local function that forwards to an imported function (others decide)', () => {
    const f = dropLocalDeadCalls(facts('src/a.ts', `import { check } from './check';\nfunction mine(k: string) { return check(k); }\nmine('k');\n`));
    assert.deepEqual(callNames(f), ['check', 'mine']);
  });

  it('gives the same usages as before: wrappers across files and aliases still resolve', () => {
    const ix = new WorkspaceIndex({ resolver: new ProjectResolver({ 'tsconfig.json': '{"compilerOptions": {"paths": {"@/*": ["./src/*"]}}}' }) });
    ix.update('src/hooks.ts', `import { useFeatureFlagEnabled } from 'posthog-js/react';\nexport function useFlag(key: string) { return useFeatureFlagEnabled(key); }\n`);
    ix.update('src/page.tsx', `import { useFlag } from '@/hooks';\nclass C { m = new Map(); go() { return this.m.get('x'); } }\nexport const P = () => useFlag('aliased-key');\n`);
    assert.deepEqual(
      ix.usages().map((u) => `${u.file}:${u.line} ${u.key} ${u.kind} ${u.call}`),
      ['src/page.tsx:3 aliased-key wrapper useFlag'],
    );
  });
});

describe('index: surfaces computed lazily', () => {
  it('a changed export still re-links importers; an unchanged surface does not', () => {
    const ix = new WorkspaceIndex();
    ix.update('src/flags.ts', `export const F = 'one';\n`);
    ix.update('src/app.ts', `import posthog from 'posthog-js';\nimport { F } from './flags';\nposthog.isFeatureEnabled(F);\n`);
    assert.deepEqual(ix.keys(), ['one']);
    assert.deepEqual(ix.update('src/flags.ts', `export const F = 'one'; // note\n`), ['src/flags.ts']);
    assert.deepEqual(ix.update('src/flags.ts', `export const F = 'two';\n`), ['src/app.ts', 'src/flags.ts']);
    assert.deepEqual(ix.keys(), ['two']);
  });

  it('a file first held unparsed and parsed on demand compares its surface on a later edit', async () => {
    const ix = new WorkspaceIndex();
    ix.updateBatch([
      { file: 'src/flags.ts', lazy: { contains: (t) => `export const F = 'one';\n`.includes(t), text: () => `export const F = 'one';\n` } },
      { file: 'src/app.ts', text: `import posthog from 'posthog-js';\nimport { F } from './flags';\nposthog.isFeatureEnabled(F);\n` },
    ]);
    assert.deepEqual(ix.keys(), ['one']);
    assert.deepEqual(ix.update('src/flags.ts', `export const F = 'three';\n`), ['src/app.ts', 'src/flags.ts']);
    assert.deepEqual(ix.keys(), ['three']);
  });
});
