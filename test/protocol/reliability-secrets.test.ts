/**
 * Issue 8, secrets in the language server: the key appears in nothing the
 * server writes (every LSP message on stdout — logs, status, hovers,
 * diagnostics, errors — and stderr), even when PostHog echoes it back, when
 * it sits in the code, or when an unexpected exception carries it; and a
 * workspace's `posthog.host` cannot redirect the key to another host.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakePostHog } from '../fake-posthog';
import { LspTestClient, uriOf } from '../support/lsp-client';
import { FAKE_KEY, assertNoKey, hoverText, makeWorkspace, positionOf, rawFlag, standardFlags, startSession, waitForIndexing } from './helpers';
import { EDITOR_FILES, EDITOR_TS, assertEditorAnswers, keyInAnyForm } from './reliability-support';

describe('reliability: the language server never writes the key', function () {
  this.timeout(30_000);

  it('PostHog echoing the Authorization header in a 401: the status says why, without the key', async () => {
    const seen: string[] = [];
    const echo = createServer((req, res) => {
      const auth = String(req.headers.authorization ?? '');
      seen.push(auth);
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'authentication_error', code: 'authentication_failed', detail: `Personal API key "${auth}" is invalid.`, attr: null }));
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    const s = await startSession({ files: EDITOR_FILES, initializationOptions: { host: url }, waitForStatus: false });
    try {
      const status = await s.client.waitForNotification('posthog/status');
      assert.equal(status.state, 'unauthenticated');
      assert.match(status.message, /Personal API key "Bearer \[redacted\]" is invalid/, 'the echoed key was redacted, the rest kept');
      assert.ok(seen.includes(`Bearer ${FAKE_KEY}`), 'the key did go to the keyed host');
      const who = await s.client.request('posthog/whoami', {});
      assert.equal(who.ok, false);
      assert.ok(!JSON.stringify(who).includes(FAKE_KEY));
    } finally {
      await s.dispose(); // asserts stdout and stderr are free of the key
      echo.close();
    }
  });

  it('the key in PostHog data and pasted into code: hovers, diagnostics, completion, symbols and report are redacted', async () => {
    const code = `import posthog from 'posthog-js';\nexport const a = posthog.isFeatureEnabled('new-checkout');\nexport const b = posthog.isFeatureEnabled('${FAKE_KEY}');\nexport const c = posthog.isFeatureEnabled('');\n`;
    const flags = [rawFlag(1, 'new-checkout', { name: `Created with ${FAKE_KEY}`, tags: [FAKE_KEY] }), ...standardFlags().slice(1)];
    const s = await startSession({ files: { 'src/a.ts': code }, flags });
    try {
      const file = join(s.dir, 'src/a.ts');
      await s.client.open(file, code);
      const p = positionOf(code, "'new-checkout'", 2);
      const hover = hoverText(await s.client.hover(file, p.line, p.character));
      assert.match(hover, /Created with \[redacted\]/);
      const q = positionOf(code, `'${FAKE_KEY}'`, 2);
      assert.ok(hoverText(await s.client.hover(file, q.line, q.character)).length > 0, 'the pasted key is hovered (as a missing flag)');
      await s.client.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'missing-flag'));
      const c = positionOf(code, "isFeatureEnabled('')", "isFeatureEnabled('".length);
      const completion = await s.client.request('textDocument/completion', { textDocument: { uri: uriOf(file) }, position: c });
      assert.ok((completion.items ?? completion).length > 0);
      await s.client.request('textDocument/documentSymbol', { textDocument: { uri: uriOf(file) } });
      await s.client.request('workspace/symbol', { query: '' });
      const report = await s.client.request('posthog/report', {});
      assert.ok(report.flags.length >= 6);
      await assert.rejects(s.client.request('workspace/executeCommand', { command: 'posthog.flagUsages', arguments: [{ key: 7 }] }));
      await s.client.request(FAKE_KEY, {}).catch((e: Error) => assert.ok(!e.message.includes(FAKE_KEY)));
      assertNoKey(s.client);
      assert.doesNotMatch(s.client.stdout, keyInAnyForm(FAKE_KEY), 'not even Markdown-escaped');
      assert.doesNotMatch(s.client.stderr, keyInAnyForm(FAKE_KEY));
    } finally {
      await s.dispose();
    }
  });

  it('an unexpected exception and an unhandled rejection carrying the key: logged without it, the server keeps running', async () => {
    const dir = makeWorkspace(EDITOR_FILES);
    const preload = join(dir, 'boom.cjs');
    writeFileSync(
      preload,
      `setTimeout(() => { throw new Error('boom with ' + process.env.PHF_TEST_SECRET); }, 400).unref();
       setTimeout(() => { Promise.reject(new Error('rejected with ' + process.env.PHF_TEST_SECRET)); }, 500).unref();`,
    );
    const s = await startSession({ folders: [dir], start: { env: { NODE_OPTIONS: `--require ${preload}`, PHF_TEST_SECRET: FAKE_KEY } } });
    try {
      const crash = await s.client.waitForNotification('window/logMessage', (p) => /unexpected error.*boom with/.test(p.message));
      assert.match(crash.message, /boom with \[redacted\]/);
      const rejection = await s.client.waitForNotification('window/logMessage', (p) => /unexpected rejection.*rejected with/.test(p.message));
      assert.match(rejection.message, /\[redacted\]/);
      assert.equal(s.client.exitCode, null);
      await assertEditorAnswers(s);
    } finally {
      await s.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reliability: a workspace cannot redirect the key', function () {
  this.timeout(30_000);

  it('posthog.host from workspace configuration (host and key from initializationOptions): the other host gets no Authorization', async () => {
    const other = await startFakePostHog({ projects: [{ id: 1, flags: standardFlags() as never }] });
    const s = await startSession({ files: EDITOR_FILES, start: { configuration: () => ({ host: other.url }) } });
    try {
      const note = await s.client.waitForNotification('window/logMessage', (p) => p.message.includes(other.url.replace('http://', '')));
      assert.match(note.message, /ignored|only sent/);
      assert.ok(!note.message.includes(FAKE_KEY));
      await s.client.executeRefresh();
      await s.client.request('posthog/whoami', {});
      await s.client.notify('workspace/didChangeConfiguration', { settings: null });
      await s.client.executeRefresh();
      assert.equal(s.client.statuses().pop().state, 'ok');
      assert.ok(s.fake.requests().length > 0 && s.fake.requests().every((e) => e.authorization === `Bearer ${FAKE_KEY}`), 'the keyed host got the key');
      assert.deepEqual(other.log.filter((e) => e.authorization !== undefined), [], 'the workspace host got no Authorization header');
    } finally {
      await s.dispose();
      await other.close();
    }
  });

  it('key and host from the environment: a workspace host is not used with the key until confirmed', async () => {
    const trusted = await startFakePostHog({ projects: [{ id: 1, flags: standardFlags() as never }] });
    const other = await startFakePostHog({ projects: [{ id: 1, flags: standardFlags() as never }] });
    const dir = makeWorkspace(EDITOR_FILES);
    const client = LspTestClient.start({
      env: { POSTHOG_PERSONAL_API_KEY: FAKE_KEY, POSTHOG_HOST: trusted.url, POSTHOG_PROJECT_ID: '1' },
      configuration: () => ({ host: other.url, projectId: 1 }),
    });
    try {
      await client.initialize({ folders: [dir], initializationOptions: {} });
      assert.equal((await client.waitForNotification('posthog/status')).state, 'ok');
      await waitForIndexing(client);
      const note = await client.waitForNotification('window/logMessage', (p) => p.message.includes(other.url.replace('http://', '')));
      assert.match(note.message, /confirm/);
      await client.executeRefresh();
      assert.ok(trusted.log.length > 0 && trusted.log.every((e) => e.authorization === `Bearer ${FAKE_KEY}`));
      assert.deepEqual(other.log.filter((e) => e.authorization !== undefined), []);
    } finally {
      await client.stop();
      assertNoKey(client);
      await trusted.close();
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

void EDITOR_TS;
