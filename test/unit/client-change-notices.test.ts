// Which notifications a posthog/flagsChanged becomes in VS Code (pure client logic).
import assert from 'node:assert/strict';
import { ChangeNoticeFilter, MAX_SEPARATE, changeLine } from '../../client/src/change-notices';
import type { FlagChange } from '../../client/src/protocol';

const change = (key: string, over: Partial<FlagChange> = {}): FlagChange => ({
  key,
  before: { state: 'active', rollout: '30% of all users', releasedToEveryone: false },
  after: { state: 'active', rollout: '50% of all users', releasedToEveryone: false },
  summary: 'rollout 30% → 50% of users',
  usageCount: 2,
  kinds: ['rollout'],
  warning: false,
  ...over,
});
const disabled = (key: string) => change(key, { summary: 'disabled', kinds: ['disabled'], warning: true, after: { state: 'disabled', rollout: 'Disabled: 30% of all users', releasedToEveryone: false } });

describe('client: change alert notifications', () => {
  it('one notification per change: warning for released / disabled / deleted, information otherwise, both actions', () => {
    const notices = new ChangeNoticeFilter().decide({ changes: [change('a'), disabled('b')], fetchedAt: 't1' }, true);
    assert.deepEqual(notices.map((n) => [n.key, n.severity, n.actions]), [
      ['b', 'warning', ['Show Usages', 'Open in PostHog']],
      ['a', 'information', ['Show Usages', 'Open in PostHog']],
    ]);
    assert.equal(notices[1].message, "PostHog: flag 'a' changed: rollout 30% → 50% of users (used 2 times in this workspace).");
  });

  it('a deleted flag has no page to open', () => {
    const [n] = new ChangeNoticeFilter().decide({ changes: [change('gone', { kinds: ['deleted'], summary: 'deleted in PostHog', warning: true, usageCount: 1, after: { state: 'deleted', releasedToEveryone: false } })] }, true);
    assert.deepEqual(n.actions, ['Show Usages']);
    assert.match(n.message, /used once/);
  });

  it('nothing when the setting is off', () => {
    assert.deepEqual(new ChangeNoticeFilter().decide({ changes: [disabled('b')], fetchedAt: 't1' }, false), []);
  });

  it('at most once per flag per refresh: a repeated refresh and a repeated key are dropped; the next refresh counts again', () => {
    const filter = new ChangeNoticeFilter();
    assert.equal(filter.decide({ changes: [disabled('b'), disabled('b')], fetchedAt: 't1' }, true).length, 1);
    assert.equal(filter.decide({ changes: [disabled('b')], fetchedAt: 't1' }, true).length, 0);
    assert.equal(filter.decide({ changes: [change('b')], fetchedAt: 't2' }, true).length, 1);
  });

  it('flags the workspace does not use, and malformed params, show nothing', () => {
    const filter = new ChangeNoticeFilter();
    assert.deepEqual(filter.decide({ changes: [change('unused', { usageCount: 0 })] }, true), []);
    assert.deepEqual(filter.decide(undefined, true), []);
    assert.deepEqual(filter.decide({} as never, true), []);
  });

  it(`more than ${MAX_SEPARATE} changes: warnings first on their own, the rest in one notification`, () => {
    const changes = [change('a'), change('b'), disabled('c'), change('d'), change('e')];
    const notices = new ChangeNoticeFilter().decide({ changes, fetchedAt: 't' }, true);
    assert.equal(notices.length, MAX_SEPARATE);
    assert.deepEqual(notices.slice(0, -1).map((n) => n.key), ['c', 'a']);
    const rest = notices[notices.length - 1];
    assert.equal(rest.key, undefined);
    assert.deepEqual(rest.actions, ['Show All Changes']);
    assert.equal(rest.severity, 'information');
    assert.equal(rest.message, "PostHog: 3 more flags used in this workspace changed: 'b', 'd', 'e'.");
    assert.deepEqual(rest.changes.map((c) => c.key), ['b', 'd', 'e']);
    // Every flag appears in exactly one notification.
    assert.deepEqual(notices.flatMap((n) => n.changes.map((c) => c.key)).sort(), ['a', 'b', 'c', 'd', 'e']);
  });

  it('a grouped rest that holds a warning is a warning', () => {
    const changes = [disabled('a'), disabled('b'), disabled('c'), change('d')];
    const notices = new ChangeNoticeFilter().decide({ changes }, true);
    assert.equal(notices[notices.length - 1].severity, 'warning');
  });

  it('the output line', () => assert.equal(changeLine(disabled('b')), "'b' (used 2 times): disabled"));
});
