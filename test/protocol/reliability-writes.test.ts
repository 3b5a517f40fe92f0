/**
 * Issue 8, writes through `workspace/executeCommand` (real server, fake
 * PostHog): toggle re-reads before writing; nothing is sent twice — not for
 * a duplicate command in flight, not after a connection dropped once the
 * write was applied (a re-read decides); a change made in PostHog since
 * the server saw the flag is refused with a clear ResponseError.
 */
import assert from 'node:assert/strict';
import { FAKE_KEY, startSession, type Session } from './helpers';
import { EDITOR_FILES } from './reliability-support';

const run = (s: Session, command: string, arg: Record<string, unknown>) => s.client.request('workspace/executeCommand', { command, arguments: [arg] });
const posts = (s: Session) => s.fake.requests(/feature_flags\/$/, 'POST');
const patches = (s: Session, id: number) => s.fake.requests(new RegExp(`feature_flags/${id}/$`), 'PATCH');

describe('reliability: writes are re-read, never sent twice, and refuse stale views', function () {
  this.timeout(30_000);
  let s: Session;
  beforeEach(async () => {
    s = await startSession({ files: EDITOR_FILES });
  });
  afterEach(async () => s?.dispose());

  it('a duplicate createFlag in flight sends one POST; both answers carry the flag', async () => {
    const [a, b] = await Promise.all([run(s, 'posthog.createFlag', { key: 'twice-clicked' }), run(s, 'posthog.createFlag', { key: 'twice-clicked' })]);
    assert.equal(a.key, 'twice-clicked');
    assert.deepEqual(a, b);
    assert.equal(posts(s).length, 1);
    assert.equal(s.fake.project(1).flags.filter((f) => f.key === 'twice-clicked').length, 1);
  });

  it('a duplicate toggleFlag in flight sends one PATCH, after re-reading the flag', async () => {
    const before = s.fake.log.length;
    const [a, b] = await Promise.all([run(s, 'posthog.toggleFlag', { key: 'beta-banner', active: true }), run(s, 'posthog.toggleFlag', { key: 'beta-banner', active: true })]);
    assert.deepEqual(a, { key: 'beta-banner', active: true, version: 2 });
    assert.deepEqual(b, a);
    assert.equal(patches(s, 2).length, 1);
    const sequence = s.fake.log.slice(before).map((e) => `${e.method} ${e.path}`);
    const patchAt = sequence.indexOf('PATCH /api/projects/1/feature_flags/2/');
    const reread = sequence.indexOf('GET /api/projects/1/feature_flags/2/');
    assert.ok(reread >= 0 && reread < patchAt, `re-read before the write: ${sequence.join(', ')}`);
    const patch = patches(s, 2)[0].body as Record<string, unknown>;
    assert.deepEqual(Object.keys(patch).sort(), ['active', 'original_flag', 'version'], 'PostHog can check the version too');
  });

  it('create: the connection drops after PostHog applied it → a re-read confirms, no second POST', async () => {
    s.fake.setFault({ fault: { kind: 'drop-after-apply' }, times: 1, method: 'POST' });
    const created = await run(s, 'posthog.createFlag', { key: 'answer-lost' });
    assert.equal(created.key, 'answer-lost');
    assert.equal(posts(s).length, 1);
    const afterPost = s.fake.log.slice(s.fake.log.indexOf(posts(s)[0]) + 1);
    assert.ok(afterPost.some((e) => e.method === 'GET' && /feature_flags\/$/.test(e.path) && /key=answer-lost|search=answer-lost/.test(e.query)), 'looked the key up');
    assert.equal(s.fake.project(1).flags.filter((f) => f.key === 'answer-lost').length, 1);
  });

  it('create: the connection drops before PostHog applied it → a clear refusal saying so, no second POST', async () => {
    s.fake.setFault({ fault: { kind: 'drop' }, times: 1, method: 'POST' });
    await assert.rejects(run(s, 'posthog.createFlag', { key: 'never-landed' }), (e: any) => {
      assert.match(e.message, /connection closed.*re-read shows the flag was not created/);
      assert.ok(!e.message.includes(FAKE_KEY));
      return true;
    });
    assert.equal(posts(s).length, 1);
  });

  it('toggle: the connection drops after PostHog applied it → a re-read confirms, no second PATCH', async () => {
    s.fake.setFault({ fault: { kind: 'drop-after-apply' }, times: 1, method: 'PATCH' });
    const r = await run(s, 'posthog.toggleFlag', { key: 'beta-banner', active: true });
    assert.equal(r.active, true);
    assert.equal(patches(s, 2).length, 1);
    assert.equal(s.fake.project(1).flags.find((f) => f.key === 'beta-banner')!.active, true);
  });

  it('toggle: a change made in PostHog since the server saw the flag is refused with a clear message, nothing sent', async () => {
    const flag = s.fake.project(1).flags.find((f) => f.key === 'beta-banner')!;
    flag.version = (flag.version as number) + 1;
    flag.name = 'edited by a colleague';
    flag.last_modified_by = { id: 2, email: 'colleague@acme.com' };
    await assert.rejects(run(s, 'posthog.toggleFlag', { key: 'beta-banner', active: true }), (e: any) => {
      assert.match(e.message, /'beta-banner' was changed in PostHog by colleague@acme\.com since you saw it \(version 1 → 2\)/);
      return true;
    });
    assert.equal(patches(s, 2).length, 0);
    // After a refresh the server has seen the new version and the toggle goes through.
    await s.client.executeRefresh();
    const r = await run(s, 'posthog.toggleFlag', { key: 'beta-banner', active: true });
    assert.equal(r.active, true);
    assert.equal(patches(s, 2).length, 1);
  });

  it('create: a flag created in PostHog meanwhile is found by the re-read and refused before any POST, not duplicated', async () => {
    s.fake.project(1).flags.push({ id: 77, key: 'raced-key', name: '', active: true, deleted: false, filters: { groups: [] }, version: 1 });
    await assert.rejects(run(s, 'posthog.createFlag', { key: 'raced-key' }), /Feature flag 'raced-key' already exists in project 1: nothing was created/);
    assert.equal(posts(s).length, 0);
    assert.equal(s.fake.project(1).flags.filter((f) => f.key === 'raced-key').length, 1);
  });
});
