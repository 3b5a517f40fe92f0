import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { flagState } from '../../server/src/core/flags';
import { PostHogClient, type ClientOptions, type PostHogError } from '../../server/src/posthog';
import { FAKE_KEY, generateFlags, startFakePostHog, type FakePostHog } from '../fake-posthog';

const fast = { retry: { attempts: 4, baseDelayMs: 10, maxDelayMs: 40 }, timeoutMs: 2000 };
const logLines: string[] = [];
const errors: PostHogError[] = [];

function client(fake: { url: string }, extra: Partial<ClientOptions> = {}) {
  return new PostHogClient({ host: fake.url, personalApiKey: FAKE_KEY, projectId: 1, ...fast, log: (l) => logLines.push(l), ...extra });
}

/** Asserts a failed result and keeps the error for the redaction check. */
function failed<T>(r: { ok: true; value: T } | { ok: false; error: PostHogError }): PostHogError {
  assert.equal(r.ok, false, 'expected a failure');
  if (r.ok) throw new Error('unreachable');
  errors.push(r.error);
  return r.error;
}

describe('posthog client against the fake', () => {
  let fake: FakePostHog;
  const clients: PostHogClient[] = [];
  const make = (extra: Partial<ClientOptions> = {}, target: { url: string } = fake) => {
    const c = client(target, extra);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    fake = await startFakePostHog({
      projects: [
        {
          id: 1,
          flags: [
            { id: 1, key: 'new-checkout', active: true, filters: { groups: [{ properties: [{ key: 'id', type: 'cohort', value: 42 }], rollout_percentage: 100 }] }, version: 1 },
            { id: 2, key: 'everyone', active: false, filters: { groups: [{ properties: [], rollout_percentage: 100 }] }, version: 3 },
          ],
          cohorts: [{ id: 42, name: 'Beta testers', count: 12 }],
        },
        { id: 2, flags: [] },
      ],
    });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await fake.close();
  });
  it('fetches flags with Bearer auth and resolves cohort names', async () => {
    const r = await make().fetchSnapshot();
    assert.ok(r.ok);
    assert.equal(r.value.flags.length, 2);
    assert.equal(r.value.cohorts.get(42)?.name, 'Beta testers');
    assert.equal(r.value.projectId, 1);
    assert.ok(fake.log.every((e) => e.authorization === `Bearer ${FAKE_KEY}`));
    assert.equal(flagState('everyone', r.value), 'disabled');
  });

  it('resolves @current once to the numeric id and uses it afterwards', async () => {
    const c = make({ projectId: '@current' });
    assert.ok((await c.fetchSnapshot()).ok);
    assert.ok((await c.fetchSnapshot()).ok);
    assert.equal(fake.requests(/\/api\/projects\/@current\/$/).length, 1);
    assert.equal(fake.requests(/\/api\/projects\/1\/feature_flags\/$/).length, 2);
    assert.equal(c.projectId, 1);
  });

  it('falls back to users/@me without project:read, and names the scope when nothing works', async () => {
    fake.state.keys = [{ key: FAKE_KEY, scopes: ['feature_flag:read', 'user:read'] }];
    fake.state.injectCohortNames = false;
    const c = make({ projectId: '@current' });
    const r = await c.fetchSnapshot();
    assert.ok(r.ok);
    assert.equal(c.projectId, 1);
    assert.ok(r.value.warnings.some((w) => w.includes("'cohort:read'")), 'cohort names degrade to a warning');
    fake.state.keys = [{ key: FAKE_KEY, scopes: ['project:read'] }];
    const e = failed(await make().fetchSnapshot());
    assert.equal(e.kind, 'forbidden');
    assert.equal(e.scope, 'feature_flag:read');
    assert.match(e.message, /lacks the scope 'feature_flag:read'/);
  });

  it('asks for cohorts only when a referenced cohort is unnamed, and names group types', async () => {
    assert.ok((await make().fetchSnapshot()).ok);
    assert.equal(fake.requests(/cohorts/).length, 0, 'cohort_name was injected');
    fake.state.injectCohortNames = false;
    fake.project(1).group_types = [{ group_type: 'company', group_type_index: 0, name_singular: 'company', name_plural: 'companies' }];
    fake.project(1).flags.push({ id: 3, key: 'by-company', active: true, filters: { aggregation_group_type_index: 0, groups: [{ properties: [], rollout_percentage: 100 }] } });
    const r = await make().fetchSnapshot();
    assert.ok(r.ok);
    assert.equal(r.value.cohorts.get(42)?.name, 'Beta testers');
    assert.equal(r.value.cohorts.get(42)?.count, 12);
    assert.equal(r.value.groupTypes.get(0), 'companies');
    assert.equal(fake.requests(/cohorts\/$/).length, 1);
  });

  it('asks for the project once even without project:read', async () => {
    fake.state.keys = [{ key: FAKE_KEY, scopes: ['feature_flag:read'] }];
    const c = make();
    assert.ok((await c.fetchSnapshot()).ok);
    assert.ok((await c.fetchSnapshot()).ok);
    assert.equal(fake.requests(/^\/api\/projects\/1\/$/).length, 1);
  });

  it('reports 401 for a bad key and for a project key, quoting the detail', async () => {
    const bad = new PostHogClient({ host: fake.url, personalApiKey: 'phx_wrong_key_9999', projectId: 1, ...fast });
    clients.push(bad);
    const e = failed(await bad.fetchSnapshot());
    assert.equal(e.kind, 'unauthenticated');
    assert.equal(e.status, 401);
    assert.match(e.message, /Personal API key found in request Authorization header is invalid\./);
    assert.equal(e.message.includes('phx_wrong_key_9999'), false);
    const project = new PostHogClient({ host: fake.url, personalApiKey: 'phc_project_token', projectId: 1, ...fast });
    clients.push(project);
    assert.equal(failed(await project.fetchSnapshot()).kind, 'unauthenticated');
    assert.equal(fake.log.length, 2, '401 is not retried');
  });

  it('reports a wrong or restricted project', async () => {
    const e = failed(await make({ projectId: 99 }).fetchSnapshot());
    assert.equal(e.kind, 'not-found');
    assert.match(e.message, /Project 99 was not found.*"Project not found\."/);
    fake.state.keys = [{ key: FAKE_KEY, scopes: ['*'], projectIds: [2] }];
    const f = failed(await make().fetchSnapshot());
    assert.equal(f.kind, 'forbidden');
    assert.match(f.message, /does not have access to the requested project: ID 1/);
  });

  it('reports an unreachable port as offline', async () => {
    const dead: Server = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as { port: number }).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const c = make({}, { url: `http://127.0.0.1:${port}` });
    const e = failed(await c.fetchSnapshot());
    assert.equal(e.kind, 'offline');
    assert.match(e.message, /host unreachable: http:\/\/127\.0\.0\.1:\d+ \(connection refused\)/);
  });

  it('times out a slow response (headers) and a stalled body', async () => {
    fake.setFault({ kind: 'slow', delayMs: 1500 });
    const c = make({ timeoutMs: 200, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 5 } });
    const started = Date.now();
    const e = failed(await c.fetchSnapshot());
    assert.equal(e.kind, 'offline');
    assert.match(e.message, /timed out after 0\.2 s/);
    assert.ok(Date.now() - started < 1400, 'did not wait for the slow server');
    fake.setFault({ kind: 'slow-body', delayMs: 1500 });
    const b = failed(await make({ timeoutMs: 200, retry: { attempts: 1 } }).fetchSnapshot());
    assert.equal(b.kind, 'offline');
    assert.match(b.message, /timed out/);
  });

  it('treats a truncated body as a cut connection and garbage JSON as a bad response', async () => {
    fake.setFault({ kind: 'truncate' });
    const t = failed(await make({ retry: { attempts: 2, baseDelayMs: 5 } }).fetchSnapshot());
    assert.equal(t.kind, 'offline');
    assert.match(t.message, /connection closed before the response was complete/);
    fake.setFault({ kind: 'garbage' });
    const g = failed(await make({ retry: { attempts: 2, baseDelayMs: 5 } }).fetchSnapshot());
    assert.equal(g.kind, 'bad-response');
    assert.match(g.message, /not JSON/);
  });

  it('reports an HTML 502 from a proxy as a server error', async () => {
    fake.setFault({ kind: 'html', status: 502 });
    const e = failed(await make({ retry: { attempts: 2, baseDelayMs: 5 } }).fetchSnapshot());
    assert.equal(e.kind, 'server');
    assert.equal(e.status, 502);
    assert.match(e.message, /not JSON/);
  });

  it('retries a 500 and recovers', async () => {
    fake.setFault({ fault: { kind: 'status', status: 500 }, times: 2, path: /feature_flags/ });
    const r = await make().fetchSnapshot();
    assert.ok(r.ok);
    assert.equal(fake.requests(/feature_flags\/$/).length, 3);
  });

  it('waits at least Retry-After on 429 before the next request', async () => {
    fake.setFault({ fault: { kind: 'throttle', retryAfter: 1 }, times: 1, path: /feature_flags/ });
    const r = await make().fetchSnapshot();
    assert.ok(r.ok);
    const [first, second] = fake.requests(/feature_flags\/$/);
    assert.equal(first.status, 429);
    assert.ok(second.at - first.at >= 1000, `waited ${second.at - first.at} ms`);
  });

  it('returns throttled (with when) when Retry-After is past the deadline, and sends nothing until it passes', async () => {
    fake.setFault({ kind: 'throttle', retryAfter: 12 });
    const c = make({ requestDeadlineMs: 2000 });
    const e = failed(await c.fetchSnapshot());
    assert.equal(e.kind, 'throttled');
    assert.equal(e.retryAfterSeconds, 12);
    assert.match(e.message, /try again in 12 s.*"Request was throttled\. Expected available in 12 seconds\."/);
    const count = fake.log.length;
    failed(await c.fetchSnapshot());
    assert.equal(fake.log.length, count, 'no request while Retry-After is pending');
  });

  it('keeps to the request budget while PostHog fails', async () => {
    fake.setFault({ kind: 'status', status: 500 });
    const c = make({ retry: { attempts: 10, baseDelayMs: 1, maxDelayMs: 2 }, budget: { requests: 5, windowMs: 1000 }, requestDeadlineMs: 1500 });
    const results = await Promise.all([c.fetchSnapshot(), c.discoverProject(), c.whoAmI()]);
    for (const r of results) if (!r.ok) errors.push(r.error);
    const times = fake.log.map((e) => e.at);
    for (const t of times) assert.ok(times.filter((u) => u >= t && u < t + 1000).length <= 5, 'at most 5 requests in any 1 s');
    assert.ok(times.length >= 6, 'the budget refilled and requests continued');
  });

  it('fetches 10,000 flags in exactly ceil(10000/limit) list requests', async function () {
    this.timeout(20000);
    fake.project(1).flags = generateFlags(10_000, { seed: 7 });
    const c = make({ pageSize: 500 });
    const r = await c.fetchSnapshot();
    assert.ok(r.ok);
    assert.equal(r.value.flags.length, 10_000);
    const lists = fake.requests(/\/feature_flags\/$/, 'GET');
    assert.equal(lists.length, Math.ceil(10_000 / 500));
    assert.ok(lists.every((e) => new URLSearchParams(e.query).get('limit') === '500'));
  });

  it('never pages with fewer than 200 per request', async () => {
    fake.project(1).flags = generateFlags(450, { seed: 3 });
    const r = await make({ pageSize: 50 }).fetchSnapshot();
    assert.ok(r.ok);
    assert.equal(r.value.flags.length, 450);
    assert.equal(fake.requests(/\/feature_flags\/$/).length, 3);
  });

  it('follows next links on its own host when the server names another host', async () => {
    fake.project(1).flags = generateFlags(450, { seed: 3 });
    fake.state.nextBaseUrl = 'http://internal-proxy.invalid:8000';
    const r = await make().fetchSnapshot();
    assert.ok(r.ok);
    assert.equal(r.value.flags.length, 450);
    assert.equal(fake.requests(/\/feature_flags\/$/).length, 3);
  });

  it('shares an in-flight fetch and serves a fresh cache without requests', async () => {
    const c = make({ freshForMs: 60_000 });
    const [a, b] = await Promise.all([c.fetchSnapshot(), c.fetchSnapshot()]);
    assert.ok(a.ok && b.ok);
    assert.equal(a.value, b.value);
    const count = fake.log.length;
    const cached = await c.getSnapshot();
    assert.ok(cached.ok);
    assert.equal(fake.log.length, count);
  });

  it('serves the stale cache at once and revalidates in the background', async () => {
    const c = make({ freshForMs: 0 });
    const first = await c.fetchSnapshot();
    assert.ok(first.ok);
    fake.project(1).flags.push({ id: 9, key: 'added-later', active: true, filters: { groups: [] } });
    const updated = new Promise<boolean>((resolve) => c.onUpdate((r) => resolve(r.ok && r.value.byKey.has('added-later'))));
    const stale = await c.getSnapshot();
    assert.ok(stale.ok);
    assert.equal(stale.value, first.value);
    assert.equal(await updated, true);
  });

  it('learns that a flag seen earlier was deleted', async () => {
    const c = make();
    assert.ok((await c.fetchSnapshot()).ok);
    fake.project(1).flags.find((f) => f.key === 'everyone')!.deleted = true;
    const r = await c.fetchSnapshot();
    assert.ok(r.ok);
    assert.equal(flagState('everyone', r.value), 'deleted');
  });

  it('keeps the last good snapshot when a later fetch fails', async () => {
    const c = make({ retry: { attempts: 1 } });
    assert.ok((await c.fetchSnapshot()).ok);
    fake.setFault({ kind: 'status', status: 500 });
    failed(await c.fetchSnapshot());
    assert.equal(c.lastSnapshot?.flags.length, 2);
    assert.equal(c.lastError?.kind, 'server');
  });
});

describe('posthog client writes', () => {
  let fake: FakePostHog;
  let c: PostHogClient;
  beforeEach(async () => {
    fake = await startFakePostHog({
      projects: [{ id: 1, flags: [{ id: 5, key: 'everyone', active: false, filters: { groups: [{ properties: [], rollout_percentage: 100 }] }, version: 2 }] }],
    });
    c = client(fake);
  });
  afterEach(async () => {
    await c.close();
    await fake.close();
  });

  it('creates a disabled flag at 0% by default, sending filters explicitly', async () => {
    const r = await c.createFlag({ key: 'brand-new', name: 'Brand new' });
    assert.ok(r.ok);
    assert.equal(r.value.flag.active, false);
    const post = fake.requests(/feature_flags\/$/, 'POST')[0];
    assert.deepEqual((post.body as { filters: unknown }).filters, { groups: [{ properties: [], rollout_percentage: 0, variant: null }], payloads: {}, multivariate: null });
    const enabled = await c.createFlag({ key: 'at-30', rolloutPercentage: 30 });
    assert.ok(enabled.ok);
    assert.equal(enabled.value.flag.active, true);
    assert.equal(enabled.value.flag.filters.groups[0].rolloutPercentage, 30);
  });

  it('validates keys client-side and surfaces PostHog 400s as their own messages', async () => {
    const bad = failed(await c.createFlag({ key: 'has space' }));
    assert.equal(bad.kind, 'validation');
    assert.match(bad.message, /only letters, numbers, hyphens/i);
    assert.equal(failed(await c.createFlag({ key: 'x'.repeat(401) })).kind, 'validation');
    assert.equal(failed(await c.createFlag({ key: 'ok', rolloutPercentage: 140 })).kind, 'validation');
    assert.equal(fake.requests(/feature_flags\/$/, 'POST').length, 0, 'nothing sent');
    const dup = failed(await c.createFlag({ key: 'everyone' }));
    assert.equal(dup.kind, 'validation');
    assert.equal(dup.message, "Feature flag 'everyone' already exists in project 1: nothing was created.");
    assert.equal(fake.requests(/feature_flags\/$/, 'POST').length, 0, 'an existing key is refused before any POST');
    // A key the lookup cannot see (PostHog's internal flags are not listed) is refused by PostHog itself: its detail is quoted.
    fake.project(1).flags.push({ id: 990, key: 'internal-key', name: '', active: true, deleted: false, filters: { groups: [] }, version: 1, _internal: true });
    const hidden = failed(await c.createFlag({ key: 'internal-key' }));
    assert.equal(hidden.kind, 'validation');
    assert.equal(hidden.message, "PostHog refused to create flag 'internal-key': There is already a feature flag with this key.");
    assert.equal(fake.requests(/feature_flags\/$/, 'POST').length, 1);
  });

  it('a duplicate create that arrives just after the first finished gets its answer, not a second POST or "already exists"', async () => {
    const first = await c.createFlag({ key: 'double-click' });
    const second = await c.createFlag({ key: 'double-click' });
    assert.ok(first.ok && second.ok);
    assert.deepEqual(second.value, first.value);
    assert.equal(fake.requests(/feature_flags\/$/, 'POST').length, 1);
    // Another call for the same key (other arguments) is a new write: the key exists now, so it is refused before a POST.
    const other = failed(await c.createFlag({ key: 'double-click', rolloutPercentage: 50 }));
    assert.match(other.message, /already exists/);
    assert.equal(fake.requests(/feature_flags\/$/, 'POST').length, 1);
  });

  it('does not resend a create after a dropped connection: a re-read decides', async () => {
    fake.setFault({ fault: { kind: 'drop-after-apply' }, times: 1, method: 'POST' });
    const r = await c.createFlag({ key: 'lost-answer' });
    assert.ok(r.ok);
    assert.equal(r.value.confirmedByReread, true);
    assert.equal(fake.requests(/feature_flags\/$/, 'POST').length, 1);
    fake.setFault({ fault: { kind: 'drop' }, times: 1, method: 'POST' });
    const e = failed(await c.createFlag({ key: 'never-landed' }));
    assert.equal(e.kind, 'offline');
    assert.match(e.message, /re-read shows the flag was not created/);
    assert.equal(fake.requests(/feature_flags\/$/, 'POST').length, 2);
  });

  it('toggles by re-reading, PATCHing only active with version + original_flag, and reports release to everyone', async () => {
    const r = await c.toggleFlag('everyone', true, { version: 2 });
    assert.ok(r.ok);
    assert.equal(r.value.active, true);
    assert.equal(r.value.version, 3);
    assert.equal(r.value.releasesToEveryone, true);
    const patch = fake.requests(/feature_flags\/5\/$/, 'PATCH')[0];
    const body = patch.body as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['active', 'original_flag', 'version']);
    assert.equal(body.version, 2);
    const again = await c.toggleFlag('everyone', true);
    assert.ok(again.ok);
    assert.equal(again.value.changed, false);
    assert.equal(fake.requests(/PATCH/).length + fake.requests(/feature_flags\/5\/$/, 'PATCH').length, 1);
  });

  it('refuses a toggle when the flag changed since the caller saw it', async () => {
    const e = failed(await c.toggleFlag('everyone', true, { version: 1 }));
    assert.equal(e.kind, 'conflict');
    assert.match(e.message, /changed in PostHog.*version 1 → 2/);
    assert.equal(fake.requests(/feature_flags\/5\/$/, 'PATCH').length, 0);
  });

  it('surfaces PostHog refusals and a missing flag', async () => {
    fake.project(1).flags.push({ id: 6, key: 'child', active: true, filters: { groups: [{ properties: [{ key: '5', type: 'flag', value: true, operator: 'flag_evaluates_to' }] }] } });
    fake.project(1).flags[0].active = true;
    const e = failed(await c.toggleFlag('everyone', false));
    assert.equal(e.kind, 'validation');
    assert.match(e.message, /other flags depend on it: child \(ID: 6\)/);
    assert.equal(failed(await c.toggleFlag('nope', true)).kind, 'not-found');
  });

  it('does not resend a toggle after a dropped connection, and shares a duplicate call', async () => {
    fake.setFault({ fault: { kind: 'drop-after-apply' }, times: 1, method: 'PATCH' });
    const [a, b] = await Promise.all([c.toggleFlag('everyone', true), c.toggleFlag('everyone', true)]);
    assert.ok(a.ok && b.ok);
    assert.equal(a, b);
    assert.equal(a.value.confirmedByReread, true);
    assert.equal(fake.requests(/feature_flags\/5\/$/, 'PATCH').length, 1);
    const clash = await Promise.all([c.toggleFlag('everyone', false), c.toggleFlag('everyone', true)]);
    assert.equal(clash[1].ok, false);
    assert.equal(failed(clash[1]).kind, 'conflict');
  });

  it('reports the missing write scope by name', async () => {
    fake.state.keys = [{ key: FAKE_KEY, scopes: ['feature_flag:read'] }];
    const e = failed(await c.toggleFlag('everyone', true));
    assert.equal(e.kind, 'forbidden');
    assert.equal(e.scope, 'feature_flag:write');
    assert.equal(JSON.stringify(e).includes(FAKE_KEY), false);
  });
});

describe('posthog client: the key in errors and logs', () => {
  it('appears in no error message, error object or log line of the suites above', () => {
    const everything = JSON.stringify(errors) + logLines.join('\n');
    assert.ok(errors.length >= 15, `collected ${errors.length} errors`);
    assert.ok(logLines.length > 20);
    assert.equal(everything.includes(FAKE_KEY), false);
    assert.equal(everything.includes('phx_wrong_key_9999'), false);
    assert.equal(everything.includes('testkey'), false);
  });
});
