import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagState } from '../../server/src/core/flags';
import { runPull } from '../../server/src/cli/commands/pull';
import { readSnapshotFile } from '../../server/src/posthog';
import { FAKE_KEY, generateFlags, startFakePostHog, type FakePostHog } from '../fake-posthog';

function capture() {
  let out = '';
  let err = '';
  return { io: { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } }, out: () => out, err: () => err };
}

describe('posthog-flags pull', () => {
  let fake: FakePostHog;
  let dir: string;
  beforeEach(async () => {
    fake = await startFakePostHog({
      projects: [{ id: 7, flags: [...generateFlags(250, { seed: 2, cohortIds: [42] }), { id: 900, key: 'gone', active: false, deleted: true, filters: {} }], cohorts: [{ id: 42, name: 'Beta testers', count: 5 }] }],
      injectCohortNames: false,
    });
    dir = mkdtempSync(join(tmpdir(), 'phf-pull-'));
  });
  afterEach(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = () => ({ POSTHOG_HOST: fake.url, POSTHOG_PERSONAL_API_KEY: FAKE_KEY });

  it('prints a snapshot to stdout that the snapshot reader accepts, without the key', async () => {
    const c = capture();
    const status = await runPull([], { ...c.io, env: env() });
    assert.equal(status, 0, c.err());
    assert.equal(c.out().includes(FAKE_KEY), false);
    const body = JSON.parse(c.out());
    assert.equal(body.count, 250);
    assert.equal(body.project_id, 7);
    assert.equal(body.results.length, 250);
    assert.deepEqual(body.cohorts.find((x: { id: number }) => x.id === 42)?.name, 'Beta testers');
  });

  it('writes --out FILE, readable as a flags file', async () => {
    const c = capture();
    const out = join(dir, 'flags.json');
    assert.equal(await runPull(['--out', out, '--project', '7'], { ...c.io, env: env(), cwd: dir }), 0);
    assert.match(c.err(), /Wrote 250 flags of project 7/);
    assert.equal(readFileSync(out, 'utf8').includes(FAKE_KEY), false);
    const snap = await readSnapshotFile(out);
    assert.ok(snap.ok);
    assert.equal(snap.value.flags.length, 250);
    assert.equal(snap.value.cohorts.get(42)?.name, 'Beta testers');
    assert.equal(flagState('flag-1', snap.value) === 'missing', false);
  });

  it('exits 3 when the key is rejected, quoting the detail, never the key', async () => {
    const c = capture();
    const status = await runPull([], { ...c.io, env: { POSTHOG_HOST: fake.url, POSTHOG_PERSONAL_API_KEY: 'phx_revoked_key_1234' } });
    assert.equal(status, 3);
    assert.match(c.err(), /Personal API key found in request Authorization header is invalid/);
    assert.equal(c.err().includes('phx_revoked_key_1234'), false);
    assert.equal(c.out(), '');
  });

  it('exits 3 when the host is unreachable and 2 without a key or with a bad option', async () => {
    await fake.close();
    const c = capture();
    assert.equal(await runPull(['--host', fake.url], { ...c.io, env: { POSTHOG_PERSONAL_API_KEY: FAKE_KEY } }), 3);
    assert.match(c.err(), /host unreachable/);
    const d = capture();
    assert.equal(await runPull([], { ...d.io, env: { POSTHOG_HOST: fake.url } }), 2);
    assert.match(d.err(), /no personal API key/);
    const e = capture();
    assert.equal(await runPull(['--bogus'], { ...e.io, env: env() }), 2);
    const f = capture();
    assert.equal(await runPull(['--project', 'abc'], { ...f.io, env: env() }), 2);
    fake = await startFakePostHog(); // for afterEach
  });
});
