// Pure client logic: input checks, host rules, confirmation wording, grouping.
import assert from 'node:assert/strict';
import { rolloutConfirmation, toggleConfirmation } from '../../client/src/confirm-text';
import { activeFromArgs, flagKeyFromArgs, flagSearchUrl, rolloutFromArgs } from '../../client/src/flag-args';
import { describeFlag, flagNodeView, groupFlags } from '../../client/src/flag-groups';
import { flagsFileSettingValue, snapshotTextProblem } from '../../client/src/flags-file';
import type { ReportFlag } from '../../client/src/protocol';
import { comesFromWorkspace, decideKeyHost, effectiveValue, sanitizeSection } from '../../client/src/settings';
import { refreshTime, statusPresentation } from '../../client/src/status-text';
import { normalizeHost, validateNewFlagKey, validatePersonalApiKey, validateProjectId, validateRolloutPercentage } from '../../client/src/validation';

const flag = (over: Partial<ReportFlag>): ReportFlag => ({
  key: 'k', state: 'active', inPostHog: true, inCode: true, usageCount: 1, files: ['a.ts'], rollout: '30% of users',
  releasedToEveryone: false, stale: false, usages: [], ...over,
});

describe('client: personal API key check', () => {
  it('accepts a phx_ key and trims it', () => assert.equal(validatePersonalApiKey('  phx_testkey_fake_0001 '), undefined));
  it('explains that a phc_ key is the project key', () => assert.match(validatePersonalApiKey('phc_abc123456')!, /project API key.*personal API key \(phx_/));
  it('rejects other prefixes, blanks and inner spaces', () => {
    assert.match(validatePersonalApiKey('sk_live_123')!, /starts with phx_/);
    assert.match(validatePersonalApiKey('')!, /phx_/);
    assert.match(validatePersonalApiKey('phx_abc def')!, /space/);
  });
});

describe('client: flag key check (PostHog rule)', () => {
  const validateFlagKey = (key: string) => validateNewFlagKey(key, new Set());
  it('accepts letters, digits, - and _', () => assert.equal(validateFlagKey('new-checkout_V2'), undefined));
  it('names the first bad character', () => assert.match(validateFlagKey('new checkout')!, /" "/));
  it('rejects dots and slashes', () => {
    assert.ok(validateFlagKey('a.b'));
    assert.ok(validateFlagKey('a/b'));
  });
  it('allows 400 characters, not 401', () => {
    assert.equal(validateFlagKey('a'.repeat(400)), undefined);
    assert.match(validateFlagKey('a'.repeat(401))!, /400/);
  });
  it('rejects an empty key', () => assert.ok(validateFlagKey('')));
  it('checks percentages and project ids', () => {
    assert.equal(validateRolloutPercentage('100'), undefined);
    assert.ok(validateRolloutPercentage('101'));
    assert.ok(validateRolloutPercentage('5.5'));
    assert.equal(validateProjectId('12345'), undefined);
    assert.equal(validateProjectId('@current'), undefined);
    assert.ok(validateProjectId('abc'));
  });
});

describe('client: hosts and trust', () => {
  it('normalizes hosts and maps ingestion hosts to app hosts', () => {
    assert.equal(normalizeHost('https://us.posthog.com/'), 'https://us.posthog.com');
    assert.equal(normalizeHost('https://eu.i.posthog.com'), 'https://eu.posthog.com');
    assert.equal(normalizeHost('http://127.0.0.1:8123'), 'http://127.0.0.1:8123');
    assert.equal(normalizeHost('ftp://x'), undefined);
    assert.equal(normalizeHost('https://user:pw@x.com'), undefined);
    assert.equal(normalizeHost('not a url'), undefined);
  });
  it('ignores workspace values when the workspace is not trusted', () => {
    const i = { defaultValue: '', globalValue: 'https://eu.posthog.com', workspaceValue: 'https://evil.example' };
    assert.equal(effectiveValue(i, false), 'https://eu.posthog.com');
    assert.equal(effectiveValue(i, true), 'https://evil.example');
    assert.equal(comesFromWorkspace(i, true), true);
    assert.equal(comesFromWorkspace(i, false), false);
  });
  it('sends the key only to the signed-in host or a confirmed one', () => {
    assert.deepEqual(decideKeyHost(undefined, 'https://eu.posthog.com', []), { host: 'https://eu.posthog.com' });
    assert.deepEqual(decideKeyHost('https://evil.example', 'https://eu.posthog.com', []), { host: 'https://eu.posthog.com', pendingHost: 'https://evil.example' });
    assert.deepEqual(decideKeyHost('https://self.example/', 'https://eu.posthog.com', ['https://self.example']), { host: 'https://self.example' });
    assert.deepEqual(decideKeyHost('https://us.posthog.com', undefined, []), { host: 'https://us.posthog.com' });
  });
  it('never passes a key-like setting to the server', () => {
    const out = sanitizeSection({ exclude: ['x'], personalApiKey: 'phx_testkey_fake_0001', apiToken: 't' }, { host: 'https://h' });
    assert.deepEqual(out, { exclude: ['x'], host: 'https://h', projectId: '@current', flagsFile: '' });
  });
});

describe('client: toggle confirmation', () => {
  it('is loud when enabling a flag released to everyone', () => {
    const c = toggleConfirmation({ key: 'big', rollout: '100% of users', releasedToEveryone: true }, true);
    assert.equal(c.loud, true);
    assert.match(c.message, /big.*EVERYONE/);
    assert.match(c.detail, /100% of users/);
    assert.equal(c.confirmLabel, 'Enable for EVERYONE');
  });
  it('is loud when enabling a disabled flag whose conditions reach everyone (not yet released, so not releasedToEveryone)', () => {
    const c = toggleConfirmation({ key: 'legacy-export', rollout: '100% of users', releasedToEveryone: false, reachesEveryoneWhenEnabled: true }, true);
    assert.equal(c.loud, true);
    assert.equal(c.confirmLabel, 'Enable for EVERYONE');
    assert.match(c.detail, /is disabled, and its release conditions reach 100% of users/);
    // Disabling it is no rollout to everyone: the plain modal.
    assert.equal(toggleConfirmation({ key: 'legacy-export', rollout: '100% of users', releasedToEveryone: false, reachesEveryoneWhenEnabled: true }, false).loud, false);
  });
  it('names the flag, rollout and who is affected when disabling', () => {
    const c = toggleConfirmation({ key: 'checkout', name: 'New checkout', rollout: '30% of users', releasedToEveryone: false }, false);
    assert.equal(c.loud, false);
    assert.match(c.message, /Disable.*"checkout"/);
    assert.match(c.detail, /New checkout/);
    assert.match(c.detail, /30% of users/);
    assert.equal(c.confirmLabel, 'Disable');
  });
  it('is quiet when enabling a partial rollout', () => {
    const c = toggleConfirmation({ key: 'x', rollout: '5% of users', releasedToEveryone: false }, true);
    assert.equal(c.loud, false);
    assert.match(c.detail, /5% of users/);
  });
});

describe('client: rollout change confirmation', () => {
  it('is loud at 100%: EVERYONE without properties, the matching users with them', () => {
    const all = rolloutConfirmation({ key: 'w', from: 25, to: 100, filtered: false, active: true });
    assert.equal(all.loud, true);
    assert.match(all.message, /"w".*EVERYONE/);
    assert.equal(all.confirmLabel, 'Roll Out to EVERYONE');
    assert.match(all.detail, /25% to 100%/);
    const some = rolloutConfirmation({ key: 'w', from: 25, to: 100, filtered: true, active: true });
    assert.equal(some.loud, true);
    assert.doesNotMatch(some.message, /EVERYONE/);
    assert.match(some.message, /matching its condition/);
  });
  it('is a plain modal below 100%, says who loses it and when a disabled flag is affected', () => {
    const down = rolloutConfirmation({ key: 'w', name: 'Widget', from: 50, to: 10, filtered: false, active: false });
    assert.equal(down.loud, false);
    assert.match(down.message, /from 50% to 10%/);
    assert.match(down.detail, /Widget/);
    assert.match(down.detail, /lose it/);
    assert.match(down.detail, /disabled now/);
    assert.doesNotMatch(rolloutConfirmation({ key: 'w', from: 10, to: 50, filtered: false, active: true }).detail, /lose it/);
  });
});

describe('client: Flag Explorer groups', () => {
  it('puts each flag in its group and stale ones also under Stale', () => {
    const g = groupFlags([
      flag({ key: 'b-active' }),
      flag({ key: 'a-active', stale: true }),
      flag({ key: 'off', state: 'disabled' }),
      flag({ key: 'typo', state: 'missing', inPostHog: false }),
      flag({ key: 'gone', state: 'deleted', inPostHog: false }),
      flag({ key: 'unused', inCode: false, usageCount: 0, files: [], stale: true }),
    ]);
    assert.deepEqual(g.active.map((f) => f.key), ['a-active', 'b-active']);
    assert.deepEqual(g.disabled.map((f) => f.key), ['off']);
    assert.deepEqual(g.missing.map((f) => f.key), ['gone', 'typo']);
    assert.deepEqual(g.notInCode.map((f) => f.key), ['unused']);
    assert.deepEqual(g.stale.map((f) => f.key), ['a-active', 'unused']);
  });
  it('describes a flag by state and usages (the rollout goes to the tooltip)', () => {
    assert.equal(describeFlag(flag({ usageCount: 3 })), 'enabled · 3 usages');
    assert.equal(describeFlag(flag({ releasedToEveryone: true })), 'enabled for everyone · 1 usage');
    assert.equal(describeFlag(flag({ state: 'disabled', stale: true })), 'disabled · stale · 1 usage');
    assert.equal(describeFlag(flag({ state: 'missing', inPostHog: false })), 'missing in PostHog · 1 usage');
    assert.equal(describeFlag(flag({ inCode: false, usageCount: 0, files: [] })), 'enabled · no usages');
  });
  it('shows a row with the key as label, details in the tooltip, its own icon when stale', () => {
    const v = flagNodeView(flag({ key: 'new-checkout', name: 'New checkout', usageCount: 2, files: ['a.ts', 'b.ts'], conditions: [{ rolloutPercentage: 30, filtered: false }] }));
    assert.equal(v.label, 'new-checkout');
    assert.equal(v.description, 'enabled · 2 usages');
    assert.deepEqual(v.tooltip, ['new-checkout — New checkout', 'State: enabled', 'Rollout: 30% of users', 'Used 2 times in a.ts, b.ts']);
    assert.equal(v.icon.id, 'pass');
    assert.equal(flagNodeView(flag({ stale: true, staleReason: 'at 100% for 45 days' })).icon.id, 'history');
    assert.match(flagNodeView(flag({ stale: true, staleReason: 'at 100% for 45 days' })).tooltip.join('\n'), /Stale: at 100% for 45 days/);
    assert.equal(flagNodeView(flag({ state: 'missing', inPostHog: false, stale: false })).icon.id, 'error');
    assert.equal(flagNodeView(flag({ state: 'disabled' })).icon.id, 'circle-slash');
    assert.match(flagNodeView(flag({ state: 'disabled', reachesEveryoneWhenEnabled: true })).tooltip[1], /releases it to everyone/);
  });
  it('context values: one condition enables Change Rollout, the state and places the other menus', () => {
    assert.equal(flagNodeView(flag({ conditions: [{ rolloutPercentage: 30, filtered: false }] })).contextValue, 'posthogFlag.active.inPostHog.inCode.oneCondition');
    assert.equal(flagNodeView(flag({ conditions: [{ rolloutPercentage: 30, filtered: false }, { rolloutPercentage: 100, filtered: true }] })).contextValue, 'posthogFlag.active.inPostHog.inCode');
    assert.equal(flagNodeView(flag({ state: 'missing', inPostHog: false })).contextValue, 'posthogFlag.missing.inCode');
  });
});

describe('client: create flag and rollout inputs', () => {
  it('refuses a key the project already has at the first step, naming the project', () => {
    const existing = new Set(['new-checkout']);
    assert.match(validateNewFlagKey('new-checkout', existing, 'Demo shop')!, /already exists in project Demo shop/);
    assert.match(validateNewFlagKey('new-checkout', existing)!, /already exists in this PostHog project/);
    assert.equal(validateNewFlagKey('new-checkout-2', existing), undefined);
    assert.match(validateNewFlagKey('new checkout', existing)!, /" "/);
  });
  it('reads a rollout percentage from command arguments', () => {
    assert.equal(rolloutFromArgs([{ key: 'k', rolloutPercentage: 40 }]), 40);
    assert.equal(rolloutFromArgs([{ key: 'k' }]), undefined);
  });
});

describe('client: flags file as the flag source', () => {
  it('stores a path relative to the first folder when inside it, else absolute', () => {
    assert.equal(flagsFileSettingValue('/w/app/posthog-flags.json', '/w/app'), 'posthog-flags.json');
    assert.equal(flagsFileSettingValue('/w/app/snap/flags.json', '/w/app'), 'snap/flags.json');
    assert.equal(flagsFileSettingValue('/w/other/flags.json', '/w/app'), '/w/other/flags.json');
    assert.equal(flagsFileSettingValue('/w/app-2/flags.json', '/w/app'), '/w/app-2/flags.json');
    assert.equal(flagsFileSettingValue('/w/app/flags.json', undefined), '/w/app/flags.json');
  });
  it('refuses what is not JSON or holds no flags, accepts lists and list bodies', () => {
    assert.match(snapshotTextProblem('{"results": [')!, /not JSON/);
    assert.match(snapshotTextProblem('"just a string"')!, /no flags/);
    assert.equal(snapshotTextProblem('[]'), undefined);
    assert.equal(snapshotTextProblem('\uFEFF{"results": []}'), undefined);
  });
});

describe('client: command arguments and links', () => {
  it('reads the key from code actions, hover links, strings and tree nodes', () => {
    assert.equal(flagKeyFromArgs([{ key: 'a' }]), 'a');
    assert.equal(flagKeyFromArgs(['b']), 'b');
    assert.equal(flagKeyFromArgs([{ kind: 'flag', flag: { key: 'c' } }]), 'c');
    assert.equal(flagKeyFromArgs([]), undefined);
    assert.equal(activeFromArgs([{ key: 'a', active: false }]), false);
    assert.equal(activeFromArgs([{ key: 'a' }]), undefined);
  });
  it('builds a search URL when the server gave none', () => {
    assert.equal(flagSearchUrl('https://eu.posthog.com/', 42, 'a b'), 'https://eu.posthog.com/project/42/feature_flags?search=a%20b');
    assert.equal(flagSearchUrl('https://eu.posthog.com', '@current', 'k'), 'https://eu.posthog.com/feature_flags?search=k');
  });
});

describe('client: status bar', () => {
  it('offers the natural action per state', () => {
    assert.equal(statusPresentation({ state: 'unauthenticated', message: 'Invalid key' }, undefined).action, 'signIn');
    assert.equal(statusPresentation({ state: 'offline' }, undefined).action, 'refresh');
    assert.equal(statusPresentation({ state: 'error' }, undefined).action, 'showOutput');
    const ok = statusPresentation({ state: 'ok', flagCount: 12 }, 'Demo');
    assert.equal(ok.text, '$(flag) PostHog Demo · 12 flags');
    assert.match(statusPresentation({ state: 'offline', message: 'connect ECONNREFUSED' }, undefined).tooltip, /ECONNREFUSED/);
  });
  it('says where the flags come from: host, user, project by name, last refresh', () => {
    const now = new Date(2026, 11, 6, 9, 30, 0);
    const fetchedAt = new Date(2026, 11, 6, 9, 29, 5).toISOString();
    const ok = statusPresentation({ state: 'ok', flagCount: 3, fetchedAt }, 'Demo shop', { host: 'https://eu.posthog.com', user: 'dev@acme.com', projectId: 2, now });
    assert.match(ok.tooltip, /Host: https:\/\/eu\.posthog\.com/);
    assert.match(ok.tooltip, /User: dev@acme\.com/);
    assert.match(ok.tooltip, /Project: Demo shop \(2\)/);
    assert.match(ok.tooltip, /Last refresh: 09:29:05/);
    // Without a name the project is not called by its number alone.
    assert.doesNotMatch(statusPresentation({ state: 'ok', flagCount: 3 }, undefined, { host: 'https://eu.posthog.com', projectId: 2 }).tooltip, /Project/);
    // Failing fetches keep the time of the flags still in use.
    assert.match(statusPresentation({ state: 'offline', flagCount: 3, fetchedAt }, 'Demo shop', { now }).tooltip, /Last refresh: 09:29:05/);
  });
  it('names the snapshot file instead of a host in snapshot mode', () => {
    const t = statusPresentation({ state: 'ok', flagCount: 12, fetchedAt: '2026-11-20T10:00:00.000Z' }, undefined, { flagsFile: 'posthog-flags.json', host: 'https://us.posthog.com', now: new Date(2026, 11, 6) }).tooltip;
    assert.match(t, /Flags file: posthog-flags\.json/);
    assert.doesNotMatch(t, /Host:/);
    assert.match(t, /Loaded: 2026-11-\d\d \d\d:\d\d/);
  });
  it('never says a key was rejected when none was given (first run)', () => {
    const first = statusPresentation({ state: 'unauthenticated', message: 'Sign in, or point posthog.flagsFile at a snapshot.' }, undefined, { noFlagSource: true });
    assert.doesNotMatch(first.tooltip, /rejected/);
    assert.match(first.tooltip, /Not signed in/);
    assert.equal(first.severity, 'none');
    assert.equal(first.action, 'signIn');
    assert.match(statusPresentation({ state: 'unauthenticated', message: 'Invalid key' }, undefined, {}).tooltip, /rejected/);
  });
  it('formats refresh times: clock today, date otherwise, nothing for garbage', () => {
    const now = new Date(2026, 0, 2, 12, 0, 0);
    assert.equal(refreshTime(new Date(2026, 0, 2, 8, 5, 9).toISOString(), now), '08:05:09');
    assert.equal(refreshTime(new Date(2025, 11, 31, 23, 59, 0).toISOString(), now), '2025-12-31 23:59');
    assert.equal(refreshTime('not a time', now), undefined);
  });
});
