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
      'flags.service.ts:11:42 nest-injected literal isFeatureEnabled',
      'flags.service.ts:15:43 typed-field literal getFeatureFlag',
      'page.tsx:7:41 typed-hook literal isFeatureEnabled',
      'page.tsx:8:34 typed-context literal getFeatureFlag',
      'page.tsx:13:31 typed-param literal isFeatureEnabled',
    ]);
    assert.deepEqual(result.unresolved, []);
  });

  it('the same calls without the declared types claim nothing (the types are the evidence)', async () => {
    const untyped = { ...files, 'telemetry.ts': files['telemetry.ts'].replace("import type { PostHog } from 'posthog-js';", 'type PostHog = { isFeatureEnabled(k: string): boolean };'), 'analytics.ts': 'export type AnalyticsClient = unknown;\nexport interface ServerAnalytics {}\n' };
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
