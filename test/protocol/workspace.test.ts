import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generateFlags, startFakePostHog } from '../fake-posthog';
import { LspTestClient, uriOf } from '../support/lsp-client';
import { APP_TSX, STANDARD_FILES } from './fixtures';
import { FAKE_KEY, assertNoKey, hoverText, makeWorkspace, positionOf, standardFlags, startSession, writeFiles } from './helpers';

const one = (key: string) => `import posthog from 'posthog-js';\nexport const on = posthog.isFeatureEnabled('${key}');\n`;

describe('language server: workspace folders, files on disk, configuration', () => {
  it('keeps one index per folder, takes folders added and removed at run time', async () => {
    const a = makeWorkspace({ 'a.ts': one('new-checkout') });
    const b = makeWorkspace({ 'b.ts': one('missing-in-b') });
    const s = await startSession({ folders: [a, b] });
    try {
      assert.match(hoverText(await s.client.hover(join(a, 'a.ts'), 1, 46)), /new-checkout/);
      await s.client.waitForDiagnostics(join(b, 'b.ts'), (d) => d[0]?.code === 'missing-flag');
      const c = makeWorkspace({ 'c.ts': one('missing-in-c') });
      await s.client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: uriOf(c), name: 'c' }], removed: [{ uri: uriOf(b), name: 'b' }] } });
      await s.client.waitForDiagnostics(join(c, 'c.ts'), (d) => d[0]?.code === 'missing-flag');
      await s.client.waitForDiagnostics(join(b, 'b.ts'), (d) => d.length === 0);
      const refs = await s.client.request('workspace/executeCommand', { command: 'posthog.flagUsages', arguments: [{ key: 'missing-in-b' }] });
      assert.deepEqual(refs, []);
    } finally {
      await s.dispose();
    }
  });

  it('re-indexes files changed on disk, batched, and registers its watchers', async () => {
    const s = await startSession({ files: STANDARD_FILES });
    try {
      const reg = s.client.serverRequests.find((r) => r.method === 'client/registerCapability' && r.params.registrations.some((x: any) => x.method === 'workspace/didChangeWatchedFiles'));
      assert.ok(reg, 'watchers registered');
      const files: Record<string, string> = {};
      for (let i = 0; i < 200; i++) files[`gen/f${i}.ts`] = one(`gen-missing-${i}`);
      writeFiles(s.dir, files);
      await s.client.notify('workspace/didChangeWatchedFiles', { changes: Object.keys(files).map((f) => ({ uri: uriOf(join(s.dir, f)), type: 1 })) });
      await s.client.waitFor('200 new files diagnosed', () => Object.keys(files).every((f) => s.client.diagnostics.get(uriOf(join(s.dir, f)))?.length === 1));
      writeFiles(s.dir, { 'gen/f0.ts': one('new-checkout') });
      await s.client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(s.dir, 'gen/f0.ts')), type: 2 }] });
      await s.client.waitForDiagnostics(join(s.dir, 'gen/f0.ts'), (d) => d.length === 0);
    } finally {
      await s.dispose();
    }
  });

  it('applies a configuration change: severities re-read, a workspace host is not used with the key', async () => {
    let section: any = {};
    const s = await startSession({ files: STANDARD_FILES, start: { configuration: () => section } });
    try {
      const app = join(s.dir, 'src/app.tsx');
      await s.client.waitForDiagnostics(app, (d) => d.find((x) => x.code === 'missing-flag')?.severity === 1);
      section = { severity: { 'missing-flag': 'hint' }, host: 'http://127.0.0.1:9' };
      await s.client.notify('workspace/didChangeConfiguration', { settings: null });
      await s.client.waitForDiagnostics(app, (d) => d.find((x) => x.code === 'missing-flag')?.severity === 4);
      await s.client.waitForNotification('window/logMessage', (p) => /127\.0\.0\.1:9/.test(p.message) && /confirm/.test(p.message));
      await s.client.executeRefresh();
      assert.equal(s.client.statuses().pop().state, 'ok', 'flags still come from the keyed host');
    } finally {
      await s.dispose();
    }
  });
});

describe('language server: PostHog faults', () => {
  it('keeps answering from the last good flags while PostHog is down, and recovers by itself', async () => {
    const s = await startSession({ files: STANDARD_FILES, initializationOptions: { refreshInterval: 0.5 } });
    try {
      const app = join(s.dir, 'src/app.tsx');
      s.fake.setFault({ kind: 'drop' });
      await s.client.waitForNotification('posthog/status', (p) => p.state === 'offline', 20000);
      const offline = s.client.statuses().find((p) => p.state === 'offline');
      assert.ok(offline.message);
      assert.equal(offline.flagCount, 6);
      const p = positionOf(APP_TSX, "'new-checkout'", 2);
      assert.match(hoverText(await s.client.hover(app, p.line, p.character)), /Active/);
      const since = s.client.notifications.length;
      s.fake.setFault();
      await s.client.waitForNotification('posthog/status', (p) => p.state === 'ok', 20000, since);
    } finally {
      await s.dispose();
    }
  });

  it('reports unauthenticated with PostHog\'s detail, then works after a restart with a fixed key', async () => {
    const fake = await startFakePostHog({ projects: [{ id: 1, flags: standardFlags() as never }] });
    const dir = makeWorkspace(STANDARD_FILES);
    const bad = LspTestClient.start();
    try {
      await bad.initialize({ folders: [dir], initializationOptions: { host: fake.url, projectId: 1, personalApiKey: 'phx_wrong_key_0000000000' } });
      const st = await bad.waitForNotification('posthog/status');
      assert.equal(st.state, 'unauthenticated');
      assert.match(st.message, /Personal API key found in request Authorization header is invalid/);
      await bad.stop();
      assertNoKey(bad, 'phx_wrong_key_0000000000');
      const good = LspTestClient.start();
      await good.initialize({ folders: [dir], initializationOptions: { host: fake.url, projectId: 1, personalApiKey: FAKE_KEY } });
      assert.equal((await good.waitForNotification('posthog/status')).state, 'ok');
      await good.stop();
      assertNoKey(good);
    } finally {
      await fake.close();
    }
  });

  it('serves 10,000 flags: paged in 50 requests, hover and completion from memory', async () => {
    const flags = generateFlags(10000, { prefix: 'gen' });
    const s = await startSession({ files: { 'a.ts': one('gen-1234') + "posthog.isFeatureEnabled('');\n" }, flags });
    try {
      assert.equal(s.client.statuses()[0].flagCount, 10000);
      assert.equal(s.fake.requests(/feature_flags\/$/, 'GET').length, 50);
      const file = join(s.dir, 'a.ts');
      await s.client.open(file, one('gen-1234') + "posthog.isFeatureEnabled('');\n");
      assert.match(hoverText(await s.client.hover(file, 1, 46)), /gen-1234/);
      const r = await s.client.request('textDocument/completion', { textDocument: { uri: uriOf(file) }, position: { line: 2, character: 26 } });
      assert.equal(r.isIncomplete, true);
      assert.ok(r.items.length > 0 && r.items.length <= 300);
      const narrowed = await s.client.request('textDocument/completion', { textDocument: { uri: uriOf(file) }, position: { line: 2, character: 26 } });
      assert.ok(narrowed.items.length > 0);
    } finally {
      await s.dispose();
    }
  });
});
