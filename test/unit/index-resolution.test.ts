import assert from 'node:assert/strict';
import { scanSource } from '../../server/src/core/index';
import { KEYLESS_CALLS, SDK_CALLS } from '../../server/src/core/sdk-calls';
import { brief, loadFixture, memorySource, positionOf } from './index-support';

describe('index: key resolution routes (fixture js/resolution)', () => {
  const files = loadFixture('resolution');
  let scan: Awaited<ReturnType<typeof scanSource>>;
  before(async () => {
    scan = await scanSource(memorySource(files));
  });

  it('finds every usage through literals, constants, barrels, namespaces, enums, aliases and wrappers, and nothing else', () => {
    assert.deepEqual(brief(scan.result.usages), [
      'src/app.tsx:13:36 literal-key literal useFeatureFlagEnabled',
      'src/app.tsx:14:36 template-key literal useFeatureFlagEnabled',
      'src/app.tsx:15:38 new-checkout constant useFeatureFlagVariantKey',
      'src/app.tsx:16:38 annual-billing constant isFeatureEnabled',
      'src/app.tsx:17:36 annual-billing constant getFeatureFlag',
      'src/app.tsx:18:38 dark-mode constant isFeatureEnabled',
      'src/app.tsx:19:38 turbo-mode constant isFeatureEnabled',
      'src/app.tsx:20:43 single-const constant getFeatureFlagPayload',
      'src/app.tsx:21:38 barrel-key constant isFeatureEnabled',
      'src/app.tsx:22:38 onboarding-step-two constant isFeatureEnabled',
      'src/app.tsx:23:38 default-object-key constant isFeatureEnabled',
      'src/app.tsx:24:38 local-const constant isFeatureEnabled',
      'src/app.tsx:25:38 new-checkout constant isFeatureEnabled',
      'src/app.tsx:26:38 dark-mode constant isFeatureEnabled',
      'src/app.tsx:27:38 annual-billing constant isFeatureEnabled',
      'src/app.tsx:28:38 barrel-key constant isFeatureEnabled',
      'src/app.tsx:30:27 jsx-flag literal PostHogFeature',
      'src/page.tsx:7:24 wrapped-literal wrapper useFlag',
      'src/page.tsx:8:23 new-checkout wrapper useGate',
      'src/page.tsx:9:29 default-wrapper-key wrapper useVariant',
      'src/page.tsx:10:24 single-const wrapper useFlag',
      'src/page.tsx:12:21 gate-flag wrapper FlagGate',
      'src/page.tsx:13:24 annual-billing wrapper PropsGate',
      'src/server/handler.ts:6:48 server-flag literal getFeatureFlag',
      'src/server/handler.ts:7:40 service-flag wrapper isOn',
      'src/server/handler.ts:8:56 new-checkout wrapper variantFor',
    ]);
  });

  it('lists what cannot be known statically as unresolved, with the expression text', () => {
    assert.deepEqual(
      scan.result.unresolved.map((u) => `${u.file}:${u.line}:${u.column} ${u.call} ${u.expression}`),
      [
        'src/dynamic.ts:7:28 isFeatureEnabled `flag-${name}`',
        'src/dynamic.ts:8:28 isFeatureEnabled mutable',
        'src/dynamic.ts:9:28 isFeatureEnabled getKey()',
        "src/dynamic.ts:10:28 isFeatureEnabled 'a' + 'b'",
        'src/dynamic.ts:11:52 isFeatureEnabled item.key',
        'src/dynamic.ts:12:11 useFlag name.trim()',
      ],
    );
  });

  it('gives a literal the range of its content and a constant the range of the argument expression', () => {
    const lit = scan.result.usages.find((u) => u.key === 'literal-key')!;
    assert.deepEqual([lit.line, lit.column, lit.endLine, lit.endColumn], [13, 36, 13, 47]);
    assert.equal(lit.language, 'typescriptreact');
    assert.equal(lit.keySite, undefined);
    const nested = scan.result.usages.find((u) => u.key === 'annual-billing' && u.call === 'getFeatureFlag')!;
    const text = files['src/app.tsx'];
    const start = positionOf(text, "FEATURE_FLAGS['billing']['ANNUAL']");
    assert.deepEqual([nested.line, nested.column, nested.endColumn], [start.line, start.column, start.column + "FEATURE_FLAGS['billing']['ANNUAL']".length]);
  });

  it('points keySite at the literal that defines the key, across files and hops', () => {
    const site = (key: string, call: string) => scan.result.usages.find((u) => u.key === key && u.call === call)!.keySite!;
    const flags = files['src/flags.ts'];
    const nc = positionOf(flags, "'new-checkout'", 1);
    assert.deepEqual(site('new-checkout', 'useFeatureFlagVariantKey'), { file: 'src/flags.ts', line: nc.line, column: nc.column, endLine: nc.line, endColumn: nc.column + 12 });
    // through `export { SINGLE_FLAG as RENAMED_SINGLE } from '../flags'`
    assert.equal(site('single-const', 'getFeatureFlagPayload').file, 'src/flags.ts');
    // `export *` barrel
    assert.equal(site('barrel-key', 'isFeatureEnabled').file, 'src/constants/flag-keys.ts');
    // default export object
    assert.equal(site('default-object-key', 'isFeatureEnabled').file, 'src/default-flags.ts');
    // const enum member
    const turbo = positionOf(flags, "'turbo-mode'", 1);
    assert.deepEqual([site('turbo-mode', 'isFeatureEnabled').line, site('turbo-mode', 'isFeatureEnabled').column], [turbo.line, turbo.column]);
    // a wrapper called with a literal: the literal itself
    const page = files['src/page.tsx'];
    const w = positionOf(page, "'wrapped-literal'", 1);
    assert.deepEqual([site('wrapped-literal', 'useFlag').file, site('wrapped-literal', 'useFlag').line, site('wrapped-literal', 'useFlag').column], ['src/page.tsx', w.line, w.column]);
    // a wrapper called with a constant: the constant's literal
    assert.equal(site('new-checkout', 'useGate').file, 'src/flags.ts');
  });

  it('reports the scan totals', () => {
    assert.equal(scan.result.root, '/mem');
    assert.equal(scan.result.filesScanned, Object.keys(files).filter((f) => f.endsWith('.ts') || f.endsWith('.tsx')).length);
    assert.deepEqual(scan.result.skipped, []);
  });

  it('is deterministic', async () => {
    const again = await scanSource(memorySource(files));
    assert.equal(JSON.stringify(again.result), JSON.stringify(scan.result));
  });

  it('without the tsconfig, `@/` imports resolve by their file name alone, and the usages say so', async () => {
    const noConfig = { ...files };
    delete noConfig['tsconfig.json'];
    const { result } = await scanSource(memorySource(noConfig));
    const via = result.usages.find((u) => u.file === 'src/app.tsx' && u.line === 28)!;
    assert.equal(via.key, 'barrel-key');
    assert.equal(via.guessedImport, '@/constants');
    assert.equal(scan.result.usages.find((u) => u.file === 'src/app.tsx' && u.line === 28)!.guessedImport, undefined, 'with the tsconfig nothing is guessed');
    assert.ok(result.usages.some((u) => u.call === 'useFlag' && u.file === 'src/page.tsx' && u.guessedImport === '@/hooks'));
    assert.deepEqual(brief(result.usages), brief(scan.result.usages));
  });

  it('an import that matches two files by name stays unresolved with reason import, never guessed', async () => {
    const twice: Record<string, string> = { ...files, 'lib/constants.ts': "export const BARREL_KEY = 'other';\n" };
    delete twice['tsconfig.json'];
    const { result } = await scanSource(memorySource(twice));
    const u = result.unresolved.find((x) => x.file === 'src/app.tsx' && x.expression === 'viaAlias');
    assert.deepEqual([u?.reason, u?.module], ['import', '@/constants']);
  });

  it('unknowable keys say reason dynamic', () => {
    assert.deepEqual(new Set(scan.result.unresolved.map((u) => u.reason)), new Set(['dynamic']));
  });
});

describe('index: no false positives (fixture js/negatives)', () => {
  it('claims only the PostHog calls among other vendors, comments, strings and look-alikes', async () => {
    const { result } = await scanSource(memorySource(loadFixture('negatives')));
    assert.deepEqual(brief(result.usages), [
      'src/comments-and-strings.ts:12:36 real-key literal isFeatureEnabled',
      'src/mixed-vendors.ts:8:113 posthog-in-mixed literal isFeatureEnabled',
    ]);
    assert.deepEqual(result.unresolved, []);
  });
});

describe('index: calls that take no key', () => {
  it('are not in the SDK-call table and never produce a usage or an unresolved entry', async () => {
    const names = new Set(SDK_CALLS.map((c) => c.name));
    for (const k of KEYLESS_CALLS) assert.equal(names.has(k), false, `${k} is keyless but listed as an SDK call`);
    const src = [
      "import posthog from 'posthog-js';",
      "import { useActiveFeatureFlags, useFeatureFlags } from 'posthog-js/react';",
      "posthog.onFeatureFlags(() => {});",
      "posthog.reloadFeatureFlags();",
      "const all = posthog.getAllFlags();",
      "const active = useActiveFeatureFlags();",
      "const f = useFeatureFlags('not-a-key');",
      "posthog.isFeatureEnabled('real-one');",
    ].join('\n');
    const { result } = await scanSource(memorySource({ 'a.ts': src }));
    assert.deepEqual(brief(result.usages), ['a.ts:8:27 real-one literal isFeatureEnabled']);
    assert.deepEqual(result.unresolved, []);
  });
});
