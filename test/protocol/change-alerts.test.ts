// Change alerts (interfaces.md "Change alerts"): a flag changed in the fake
// PostHog reaches the client within one refresh as posthog/flagsChanged, with
// the files using it re-diagnosed and a Warning for released / disabled /
// deleted; nothing for flags the workspace does not use, nothing with the
// setting off.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rawFlag, startSession, type Session } from './helpers';

const A_TS = "import posthog from 'posthog-js';\nexport const a = posthog.isFeatureEnabled('new-checkout');\nexport const b = posthog.isFeatureEnabled('new-checkout') && posthog.isFeatureEnabled('pricing-test');\nexport const c = posthog.getFeatureFlag('retiring');\n";
const FILES = { 'src/a.ts': A_TS, 'package.json': '{"name":"app","dependencies":{"posthog-js":"1.0.0"}}' };
const variants = (control: number, test: number) => ({
  groups: [{ properties: [], rollout_percentage: 100, variant: null }],
  payloads: {},
  multivariate: { variants: [{ key: 'control', rollout_percentage: control }, { key: 'test', rollout_percentage: test }] },
});
const flags = () => [
  rawFlag(1, 'new-checkout'),
  rawFlag(2, 'pricing-test', { filters: variants(50, 50) }),
  rawFlag(3, 'retiring'),
  rawFlag(4, 'not-in-code'),
];
const flagIn = (s: Session, key: string) => s.fake.project(1).flags.find((f) => f.key === key)!;
const warnings = (s: Session) => s.client.notifications.filter((n) => n.method === 'window/showMessage' && n.params.type === 2);
const changed = (s: Session) => s.client.notifications.filter((n) => n.method === 'posthog/flagsChanged');

describe('language server: change alerts', function () {
  this.timeout(30000);

  describe('with alerts on (default)', () => {
    let s: Session;
    let file: string;
    before(async () => {
      s = await startSession({ files: FILES, flags: flags(), initializationOptions: { refreshInterval: 0.5 } });
      file = join(s.dir, 'src/a.ts');
      await s.client.waitForDiagnostics(file, () => true).catch(() => undefined);
    });
    after(async () => s?.dispose());

    it('a rollout to 100% arrives with the next background refresh: notification, re-published diagnostics, a warning; no extra requests', async () => {
      const since = s.client.notifications.length;
      const logFrom = s.fake.log.length;
      flagIn(s, 'new-checkout').filters = { groups: [{ properties: [], rollout_percentage: 100, variant: null }], payloads: {}, multivariate: null };
      flagIn(s, 'not-in-code').active = false;
      const note = await s.client.waitForNotification('posthog/flagsChanged', () => true, 10000, since);
      assert.deepEqual(note.changes.map((c: any) => c.key), ['new-checkout'], 'only flags the workspace uses');
      const [change] = note.changes;
      assert.equal(change.summary, 'rollout 30% → 100% of users — released to everyone');
      assert.equal(change.usageCount, 2);
      assert.deepEqual(change.kinds, ['rollout', 'released']);
      assert.equal(change.warning, true);
      assert.deepEqual(change.before, { state: 'active', rollout: '30% of all users', releasedToEveryone: false });
      assert.equal(change.after.releasedToEveryone, true);
      const d = await s.client.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'rollout-100'));
      assert.equal(d.filter((x) => x.code === 'rollout-100').length, 2);
      await s.client.waitFor('the warning', () => warnings(s).some((w) => w.params.message.includes("'new-checkout'")));
      const w = warnings(s).filter((n) => n.params.message.includes("'new-checkout'"));
      assert.equal(w.length, 1);
      assert.equal(w[0].params.message, "PostHog: flag 'new-checkout' changed: rollout 30% → 100% of users — released to everyone (used 2 times in this workspace).");
      assert.ok(!warnings(s).some((n) => n.params.message.includes('not-in-code')));
      // The alert rode on the refresh: nothing but reads of the flag list (and its cohorts) went out.
      const extra = s.fake.log.slice(logFrom).filter((e) => e.method !== 'GET' || !/\/feature_flags\/?$|\/cohorts\/?$/.test(e.path));
      assert.deepEqual(extra.map((e) => `${e.method} ${e.path}`), []);
    });

    it('a variant split change: a notification without a warning', async () => {
      const since = s.client.notifications.length;
      const warned = warnings(s).length;
      flagIn(s, 'pricing-test').filters = variants(20, 80);
      await s.client.executeRefresh();
      const note = await s.client.waitForNotification('posthog/flagsChanged', () => true, 10000, since);
      assert.deepEqual(note.changes.map((c: any) => [c.key, c.summary, c.warning]), [['pricing-test', 'variants: control 50%, test 50% → control 20%, test 80%', false]]);
      await s.client.executeRefresh();
      assert.equal(warnings(s).length, warned, 'no warning for a variant split');
    });

    it('disabled and deleted: one warning each, diagnostics follow, one notification per refresh', async () => {
      const since = s.client.notifications.length;
      const warned = warnings(s).length;
      flagIn(s, 'new-checkout').active = false;
      flagIn(s, 'retiring').deleted = true;
      await s.client.executeRefresh();
      const note = await s.client.waitForNotification('posthog/flagsChanged', () => true, 10000, since);
      assert.deepEqual(note.changes.map((c: any) => [c.key, c.kinds, c.summary]), [
        ['new-checkout', ['disabled'], 'disabled'],
        ['retiring', ['deleted'], 'deleted in PostHog'],
      ]);
      await s.client.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'deleted-flag') && d.some((x) => x.code === 'inactive-flag'));
      await s.client.waitFor('two warnings', () => warnings(s).length >= warned + 2);
      const fresh = warnings(s).slice(warned).map((n) => n.params.message);
      assert.equal(fresh.length, 2);
      assert.ok(fresh.some((m) => m.includes("'new-checkout'") && m.includes('disabled')));
      assert.ok(fresh.some((m) => m.includes("'retiring'") && m.includes('deleted in PostHog') && m.includes('used once')));
      // Later refreshes with nothing new announce nothing.
      const count = changed(s).length;
      await s.client.executeRefresh();
      await s.client.executeRefresh();
      assert.equal(changed(s).length, count);
    });
  });

  it('the setting off (posthog.changeAlerts: false): diagnostics still follow, no notification, no warning', async () => {
    const s = await startSession({ files: FILES, flags: flags(), start: { configuration: (item) => (item.section === 'posthog' ? { changeAlerts: false } : null) } });
    try {
      const file = join(s.dir, 'src/a.ts');
      flagIn(s, 'new-checkout').active = false;
      await s.client.executeRefresh();
      await s.client.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'inactive-flag'));
      await s.client.executeRefresh();
      assert.equal(changed(s).length, 0);
      assert.equal(warnings(s).length, 0);
    } finally {
      await s.dispose();
    }
  });

  it('a client that shows the alerts itself gets the notification and no second warning', async () => {
    const s = await startSession({ files: FILES, flags: flags(), initializationOptions: { clientShowsChangeAlerts: true } });
    try {
      flagIn(s, 'new-checkout').active = false;
      await s.client.executeRefresh();
      const note = await s.client.waitForNotification('posthog/flagsChanged');
      assert.equal(note.changes[0].warning, true);
      await s.client.executeRefresh();
      assert.equal(warnings(s).length, 0);
    } finally {
      await s.dispose();
    }
  });
});
