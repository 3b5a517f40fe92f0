import assert from 'node:assert/strict';
import { join } from 'node:path';
import { defaultClientCapabilities, uriOf } from '../support/lsp-client';
import { hoverText, positionOf, rawFlag, standardFlags, startSession, type Session } from './helpers';

/** One usage per state the hints can show. */
const GLANCE_TS = `import posthog from 'posthog-js';

export const on30 = posthog.isFeatureEnabled('new-checkout');
export const on100 = posthog.isFeatureEnabled("everyone-gets-it");
export const mv = posthog.getFeatureFlag('pricing-test');
export const off = posthog.isFeatureEnabled('beta-banner');
export const missing = posthog.isFeatureEnabled('no-such-flag');
export const stale = posthog.isFeatureEnabled('old-flag');
export const cohort = posthog.isFeatureEnabled('cohort-flag');
export const retired = posthog.isFeatureEnabled('retired-flag');
`;

function capabilitiesWithRefresh() {
  const caps = defaultClientCapabilities();
  caps.workspace.inlayHint = { refreshSupport: true };
  caps.textDocument.inlayHint = { dynamicRegistration: false };
  return caps;
}

const WHOLE_FILE = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };

describe('language server: inlay hints', () => {
  let s: Session;
  let file: string;
  let inlayHintsEnabled = true;
  const hints = (range = WHOLE_FILE) => s.client.request<any[]>('textDocument/inlayHint', { textDocument: { uri: uriOf(file) }, range });
  const labelAfter = (list: any[], key: string) => {
    const keyAt = positionOf(GLANCE_TS, key);
    const hit = list.filter((h) => h.position.line === keyAt.line);
    assert.equal(hit.length, 1, `one hint on the line of '${key}'`);
    return hit[0];
  };

  before(async () => {
    s = await startSession({
      files: { 'src/glance.ts': GLANCE_TS, 'package.json': '{"name":"app","dependencies":{"posthog-js":"1.0.0"}}' },
      flags: [...standardFlags(), rawFlag(7, 'retired-flag')],
      capabilities: capabilitiesWithRefresh(),
      initializationOptions: { refreshInterval: 0.5 },
      start: { configuration: () => ({ inlayHints: inlayHintsEnabled }) },
    });
    file = join(s.dir, 'src/glance.ts');
    await s.client.open(file, GLANCE_TS);
  });
  after(async () => s?.dispose());

  it('labels each state after the key argument (closing quote included), tooltip = the hover first lines', async () => {
    const list = await hints();
    assert.equal(list.length, 8, 'one hint per usage');
    const expected: Record<string, string> = {
      "'new-checkout'": '● 30%',
      '"everyone-gets-it"': '● 100%',
      "'pricing-test'": '● variants',
      "'beta-banner'": '○ off',
      "'no-such-flag'": '✕ missing',
      "'old-flag'": '◐ stale',
      "'cohort-flag'": '● targeted',
      "'retired-flag'": '● 30%',
    };
    for (const [literal, label] of Object.entries(expected)) {
      const hint = labelAfter(list, literal);
      assert.equal(hint.label, label, literal);
      const at = positionOf(GLANCE_TS, literal, literal.length);
      assert.deepEqual(hint.position, at, `${literal}: right after the closing quote`);
      assert.equal(hint.paddingLeft, true);
    }
    const tip = labelAfter(list, "'new-checkout'").tooltip;
    assert.equal(tip.kind, 'markdown');
    const hover = hoverText(await s.client.hover(file, positionOf(GLANCE_TS, 'new-checkout').line, positionOf(GLANCE_TS, 'new-checkout').character));
    const firstLine = hover.split('\n')[0];
    assert.equal(tip.value.split('\n')[0], firstLine, 'the tooltip starts like the hover');
    assert.match(tip.value, /\*\*Rollout\*\*\n- 30% of all users/);
    assert.doesNotMatch(tip.value, /command:|\]\(http/, 'no links in a tooltip');
    assert.match(labelAfter(list, "'no-such-flag'").tooltip.value, /no flag.*with this key/i);
  });

  it('answers only for usages in the requested range', async () => {
    const off = positionOf(GLANCE_TS, "'beta-banner'");
    const stale = positionOf(GLANCE_TS, "'old-flag'");
    const list = await hints({ start: { line: off.line, character: 0 }, end: { line: stale.line, character: 0 } });
    assert.deepEqual(list.map((h) => h.label), ['○ off', '✕ missing'], 'the stale line starts at the range end: its hint lies after it');
    const one = await hints({ start: { line: off.line, character: 0 }, end: { line: off.line, character: 10 } });
    assert.deepEqual(one, [], 'a range that ends before the key argument holds no hint');
  });

  it('asks the client to refresh hints when a flag changes in PostHog, and the new label follows', async () => {
    const flag = s.fake.project(1).flags.find((f) => f.key === 'new-checkout')!;
    const changedAt = Date.now();
    flag.active = false;
    flag.version = 2;
    // The background refresh (every 0.5 s) reads the change; a refresh request must follow that read.
    await s.client.waitFor('workspace/inlayHint/refresh after the next flag list', () => {
      const read = s.fake.log.find((e) => e.at >= changedAt && e.method === 'GET' && /\/feature_flags\/$/.test(e.path) && e.status === 200);
      return read !== undefined && s.client.serverRequests.some((r) => r.method === 'workspace/inlayHint/refresh' && r.at > read.at);
    });
    assert.equal(labelAfter(await hints(), "'new-checkout'").label, '○ off');
  });

  it('shows ✕ deleted once PostHog says the flag was deleted', async () => {
    s.fake.project(1).flags.find((f) => f.key === 'retired-flag')!.deleted = true;
    await s.client.executeRefresh();
    assert.equal(labelAfter(await hints(), "'retired-flag'").label, '✕ deleted');
  });

  it('posthog.inlayHints false turns them off (and true back on), with a refresh request', async () => {
    const before = s.client.serverRequests.filter((r) => r.method === 'workspace/inlayHint/refresh').length;
    inlayHintsEnabled = false;
    await s.client.notify('workspace/didChangeConfiguration', { settings: null });
    await s.client.waitFor('refresh after the setting changed', () => s.client.serverRequests.filter((r) => r.method === 'workspace/inlayHint/refresh').length > before);
    assert.deepEqual(await hints(), []);
    inlayHintsEnabled = true;
    await s.client.notify('workspace/didChangeConfiguration', { settings: null });
    assert.equal((await hints()).length, 8);
  });
});

describe('language server: inlay hints off by initializationOptions, no refresh without client support', () => {
  it('answers [] with inlayHints: false and never sends workspace/inlayHint/refresh to a client without refreshSupport', async () => {
    const s = await startSession({ files: { 'src/glance.ts': GLANCE_TS }, initializationOptions: { inlayHints: false } });
    try {
      const file = join(s.dir, 'src/glance.ts');
      await s.client.open(file, GLANCE_TS);
      const list = await s.client.request<any[]>('textDocument/inlayHint', { textDocument: { uri: uriOf(file) }, range: WHOLE_FILE });
      assert.deepEqual(list, []);
      s.fake.project(1).flags.find((f) => f.key === 'new-checkout')!.active = false;
      await s.client.executeRefresh();
      await s.client.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'inactive-flag' && x.message.includes('new-checkout')));
      assert.equal(s.client.serverRequests.filter((r) => r.method === 'workspace/inlayHint/refresh').length, 0);
    } finally {
      await s.dispose();
    }
  });
});
