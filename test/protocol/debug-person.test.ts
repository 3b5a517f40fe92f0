// "Debug as a person" (interfaces.md "Debugging"): `posthog.evaluateFor`
// sets the person; hovers say what they get and why, `posthog/status`
// carries `debugging`, values follow a refresh, `[{}]` clears. Against the
// fake PostHog's local evaluation and persons endpoints, and offline from a
// snapshot file.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { flagHash } from '../../server/src/core/eval';
import { defaultClientCapabilities, uriOf } from '../support/lsp-client';
import { hoverText, makeWorkspace, positionOf, rawFlag, startSession, type Session } from './helpers';
import { writeFlagsFile } from '../support/flags-cli';
import { startFakePostHog } from '../fake-posthog';

const APP = [
  "import posthog from 'posthog-js';",
  "export const a = posthog.isFeatureEnabled('new-checkout');",
  "export const b = posthog.getFeatureFlag('pricing-test');",
  "export const c = posthog.isFeatureEnabled('beta-banner');",
  "export const d = posthog.isFeatureEnabled('continuity');",
  "export const e = posthog.isFeatureEnabled('nowhere');",
  '',
].join('\n');

/** A distinct id inside the 30% rollout of `new-checkout`. */
function insideRollout(): string {
  for (let i = 0; ; i++) if (flagHash('new-checkout', `user-${i}`) <= 0.3) return `user-${i}`;
}

function flags() {
  return [
    rawFlag(1, 'new-checkout', {
      filters: { groups: [{ properties: [{ key: 'email', type: 'person', value: '@acme.com', operator: 'icontains' }], rollout_percentage: 30, variant: null }], payloads: {}, multivariate: null },
    }),
    rawFlag(2, 'pricing-test', {
      filters: {
        groups: [{ properties: [{ key: 'plan', type: 'person', value: ['pro'], operator: 'exact' }], rollout_percentage: 100, variant: 'test' }],
        payloads: {},
        multivariate: { variants: [{ key: 'control', rollout_percentage: 50 }, { key: 'test', rollout_percentage: 50 }] },
      },
    }),
    rawFlag(3, 'beta-banner', { active: false }),
    rawFlag(4, 'continuity', { ensure_experience_continuity: true, filters: { groups: [{ properties: [], rollout_percentage: 100, variant: null }], payloads: {}, multivariate: null } }),
  ];
}

function capabilitiesWithHintRefresh() {
  const caps = defaultClientCapabilities();
  caps.workspace.inlayHint = { refreshSupport: true };
  caps.textDocument.inlayHint = { dynamicRegistration: false };
  return caps;
}

/** The hover's text without Markdown emphasis and escapes. */
function plain(h: unknown): string {
  return hoverText(h).replace(/\*\*/g, '').replace(/\\(.)/g, '$1');
}

describe('language server: debug as a person (posthog.evaluateFor)', function () {
  this.timeout(30000);
  let s: Session;
  let app: string;
  const id = insideRollout();

  before(async () => {
    s = await startSession({
      files: { 'src/app.ts': APP },
      flags: flags(),
      capabilities: capabilitiesWithHintRefresh(),
      fake: { projects: [{ id: 1, flags: flags() as never, persons: [{ id: 7, distinct_ids: [id], properties: { email: 'dev@acme.com', plan: 'pro' } }] }] },
    });
    app = join(s.dir, 'src/app.ts');
    await s.client.open(app, APP);
  });
  after(async () => s?.dispose());

  const evaluateFor = (arg: Record<string, unknown>) => s.client.request('workspace/executeCommand', { command: 'posthog.evaluateFor', arguments: [arg] });
  const hoverOn = async (key: string) => plain(await s.client.hover(app, positionOf(APP, `'${key}'`, 2).line, positionOf(APP, `'${key}'`, 2).character));
  const personRequests = () => s.fake.requests(/\/persons\/?$/).length;
  const hintRefreshes = () => s.client.serverRequests.filter((r) => r.method === 'workspace/inlayHint/refresh').length;
  /** The hints on the line of `key`'s usage, labels only. */
  const hintsOn = async (key: string) => {
    const list = await s.client.request<any[]>('textDocument/inlayHint', { textDocument: { uri: uriOf(app) }, range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } } });
    return list.filter((h) => h.position.line === positionOf(APP, `'${key}'`).line);
  };

  it('without properties: reads the person from PostHog, answers the values of the flags in code, and the status says who', async () => {
    const before = personRequests();
    const since = s.client.notifications.length;
    const refreshes = hintRefreshes();
    const r = await evaluateFor({ distinctId: id });
    assert.equal(personRequests(), before + 1, 'the persons endpoint was asked once');
    assert.ok(s.fake.requests(/feature_flags\/local_evaluation\/?$/).length >= 1);
    assert.equal(r.debugging, id);
    assert.equal(r.personProperties, 'posthog');
    assert.deepEqual(
      r.flags.map((f: { key: string; value: unknown; reason: { code: string } }) => [f.key, f.value, f.reason.code]),
      [
        ['beta-banner', false, 'disabled'],
        ['continuity', null, 'cannot_evaluate_locally'],
        ['new-checkout', true, 'condition_match'],
        ['nowhere', null, 'missing'],
        ['pricing-test', 'test', 'condition_match'],
      ],
    );
    const status = await s.client.waitForNotification('posthog/status', (p) => p.debugging === id, 5000, since);
    assert.equal(status.state, 'ok');
    await s.client.waitFor('workspace/inlayHint/refresh after the person was set', () => hintRefreshes() > refreshes);
  });

  it('inlay hints after each usage show the value; the tooltip says why', async () => {
    const expected: Record<string, string> = { 'new-checkout': '→ true', 'pricing-test': "→ 'test'", 'beta-banner': '→ false', continuity: '→ ?', nowhere: '→ ?' };
    for (const [key, label] of Object.entries(expected)) {
      const on = await hintsOn(key);
      const value = on.filter((h) => String(h.label).startsWith('→'));
      assert.equal(value.length, 1, `one value hint after '${key}'`);
      assert.equal(value[0].label, label, key);
      assert.ok(on.length === 2 && !String(on[0].label).startsWith('→'), `the state hint comes first for '${key}'`);
      assert.deepEqual(value[0].position, positionOf(APP, `'${key}'`, key.length + 2), 'after the closing quote');
    }
    assert.match((await hintsOn('new-checkout')).at(-1).tooltip, new RegExp(`^For ${id}: true, because matched condition 1`));
    assert.match((await hintsOn('continuity')).at(-1).tooltip, new RegExp(`^For ${id}: cannot evaluate locally: experience continuity`));
    assert.match((await hintsOn('nowhere')).at(-1).tooltip, /no flag with this key in PostHog/);
  });

  it('hovers say what the person gets and why', async () => {
    assert.match(await hoverOn('new-checkout'), new RegExp(`For ${id}: true, because matched condition 1: email contains "@acme.com", 30% rollout`));
    assert.match(await hoverOn('pricing-test'), new RegExp(`For ${id}: 'test', because matched condition 1: plan is "pro", variant test \\(set by the condition\\)`));
    assert.match(await hoverOn('beta-banner'), new RegExp(`For ${id}: false, because the flag is disabled`));
  });

  it('a flag that cannot be evaluated locally says so', async () => {
    const text = await hoverOn('continuity');
    assert.match(text, new RegExp(`For ${id}: cannot evaluate locally: experience continuity`));
    assert.doesNotMatch(text, new RegExp(`For ${id}: (true|false)`));
  });

  it('given properties are used as they are: PostHog is not asked for the person', async () => {
    const before = personRequests();
    const r = await evaluateFor({ distinctId: id, personProperties: { email: 'someone@else.org' } });
    assert.equal(personRequests(), before);
    assert.equal(r.personProperties, 'given');
    assert.match(await hoverOn('new-checkout'), new RegExp(`For ${id}: false, because no condition matched`));
    assert.equal((await hintsOn('new-checkout')).at(-1).label, '→ false');
    // `plan` is not among the given properties: local evaluation cannot decide, and says which property.
    assert.match(await hoverOn('pricing-test'), new RegExp(`For ${id}: cannot evaluate locally: a property it needs is not known: condition 1: plan is not given`));
  });

  it('values follow a refresh of the flags', async () => {
    await evaluateFor({ distinctId: id });
    assert.match(await hoverOn('new-checkout'), /: true, because/);
    s.fake.project(1).flags.find((f) => f.key === 'new-checkout')!.active = false;
    await s.client.executeRefresh();
    // Re-evaluation runs after the refresh (it fetches the definitions again): ask until the hover has it, with a deadline.
    let text = '';
    for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      text = await hoverOn('new-checkout');
      if (text.includes('because the flag is disabled')) break;
    }
    assert.match(text, new RegExp(`For ${id}: false, because the flag is disabled`));
    s.fake.project(1).flags.find((f) => f.key === 'new-checkout')!.active = true;
    await s.client.executeRefresh();
  });

  it('bad arguments are refused with a reason, and the person stays', async () => {
    await assert.rejects(evaluateFor({ distinctId: '' }), /distinct id/);
    await assert.rejects(evaluateFor({ distinctId: 'x', personProperties: [1] }), /personProperties must be an object/);
    await assert.rejects(evaluateFor({ distinctId: 'x', groups: { company: 5 } }), /groups must map group type names/);
    assert.match(await hoverOn('beta-banner'), new RegExp(`For ${id}:`));
  });

  it('[{}] clears: no sentence in hovers, no debugging in the status', async () => {
    const since = s.client.notifications.length;
    const r = await evaluateFor({});
    assert.deepEqual(r, { debugging: null });
    const status = await s.client.waitForNotification('posthog/status', (p) => p.debugging === undefined, 5000, since);
    assert.equal(status.state, 'ok');
    assert.doesNotMatch(await hoverOn('new-checkout'), /For /);
    const left = await hintsOn('new-checkout');
    assert.equal(left.length, 1, 'only the state hint is left');
    assert.doesNotMatch(String(left[0].label), /→/);
  });
});

describe('language server: debug as a person from a snapshot file', function () {
  this.timeout(30000);
  let s: Session;
  let app: string;
  let other: string;
  let workspaceSettings: Record<string, unknown> = {};

  before(async () => {
    const dir = makeWorkspace({ 'src/app.ts': APP });
    const file = writeFlagsFile(dir, [{ key: 'new-checkout', rollout: 100 }, { key: 'pricing-test', rollout: 50 }]);
    other = writeFlagsFile(dir, [{ key: 'new-checkout', rollout: 0 }], 'other-flags.json');
    workspaceSettings = { flagsFile: file };
    s = await startSession({ folders: [dir], initializationOptions: { personalApiKey: undefined }, start: { configuration: () => workspaceSettings } });
    app = join(dir, 'src/app.ts');
    await s.client.open(app, APP);
  });
  after(async () => s?.dispose());

  it('evaluates offline from the snapshot; properties only as given, and it says so', async () => {
    const r = await s.client.request('workspace/executeCommand', { command: 'posthog.evaluateFor', arguments: [{ distinctId: 'offline-1' }] });
    assert.equal(r.personProperties, 'none');
    assert.match(r.notes.join('\n'), /snapshot file/);
    assert.equal(s.fake.requests(/\/persons\/?$/).length, 0);
    const byKey = Object.fromEntries(r.flags.map((f: { key: string; value: unknown }) => [f.key, f.value]));
    assert.equal(byKey['new-checkout'], true);
    assert.equal(byKey['pricing-test'], null, 'an email condition without properties cannot be decided locally');
    const given = await s.client.request('workspace/executeCommand', { command: 'posthog.evaluateFor', arguments: [{ distinctId: 'offline-1', personProperties: { email: 'a@acme.com' } }] });
    assert.equal(given.personProperties, 'given');
    const pos = positionOf(APP, "'new-checkout'", 2);
    assert.match(plain(await s.client.hover(app, pos.line, pos.character)), /For offline-1: true, because matched condition 1/);
  });

  it('another flag source forgets the person: no values from the old definitions', async () => {
    const since = s.client.notifications.length;
    workspaceSettings = { flagsFile: other };
    await s.client.notify('workspace/didChangeConfiguration', { settings: null });
    await s.client.waitForNotification('posthog/status', (p) => p.state === 'ok' && p.debugging === undefined, 10000, since);
    const pos = positionOf(APP, "'new-checkout'", 2);
    await s.client.waitForDiagnostics(app, () => true);
    assert.doesNotMatch(plain(await s.client.hover(app, pos.line, pos.character)), /For offline-1/);
  });
});

describe('language server: debug as a person with a key that cannot read persons', function () {
  this.timeout(30000);
  const KEY = 'phx_fake_flags_only_0002';
  let s: Session;

  before(async () => {
    const fake = await startFakePostHog({ projects: [{ id: 1, flags: flags() as never, persons: [{ id: 7, distinct_ids: ['u-1'], properties: { email: 'dev@acme.com' } }] }] });
    fake.state.keys.push({ key: KEY, scopes: ['feature_flag:read', 'project:read'] });
    s = await startSession({ files: { 'src/app.ts': APP }, existingFake: fake, initializationOptions: { personalApiKey: KEY } });
  });
  after(async () => {
    await s?.dispose();
    await s?.fake.close();
  });

  it('says the key lacks person:read and evaluates without person properties', async () => {
    const r = await s.client.request('workspace/executeCommand', { command: 'posthog.evaluateFor', arguments: [{ distinctId: 'u-1' }] });
    assert.equal(s.fake.requests(/\/persons\/?$/).length, 1, 'PostHog was asked');
    assert.equal(r.personProperties, 'none');
    assert.match(r.notes.join('\n'), /person:read/);
    const byKey = Object.fromEntries(r.flags.map((f: { key: string; value: unknown; reason: { code: string } }) => [f.key, f.reason.code]));
    assert.equal(byKey['new-checkout'], 'cannot_evaluate_locally', 'the email condition cannot be decided without the person');
    assert.ok(!JSON.stringify(r).includes(KEY));
  });
});
