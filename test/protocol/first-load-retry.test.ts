/**
 * Issue 14: a first flag fetch that fails (a loaded machine, PostHog briefly
 * down) is retried with backoff, within the contract's fault budget (≤ 20
 * requests in any 10 s), instead of waiting for the next refresh interval
 * (60 s by default): the hover must not say "unreachable" for a minute.
 */
import assert from 'node:assert/strict';
import { startFakePostHog, type FakePostHog } from '../fake-posthog';
import { standardFlags, startSession, type Session } from './helpers';
import { EDITOR_FILES, maxInWindow } from './reliability-support';

describe('reliability: a failed first flag load is retried', function () {
  this.timeout(60_000);
  let fake: FakePostHog;
  let s: Session | undefined;
  before(async () => {
    fake = await startFakePostHog({ projects: [{ id: 1, flags: standardFlags() as never, cohorts: [{ id: 42, name: 'Beta testers' } as never] }] });
  });
  after(async () => {
    await s?.dispose();
    await fake.close();
  });

  it('the first load fails (500), PostHog recovers: ok within seconds at the default refresh interval, within the budget', async () => {
    fake.setFault({ kind: 'status', status: 500 });
    s = await startSession({ files: EDITOR_FILES, existingFake: fake, start: { env: { PHF_HTTP_TIMEOUT_MS: '500' } } });
    const first = s.client.statuses()[0];
    assert.equal(first.state, 'error', first.message);
    // PostHog stays down for 30 s: a doubling backoff (2, 4, 8, 16 s…) leaves ever longer gaps.
    await new Promise((r) => setTimeout(r, 30_000));
    const failing = fake.log.map((e) => e.at);
    const gaps = failing.slice(1).map((t, i) => t - failing[i]);
    assert.ok(Math.max(...gaps) <= 6_500, `longest wait between attempts while the first load fails: ${Math.max(...gaps)} ms`);
    const logStart = fake.log.length;
    fake.setFault();
    const cleared = Date.now();
    await s.client.waitForNotification('posthog/status', (p) => p.state === 'ok', 8_000);
    assert.ok(Date.now() - cleared < 8_000, `recovered after ${Date.now() - cleared} ms`);
    const times = fake.log.map((e) => e.at);
    assert.ok(maxInWindow(times, 10_000) <= 20, `${maxInWindow(times, 10_000)} requests in 10 s`);
    assert.ok(fake.log.length > logStart);
  });
});
