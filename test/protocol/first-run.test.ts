/**
 * First run (interfaces.md "At a glance"): with no flag source at all — no
 * key, no snapshot — nothing is called missing, the status says how to get
 * a flag source, and hovers say the same. With a snapshot only, no write
 * action is offered.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uriOf } from '../support/lsp-client';
import { hoverText, positionOf, rawFlag, standardFlags, startSession, type Session } from './helpers';

const CODE = `import posthog from 'posthog-js';
export const a = posthog.isFeatureEnabled('new-checkout');
export const b = posthog.isFeatureEnabled('beta-banner');
export const c = posthog.isFeatureEnabled('no-such-flag');
export const d = posthog.isFeatureEnabled('retired-flag');
`;
const FILES = { 'src/a.ts': CODE, 'package.json': '{"name":"app","dependencies":{"posthog-js":"1.0.0"}}' };
const FLAG_CODES = ['missing-flag', 'deleted-flag', 'inactive-flag'];

describe('first run: no key, no snapshot', function () {
  this.timeout(30_000);
  let s: Session;
  let file: string;
  let snapshotDir: string;
  let workspaceSettings: Record<string, unknown> = {};
  before(async () => {
    snapshotDir = mkdtempSync(join(tmpdir(), 'phf-snapshot-'));
    s = await startSession({
      files: FILES,
      // No personalApiKey (the test client passes no POSTHOG_* variable either), no flagsFile; diagnostics at once.
      initializationOptions: { personalApiKey: undefined, clientCommands: true, diagnostics: { debounceMs: 0 } },
      start: { configuration: () => workspaceSettings },
    });
    file = join(s.dir, 'src/a.ts');
    await s.client.open(file, CODE);
  });
  after(async () => {
    await s?.dispose();
    rmSync(snapshotDir, { recursive: true, force: true });
  });

  it('posthog/status is unauthenticated with how to sign in or point at a snapshot', () => {
    const status = s.client.statuses()[0];
    assert.equal(status.state, 'unauthenticated');
    assert.match(status.message, /sign in/i);
    assert.match(status.message, /flagsFile|snapshot/);
    assert.match(status.message, /POSTHOG_PERSONAL_API_KEY/);
    assert.doesNotMatch(status.message, /reject/i);
    assert.equal(s.fake.log.length, 0, 'nothing was sent to PostHog');
  });

  it('hovers say the same, never that PostHog rejected a key', async () => {
    const at = positionOf(CODE, 'no-such-flag');
    const text = hoverText(await s.client.hover(file, at.line, at.character));
    assert.match(text, /no-such-flag/);
    assert.match(text, /sign in/i);
    assert.match(text, /snapshot/);
    assert.doesNotMatch(text, /reject|Not in PostHog|no flag\*\* with this key/i);
    assert.doesNotMatch(text, /command:posthogFlags\.(createFlag|toggleFlag)/, 'no write links');
  });

  it('no missing-flag, deleted-flag or inactive-flag diagnostics, no rows missing in PostHog, no inlay hints that guess', async () => {
    // Diagnostics are published with no debounce here: had any been computed, they would have arrived with the
    // hover above. The bounded wait below is expected to time out (a negative check); the snapshot test after it is the positive control.
    await assert.rejects(s.client.waitForDiagnostics(file, (d) => d.some((x) => FLAG_CODES.includes(x.code)), 1000), /timed out/);
    const report = await s.client.request('posthog/report', {});
    assert.deepEqual(report.flags.filter((f: any) => f.state === 'missing' || f.inPostHog === false), []);
    assert.match(report.flagsUnknown, /sign in/i);
    const hints = await s.client.request<any[]>('textDocument/inlayHint', { textDocument: { uri: uriOf(file) }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } } });
    assert.deepEqual(hints, []);
    const actions = await s.client.request<any[]>('textDocument/codeAction', { textDocument: { uri: uriOf(file) }, range: { start: positionOf(CODE, 'no-such-flag'), end: positionOf(CODE, 'no-such-flag') }, context: { diagnostics: [] } });
    assert.deepEqual(actions.filter((a) => /Create|Enable|Disable/.test(a.title)), [], 'no write actions');
  });

  it('pointing posthog.flagsFile at a snapshot then gives diagnostics (the control), still no write action', async () => {
    const path = join(snapshotDir, 'flags.json');
    writeFileSync(path, JSON.stringify([...standardFlags(), rawFlag(7, 'retired-flag', { deleted: true })]));
    workspaceSettings = { flagsFile: path };
    await s.client.notify('workspace/didChangeConfiguration', { settings: null });
    const d = await s.client.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'missing-flag') && d.some((x) => x.code === 'inactive-flag'));
    assert.ok(d.some((x) => x.code === 'missing-flag' && /no-such-flag/.test(x.message)));
    await s.client.waitForNotification('posthog/status', (p) => p.state === 'ok');

    // Snapshot only: hover links and code actions offer no write.
    const off = positionOf(CODE, 'beta-banner');
    const hover = hoverText(await s.client.hover(file, off.line, off.character));
    assert.match(hover, /Disabled/);
    assert.match(hover, /\[Show usages\]\(command:posthogFlags\.showFlagUsages/, 'read-only links stay');
    assert.doesNotMatch(hover, /command:posthogFlags\.toggleFlag|\[Enable\]/);
    const missing = positionOf(CODE, 'no-such-flag');
    assert.doesNotMatch(hoverText(await s.client.hover(file, missing.line, missing.character)), /command:posthogFlags\.createFlag/);
    const all = await s.client.request<any[]>('textDocument/codeAction', { textDocument: { uri: uriOf(file) }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } }, context: { diagnostics: d } });
    const titles = all.map((a) => a.title);
    assert.ok(titles.includes("Open 'new-checkout' in PostHog"), `read-only actions stay: ${titles.join(' | ')}`);
    assert.deepEqual(titles.filter((t) => /^(Create|Enable|Disable) feature flag/.test(t)), [], `no write action: ${titles.join(' | ')}`);
    assert.ok(all.every((a) => !/posthog(Flags)?\.(createFlag|toggleFlag|changeRollout)/.test(JSON.stringify(a.command ?? ''))));
  });
});

describe('with a key, write actions are offered (the same checks, other answer)', function () {
  this.timeout(30_000);
  it('offers Create on a missing flag and Enable on a disabled one, and the hover links', async () => {
    const s = await startSession({ files: FILES, initializationOptions: { clientCommands: true } });
    try {
      const file = join(s.dir, 'src/a.ts');
      await s.client.open(file, CODE);
      const all = await s.client.request<any[]>('textDocument/codeAction', { textDocument: { uri: uriOf(file) }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } }, context: { diagnostics: [] } });
      const titles = all.map((a) => a.title);
      assert.ok(titles.includes("Create feature flag 'no-such-flag' in PostHog"), titles.join(' | '));
      assert.ok(titles.includes("Enable feature flag 'beta-banner' in PostHog"), titles.join(' | '));
      const off = positionOf(CODE, 'beta-banner');
      assert.match(hoverText(await s.client.hover(file, off.line, off.character)), /\[Enable\]\(command:posthogFlags\.toggleFlag/);
    } finally {
      await s.dispose();
    }
  });
});
