import { bytesContainAny } from '../../server/src/core/index/prefilter';
import assert from 'node:assert/strict';
import { scanSource, sdkTerms, textHasSdkTerm } from '../../server/src/core/index';
import { SDK_CALLS } from '../../server/src/core/sdk-calls';
import { createTreeSitterRuntime } from '../../server/src/core/tree-sitter/extract';
import { loadWasmFromDir } from '../../server/src/node/tree-sitter-loader';
import { brief, memorySource } from './index-support';

describe('index: pre-filter', () => {
  it('covers every SDK name of a family with fewer terms', () => {
    for (const family of ['js', 'python', 'go', 'ruby', 'php', 'java', 'swift', 'dart', 'csharp'] as const) {
      const terms = sdkTerms(family);
      for (const c of SDK_CALLS.filter((x) => x.families.includes(family))) {
        assert.ok(terms.some((t) => c.name.includes(t)), `${family}: ${c.name}`);
        assert.ok(textHasSdkTerm(`x.${c.name}(k)`, family));
      }
    }
    assert.ok(sdkTerms('js').length < SDK_CALLS.filter((x) => x.families.includes('js')).length);
    assert.equal(textHasSdkTerm('const a = 1;', 'js'), false);
  });

  it('parses only files that can hold a usage or hold a constant/wrapper something needs', async () => {
    const files: Record<string, string> = {
      'src/app.tsx': `import { useFeatureFlagEnabled } from 'posthog-js/react';\nimport { FLAGS } from './flags';\nimport { Button } from './button';\nexport const A = () => useFeatureFlagEnabled(FLAGS.X) && Button;\n`,
      'src/flags.ts': `export const FLAGS = { X: 'x-flag' };\n`,
      'src/button.tsx': `import { theme } from './theme';\nexport const Button = () => theme;\n`,
      'src/theme.ts': `export const theme = { color: 'red' };\n`,
      'src/hooks/use-flag.ts': `import posthog from 'posthog-js';\nexport function useFlag(key: string) { return posthog.isFeatureEnabled(key); }\n`,
      'src/feature.tsx': `import { useFlag } from './hooks/use-flag';\nexport const F = () => useFlag('via-wrapper');\n`,
      'src/hooks/use-gate.ts': `import { useFlag } from './use-flag';\nexport const useGate = (name: string) => useFlag(name);\n`,
      'src/deep.tsx': `import { useGate } from './hooks/use-gate';\nexport const D = () => useGate('via-two-wrappers');\n`,
      'src/math.ts': `export const add = (a: number, b: number) => a + b;\n`,
      'server/app.py': `import posthog\nposthog.feature_enabled('py-flag', 'id')\n`,
      'server/util.py': `def add(a, b):\n    return a + b\n`,
    };
    for (let i = 0; i < 50; i++) files[`src/noise/n${i}.ts`] = `export const n${i} = ${i};\n`;
    const source = memorySource(files);
    const { result, index } = await scanSource(source);
    assert.deepEqual(brief(result.usages), [
      'src/app.tsx:4:46 x-flag constant useFeatureFlagEnabled',
      'src/deep.tsx:2:33 via-two-wrappers wrapper useGate',
      'src/feature.tsx:2:33 via-wrapper wrapper useFlag',
    ]);
    assert.deepEqual(index.parsedFiles(), ['server/app.py', 'src/app.tsx', 'src/deep.tsx', 'src/feature.tsx', 'src/flags.ts', 'src/hooks/use-flag.ts', 'src/hooks/use-gate.ts']);
    assert.equal(result.filesScanned, Object.keys(files).length);
    // Without a tree-sitter runtime a Python file with an SDK name is reported, not dropped silently.
    assert.deepEqual(result.skipped.map((s) => `${s.file} ${s.reason}`), ['server/app.py parse-error']);
    assert.equal(new Set(source.reads.filter((f) => f in files)).size, Object.keys(files).length);
  });

  it('hands other languages to tree-sitter, only when they mention an SDK name', async function () {
    this.timeout(20000);
    const treeSitter = await createTreeSitterRuntime(loadWasmFromDir(), ['python', 'go']);
    const files = {
      'server/app.py': `import posthog\nposthog.feature_enabled('py-flag', 'id')\n`,
      'server/util.py': `def add(a, b):\n    return a + b\n`,
      'cmd/main.go': `package main\nfunc main() { client.IsFeatureEnabled(posthog.FeatureFlagPayload{Key: "go-flag", DistinctId: "d"}) }\n`,
      'web/a.ts': `import posthog from 'posthog-js';\nposthog.isFeatureEnabled('ts-flag');\n`,
    };
    const { result, index } = await scanSource(memorySource(files), { treeSitter });
    assert.deepEqual(result.usages.map((u) => `${u.file} ${u.key} ${u.language}`), ['cmd/main.go go-flag go', 'server/app.py py-flag python', 'web/a.ts ts-flag typescript']);
    assert.ok(!index.parsedFiles().includes('server/util.py'));
    assert.deepEqual(result.skipped, []);
  });
});

describe('prefilter: bytesContainAny', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  it('finds any of several names in one pass, names with $ taken literally', () => {
    const file = bytes('const a = use$Gate("k"); // café');
    assert.equal(bytesContainAny(file, ['useFlag', 'use$Gate']), true);
    assert.equal(bytesContainAny(file, ['useFlag', 'use.Gate']), false);
    assert.equal(bytesContainAny(file, ['useFlag', 'isOn']), false);
    assert.equal(bytesContainAny(file, []), false);
  });
  it('matches ASCII names after non-ASCII text and non-ASCII names by bytes', () => {
    const file = bytes('// héllo wörld\nisOn("x")\nconst ñame = 1');
    assert.equal(bytesContainAny(file, ['isOff', 'isOn']), true);
    assert.equal(bytesContainAny(file, ['ñame', 'zzz']), true);
    assert.equal(bytesContainAny(file, ['ñamx', 'zzz']), false);
  });
});
