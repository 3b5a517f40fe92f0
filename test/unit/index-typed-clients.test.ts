/**
 * Typed clients: a receiver whose declared type is PostHog's (through
 * aliases, `Pick`, unions, interfaces extending it, imported types, a context
 * hook's return type, class fields and Nest-style injected parameters) is
 * evidence for the generic method names (`isFeatureEnabled`, `getFeatureFlag`),
 * without a type checker. Fixture: test/fixtures/real-world/js/typed-clients.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanSource } from '../../server/src/core/index';
import { brief, memorySource } from './index-support';

const DIR = join(__dirname, '..', 'fixtures', 'real-world', 'js', 'typed-clients');
const files = Object.fromEntries(readdirSync(DIR).map((f) => [f, readFileSync(join(DIR, f), 'utf8')]));

describe('index: typed clients', () => {
  it('claims generic names on receivers declared as PostHog, and nothing on other types', async () => {
    const { result } = await scanSource(memorySource(files));
    assert.deepEqual(brief(result.usages), [
      // an interface named for PostHog is the project's own description of its client; ReturnType<typeof f> is f's result
      'cached-flags.ts:15:33 return-type-key wrapper on',
      'flags.service.ts:11:42 nest-injected literal isFeatureEnabled',
      'flags.service.ts:15:43 typed-field literal getFeatureFlag',
      'page.tsx:7:41 typed-hook literal isFeatureEnabled',
      'page.tsx:8:34 typed-context literal getFeatureFlag',
      'page.tsx:13:31 typed-param literal isFeatureEnabled',
    ]);
    assert.deepEqual(result.unresolved, []);
  });

  it('the same calls without the declared types claim nothing (the types are the evidence)', async () => {
    const untyped = { ...files, 'telemetry.ts': files['telemetry.ts'].replace("import type { PostHog } from 'posthog-js';", 'type Svc = { isFeatureEnabled(k: string): boolean };').replace('Pick<PostHog', 'Pick<Svc'), 'analytics.ts': 'export type AnalyticsClient = unknown;\nexport interface ServerAnalytics {}\n', 'server-client.ts': files['server-client.ts'].replace(/PostHogServerClient/g, 'ServerClient') };
    const { result } = await scanSource(memorySource(untyped));
    assert.deepEqual(brief(result.usages), []);
  });
});

describe('index: dynamic imports', () => {
  it('`const { f } = await import(spec)` binds f to the module\'s export (tests that load a module after mocking it)', async () => {
    const files = {
      'lib/get-flag.ts': "import { PostHog } from 'posthog-node';\nconst client = new PostHog('phc_x');\nexport const getPostHogFlag = (id: string, key: string) => client.getFeatureFlag(key, id);\n",
      'lib/get-flag.test.ts': "test('x', async () => {\n  const { getPostHogFlag } = await import('./get-flag');\n  const mod = await import('./get-flag');\n  await getPostHogFlag('u1', 'dynamic-import-key');\n  await mod.getPostHogFlag('u1', 'namespace-key');\n});\n",
    };
    const { result } = await scanSource(memorySource(files));
    assert.deepEqual(brief(result.usages), [
      'lib/get-flag.test.ts:4:31 dynamic-import-key wrapper getPostHogFlag',
      'lib/get-flag.test.ts:5:35 namespace-key wrapper getPostHogFlag',
    ]);
  });
});

describe('index: calls through an interface (ports and adapters, providers chosen at run time)', () => {
  it('a method of an interface-typed receiver is the implementing class\'s wrapper (the one that reaches PostHog)', async () => {
    const dir = join(__dirname, '..', 'fixtures', 'real-world', 'js', 'ports');
    const files: Record<string, string> = {};
    const walk = (d: string, prefix: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
        else files[`${prefix}${e.name}`] = readFileSync(join(d, e.name), 'utf8');
      }
    };
    walk(dir, '');
    const { result } = await scanSource(memorySource(files));
    assert.deepEqual(brief(result.usages), [
      'controllers/experiment.controller.ts:10:41 experiment-deletion wrapper isFlagOn',
      'controllers/experiment.controller.ts:15:25 port-parameter wrapper isFlagOn',
      'controllers/flags.service.spec.ts:9:26 spec-flag wrapper check',
      'provider/usage.ts:3:50 reports-v2 wrapper isFeatureEnabled',
    ]);
    // Only the fake implements the port: the port's calls are not flag usages.
    const fakeOnly = { ...files, 'adapters/analytics.adapter.ts': files['adapters/analytics.adapter.ts'].replace(/@Injectable\(\)\nexport class AnalyticsAdapter[\s\S]*?\n}\n/, '') };
    const { result: r2 } = await scanSource(memorySource(fakeOnly));
    assert.deepEqual(brief(r2.usages).filter((u) => u.includes('isFlagOn')), []);
  });
});

describe('index: PostHog reached through project modules', () => {
  it('an SDK hook re-exported by a project module, and an evaluateFlags() snapshot of a client from a getter', async () => {
    const files = {
      'packages/ph/package.json': '{"name": "@acme/ph", "exports": {"./client": "./src/client.ts"}}',
      'packages/ph/src/client.ts': "export { useFeatureFlagEnabled } from 'posthog-js/react';\n",
      'app/own-hooks.ts': "export function useFeatureFlagEnabled(name: string) { return name.length > 2; }\n",
      'app/page.tsx': "import { useFeatureFlagEnabled } from '@acme/ph/client';\nconst FAKE_DOOR = 'fake-door';\nexport const P = () => useFeatureFlagEnabled(FAKE_DOOR);\n",
      'app/own.tsx': "import { useFeatureFlagEnabled } from './own-hooks';\nexport const O = () => useFeatureFlagEnabled('not-posthog');\n",
      'app/server-client.ts': "import { PostHog } from 'posthog-node';\nlet client: PostHog | undefined;\nexport function getClient() { return (client ??= new PostHog('phc_x')); }\n",
      'app/check.ts': "import { getClient } from './server-client';\nexport async function check(id: string) {\n  const posthog = getClient();\n  const flags = await posthog.evaluateFlags(id, { flagKeys: ['snapshot-key'] });\n  return flags.isEnabled('snapshot-key');\n}\n",
    };
    const { result } = await scanSource(memorySource(files));
    assert.deepEqual(brief(result.usages), [
      'app/check.ts:4:63 snapshot-key literal evaluateFlags',
      'app/check.ts:5:27 snapshot-key literal isEnabled',
      'app/page.tsx:3:46 fake-door constant useFeatureFlagEnabled',
    ]);
  });
});
