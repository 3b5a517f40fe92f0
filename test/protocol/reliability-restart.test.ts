/**
 * Issue 8, a server killed mid-session: a new server on the same workspace
 * (what the VS Code client's restart does; the client side is covered by the
 * e2e tier) comes back with the same usages, the same flags once fetched,
 * and the unsaved buffers the client re-sends on didOpen.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LspTestClient } from '../support/lsp-client';
import { APP_TSX, STANDARD_FILES } from './fixtures';
import { FAKE_KEY, assertNoKey, hoverText, positionOf, startSession, waitForIndexing } from './helpers';

const KEYS = ['new-checkout', 'beta-banner', 'everyone-gets-it', 'pricing-test', 'new-chekout'];

async function usagesOf(client: LspTestClient): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const key of KEYS) {
    const locations = await client.request('workspace/executeCommand', { command: 'posthog.flagUsages', arguments: [{ key }] });
    out[key] = locations.map((l: any) => `${l.uri}:${l.range.start.line}:${l.range.start.character}`).sort();
  }
  return out;
}

describe('reliability: the server killed mid-session', function () {
  this.timeout(30_000);

  it('a new server on the same workspace has the same usages, flags, diagnostics and unsaved buffers', async () => {
    const s = await startSession({ files: STANDARD_FILES });
    let next: LspTestClient | undefined;
    try {
      const app = join(s.dir, 'src/app.tsx');
      const unsaved = APP_TSX.replace('return [', "const typed = posthog.isFeatureEnabled('pricing-test');\n  return [");
      await s.client.open(app, APP_TSX);
      await s.client.change(app, unsaved);
      const before = await usagesOf(s.client);
      assert.equal(before['pricing-test'].length, 2, 'the unsaved usage counts');
      const report = await s.client.request('posthog/report', {});
      const diagnostics = await s.client.waitForDiagnostics(app, (d) => d.some((x) => x.code === 'missing-flag'));
      const flagCount = s.client.statuses().pop().flagCount;

      s.client.child.kill('SIGKILL');
      await s.client.waitFor('the server to die', () => s.client.exitCode !== null);

      next = LspTestClient.start();
      await next.initialize({ folders: [s.dir], initializationOptions: { host: s.fake.url, projectId: 1, personalApiKey: FAKE_KEY } });
      const { fetchedAt: _fetchedAt, ...status } = await next.waitForNotification('posthog/status');
      assert.deepEqual(status, { state: 'ok', flagCount });
      await waitForIndexing(next);
      await next.open(app, unsaved); // the client re-sends its open buffers, unsaved text included
      assert.deepEqual(await usagesOf(next), before);
      const again = await next.request('posthog/report', {});
      const rows = (r: any) => r.flags.map((f: any) => `${f.key}|${f.state}|${f.usageCount}`).sort();
      assert.deepEqual(rows(again), rows(report));
      const d = await next.waitForDiagnostics(app, (x) => x.length === diagnostics.length);
      assert.deepEqual(d.map((x) => `${x.code}@${x.range.start.line}:${x.range.start.character}`).sort(), diagnostics.map((x) => `${x.code}@${x.range.start.line}:${x.range.start.character}`).sort());
      const p = positionOf(unsaved, "isFeatureEnabled('pricing-test')", "isFeatureEnabled('".length + 1);
      assert.match(hoverText(await next.hover(app, p.line, p.character)), /pricing-test/);
    } finally {
      await next?.stop();
      if (next) assertNoKey(next);
      await s.dispose();
    }
  });
});
