/**
 * Issue 8, API faults while the editor is in use (real dist/server.js over
 * stdio, the fake PostHog on 127.0.0.1). For each fault: the server stays
 * up, hover and completion answer from the last good flags, `posthog/status`
 * says why within 20 s, the server recovers by itself once the fault
 * clears, and the fake's log shows no more requests than the backoff allows
 * (≤ 20 in any 10 s; none before a Retry-After has passed).
 */
import assert from 'node:assert/strict';
import type { Fault, FakePostHog } from '../fake-posthog';
import { startFakePostHog } from '../fake-posthog';
import { FAKE_KEY, assertNoKey, standardFlags, startSession, type Session } from './helpers';
import { EDITOR_FILES, assertEditorAnswers, maxInWindow, startPlainServer } from './reliability-support';

const STATUS_DEADLINE_MS = 20_000;
/** Per-request timeout the server is started with (PHF_HTTP_TIMEOUT_MS), so timeouts show in seconds. */
const TEST_TIMEOUT_MS = 500;

interface FaultCase {
  name: string;
  state: 'unauthenticated' | 'offline' | 'error';
  message: RegExp;
  /** Starts the fault; returns a function that clears it. */
  start(fake: FakePostHog): () => void;
}

const withFault = (fault: Fault) => (fake: FakePostHog) => {
  fake.setFault(fault);
  return () => fake.setFault();
};

const CASES: FaultCase[] = [
  { name: '500 on every request', state: 'error', message: /answered 500/, start: withFault({ kind: 'status', status: 500 }) },
  { name: 'an HTML 502 from a proxy', state: 'error', message: /502.*not JSON/, start: withFault({ kind: 'html', status: 502 }) },
  { name: 'a response slower than the timeout (headers never come in time)', state: 'offline', message: /timed out/, start: withFault({ kind: 'slow', delayMs: 4_000 }) },
  { name: 'a body that stalls beyond the timeout', state: 'offline', message: /timed out|closed/, start: withFault({ kind: 'slow-body', delayMs: 4_000 }) },
  { name: 'a truncated body (connection cut mid-body)', state: 'offline', message: /closed before the response was complete/, start: withFault({ kind: 'truncate' }) },
  { name: 'garbage JSON with 200', state: 'error', message: /not JSON/, start: withFault({ kind: 'garbage' }) },
  {
    name: '401: the key was revoked',
    state: 'unauthenticated',
    message: /rejected the personal API key.*is invalid/,
    start: (fake) => {
      const keys = fake.state.keys;
      fake.state.keys = [];
      return () => (fake.state.keys = keys);
    },
  },
  {
    name: '403: the key lacks feature_flag:read',
    state: 'unauthenticated',
    message: /feature_flag:read/,
    start: (fake) => {
      const keys = fake.state.keys;
      fake.state.keys = [{ key: FAKE_KEY, scopes: ['project:read', 'user:read'] }];
      return () => (fake.state.keys = keys);
    },
  },
  {
    name: 'the project is not found',
    state: 'error',
    message: /Project 1 was not found/,
    start: (fake) => {
      const p = fake.state.projects.get(1)!;
      fake.state.projects.delete(1);
      return () => fake.state.projects.set(1, p);
    },
  },
];

describe('reliability: PostHog faults while the editor is in use', function () {
  this.timeout(60_000);
  let s: Session;
  before(async () => {
    s = await startSession({
      files: EDITOR_FILES,
      initializationOptions: { refreshInterval: 1 },
      start: { env: { PHF_HTTP_TIMEOUT_MS: String(TEST_TIMEOUT_MS) } },
    });
    assert.equal(s.client.statuses()[0].state, 'ok');
  });
  after(async () => s?.dispose());

  for (const c of CASES) {
    it(`${c.name}: keeps answering, says '${c.state}', recovers, within the request budget`, async () => {
      const since = s.client.notifications.length;
      const logStart = s.fake.log.length;
      const started = Date.now();
      const clear = c.start(s.fake);
      let cleared = false;
      try {
        const status = await s.client.waitForNotification('posthog/status', (p) => p.state !== 'ok', STATUS_DEADLINE_MS, since);
        assert.ok(Date.now() - started <= STATUS_DEADLINE_MS);
        assert.equal(status.state, c.state, status.message);
        assert.match(status.message, c.message);
        assert.equal(status.flagCount, 6, 'the status still counts the last good flags');
        await assertEditorAnswers(s);
        // Let it fail at least twice more (the background refresh keeps trying), then clear.
        await s.client.waitFor('more failing requests', () => s.fake.log.length - logStart >= 2, 15_000);
        await assertEditorAnswers(s);
        const recoverSince = s.client.notifications.length;
        clear();
        cleared = true;
        const recovered = Date.now();
        await s.client.waitForNotification('posthog/status', (p) => p.state === 'ok', STATUS_DEADLINE_MS, recoverSince);
        assert.ok(Date.now() - recovered <= STATUS_DEADLINE_MS);
        assert.equal(s.client.exitCode, null, 'the server is still running');
        await assertEditorAnswers(s);
        const times = s.fake.log.slice(logStart).map((e) => e.at);
        assert.ok(maxInWindow(times, 10_000) <= 20, `${maxInWindow(times, 10_000)} requests in 10 s`);
      } finally {
        if (!cleared) clear();
      }
    });
  }

  it('429 with Retry-After: nothing is sent before it has passed, then it recovers', async () => {
    const RETRY_AFTER_S = 2;
    const since = s.client.notifications.length;
    const logStart = s.fake.log.length;
    s.fake.setFault({ kind: 'throttle', retryAfter: RETRY_AFTER_S });
    try {
      const status = await s.client.waitForNotification('posthog/status', (p) => p.state !== 'ok', STATUS_DEADLINE_MS, since);
      assert.equal(status.state, 'error');
      assert.match(status.message, /throttled.*2 s/);
      await assertEditorAnswers(s);
      await s.client.waitFor('a second 429', () => s.fake.log.slice(logStart).filter((e) => e.status === 429).length >= 2, 15_000);
    } finally {
      s.fake.setFault();
    }
    await s.client.waitForNotification('posthog/status', (p) => p.state === 'ok', STATUS_DEADLINE_MS, since);
    const entries = s.fake.log.slice(logStart);
    for (const [i, e] of entries.entries()) {
      if (e.status !== 429) continue;
      const next = entries[i + 1];
      if (next) assert.ok(next.at - e.at >= RETRY_AFTER_S * 1000 - 20, `a request ${next.at - e.at} ms after a 429 with Retry-After: ${RETRY_AFTER_S}`);
    }
    assert.ok(maxInWindow(entries.map((e) => e.at), 10_000) <= 20);
  });

  it('posthog.refresh spammed while PostHog answers 500: still at most 20 requests in any 10 s', async () => {
    const logStart = s.fake.log.length;
    s.fake.setFault({ kind: 'status', status: 500 });
    try {
      const started = Date.now();
      const pending: Promise<unknown>[] = [];
      // Any window shorter than 10 s that holds more than 20 would already break the rule.
      while (Date.now() - started < 4_000) {
        pending.push(s.client.executeRefresh().catch(() => undefined));
        await new Promise((r) => setTimeout(r, 100));
      }
      const times = s.fake.log.slice(logStart).map((e) => e.at);
      assert.ok(times.length >= 5, `the refreshes were sent (${times.length})`);
      assert.ok(maxInWindow(times, 10_000) <= 20, `${maxInWindow(times, 10_000)} requests in 10 s`);
      await assertEditorAnswers(s);
      s.fake.setFault();
      await Promise.all(pending);
    } finally {
      s.fake.setFault();
    }
    const r = await s.client.executeRefresh();
    assert.equal(r.ok, true);
  });
});

describe('reliability: a host that is down or is not PostHog', function () {
  this.timeout(60_000);

  it('connection refused while in use: offline, then back when PostHog is up again on the same port', async () => {
    const fake = await startFakePostHog({ projects: [{ id: 1, flags: standardFlags() as never }] });
    const s = await startSession({ files: EDITOR_FILES, existingFake: fake, initializationOptions: { refreshInterval: 1 }, start: { env: { PHF_HTTP_TIMEOUT_MS: String(TEST_TIMEOUT_MS) } } });
    let revived: FakePostHog | undefined;
    try {
      const since = s.client.notifications.length;
      await fake.close();
      const status = await s.client.waitForNotification('posthog/status', (p) => p.state !== 'ok', STATUS_DEADLINE_MS, since);
      assert.equal(status.state, 'offline');
      assert.match(status.message, /connection refused/);
      await assertEditorAnswers(s);
      revived = await startFakePostHog({ port: fake.port, projects: [{ id: 1, flags: standardFlags() as never }] });
      await s.client.waitForNotification('posthog/status', (p) => p.state === 'ok', STATUS_DEADLINE_MS, since);
    } finally {
      await s.dispose();
      await revived?.close();
    }
  });

  it('a plain web server answering HTML 200 to everything: error, bounded requests, no crash', async () => {
    const plain = await startPlainServer();
    const s = await startSession({ files: EDITOR_FILES, initializationOptions: { host: plain.url, refreshInterval: 1 }, waitForStatus: false });
    try {
      const status = await s.client.waitForNotification('posthog/status', () => true, STATUS_DEADLINE_MS);
      assert.equal(status.state, 'error');
      assert.match(status.message, /not JSON/);
      assert.ok(!status.message.includes(FAKE_KEY));
      await s.client.waitFor('it keeps retrying', () => plain.log.length >= 4, 15_000);
      assert.ok(maxInWindow(plain.log.map((e) => e.at), 10_000) <= 20, `${plain.log.length} requests`);
      const hover = await s.client.hover(`${s.dir}/src/editor.ts`, 1, 46);
      assert.ok(hover === null || typeof hover === 'object', 'hover answers (no flags yet)');
      assert.equal(s.client.exitCode, null);
    } finally {
      await s.dispose();
      await plain.close();
    }
    assertNoKey(s.client);
  });
});
