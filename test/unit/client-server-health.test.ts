// The client when the language server is down: restart, or stop and say so
// once with the last error line; the status bar never shows a flag count then.
import assert from 'node:assert/strict';
import { CRASH_LIMIT, CRASH_WINDOW_MS, CrashTracker, lastErrorLine, StderrTail } from '../../client/src/server-health';
import { statusPresentation } from '../../client/src/status-text';

/** What Node 24 printed when the Swift grammar killed the server (issue 13), trimmed. */
const NODE24_ZONE_OOM = [
  '[Info] indexed 21 files',
  '',
  '',
  '#',
  '# Fatal process out of memory: Zone',
  '#',
  '----- Native stack trace -----',
  '',
  ' 1: 0x9f17a1  [/usr/lib/node]',
  ' 2: 0x27e8885 v8::base::FatalOOM(v8::base::OOMType, char const*) [/usr/lib/node]',
  '18: 0x7fe36f4478ec  [/lib/x86_64-linux-gnu/libc.so.6]',
];

describe('client: server crashes', () => {
  it('restarts until the limit, then stops and notifies once', () => {
    const t = new CrashTracker();
    let now = 1_000_000;
    for (let i = 1; i < CRASH_LIMIT; i++) {
      const d = t.crashed((now += 10_000), 'Fatal process out of memory: Zone');
      assert.equal(d.action, 'restart', `crash ${i}`);
      assert.match(d.message, /restarting.*Last error: Fatal process out of memory: Zone/);
    }
    const stop = t.crashed((now += 10_000), 'Fatal process out of memory: Zone');
    assert.deepEqual(stop, {
      action: 'stop',
      crashes: CRASH_LIMIT,
      notify: true,
      message: `The PostHog language server crashed ${CRASH_LIMIT} times in 3 minutes and was not restarted. Last error: Fatal process out of memory: Zone`,
    });
    const again = t.crashed((now += 10_000), undefined);
    assert.equal(again.action, 'stop');
    assert.equal((again as { notify: boolean }).notify, false, 'a crash loop is reported once');
  });

  it('forgets crashes older than the window, and everything when the user restarts', () => {
    const t = new CrashTracker();
    let now = 0;
    for (let i = 0; i < 20; i++) assert.equal(t.crashed((now += CRASH_WINDOW_MS / 2), undefined).action, 'restart', 'two crashes per window never stop it');
    for (let i = 1; i < CRASH_LIMIT; i++) t.crashed((now += 1000), undefined);
    assert.equal(t.crashed((now += 1000), undefined).action, 'stop');
    t.reset();
    assert.equal(t.crashed((now += 1000), undefined).action, 'restart');
    for (let i = 2; i < CRASH_LIMIT; i++) t.crashed((now += 1000), undefined);
    const d = t.crashed((now += 1000), undefined);
    assert.equal(d.action, 'stop');
    assert.equal((d as { notify: boolean }).notify, true, 'a new loop after a restart is reported again');
  });

  it('finds the line that says why, not a stack frame', () => {
    assert.equal(lastErrorLine(NODE24_ZONE_OOM), 'Fatal process out of memory: Zone');
    const jsCrash = ['/x/dist/server.js:1', '        throw new TypeError("x is not a function");', '        ^', '', 'TypeError: x is not a function', '    at Object.<anonymous> (/x/dist/server.js:1:7)', '    at Module._compile (node:internal/modules/cjs/loader:1554:14)', '', 'Node.js v24.22.3'];
    assert.equal(lastErrorLine(jsCrash), 'TypeError: x is not a function');
    assert.equal(lastErrorLine(['starting', 'killed by the OOM killer']), 'killed by the OOM killer');
    assert.equal(lastErrorLine(['only', 'plain lines']), 'plain lines');
    assert.equal(lastErrorLine(['', ' 1: 0x9f17a1  [/usr/lib/node]']), undefined);
    assert.equal(lastErrorLine([`Error: ${'x'.repeat(400)}`])!.length, 300);
  });

  it('StderrTail keeps the recent lines and starts over after each crash', () => {
    const tail = new StderrTail();
    for (let i = 0; i < 1000; i++) tail.push(`log ${i}`);
    for (const line of NODE24_ZONE_OOM) tail.push(line);
    assert.equal(tail.take(), 'Fatal process out of memory: Zone');
    assert.equal(tail.take(), undefined, 'the next crash does not reuse this one');
  });
});

describe('client: status bar when the server is down', () => {
  it('says the server stopped, with Restart and Show Log, and no flag count', () => {
    const view = statusPresentation({ state: 'stopped', message: 'The PostHog language server crashed 5 times in 3 minutes and was not restarted. Last error: Fatal process out of memory: Zone', flagCount: 12 }, 'Demo shop');
    assert.equal(view.text, '$(circle-slash) PostHog: server stopped');
    assert.doesNotMatch(view.text + view.tooltip, /12 flags|Demo shop/);
    assert.match(view.tooltip, /not running.*\n\nThe PostHog language server crashed 5 times.*Last error: Fatal process out of memory: Zone/s);
    assert.equal(view.action, 'restart');
    assert.equal(view.severity, 'error');
    assert.deepEqual(view.links, [
      { title: 'Restart', action: 'restart' },
      { title: 'Show Log', action: 'showOutput' },
    ]);
  });

  it('shows no flag count while the server restarts after a crash, and says why', () => {
    const view = statusPresentation({ state: 'starting', message: 'The PostHog language server stopped unexpectedly and is restarting.', flagCount: 12 }, 'Demo shop');
    assert.equal(view.text, '$(sync~spin) PostHog');
    assert.match(view.tooltip, /restarting/);
    assert.equal(view.severity, 'warning');
  });
});
