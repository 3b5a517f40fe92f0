// Pins the fake PostHog to ../shared/docs/posthog-api.md (§1.4, §3, §6–§8, §11) with plain HTTP.
import assert from 'node:assert/strict';
import { FAKE_KEY, startFakePostHog, type FakeOptions, type FakePostHog } from '../fake-posthog';

interface Reply {
  status: number;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

describe('fake PostHog contract', () => {
  let fake: FakePostHog;
  const start = async (opts: FakeOptions = {}) => {
    await fake?.close();
    fake = await startFakePostHog({
      projects: [
        {
          id: 1,
          name: 'Acme',
          flags: [
            { id: 1, key: 'new-checkout', name: 'New checkout', active: true, deleted: false, version: 1, created_at: '2026-05-30T00:00:00Z', tags: ['growth'], filters: { groups: [{ properties: [{ key: 'id', type: 'cohort', value: 42 }], rollout_percentage: 100 }] } },
            { id: 2, key: 'old-banner', name: '', active: true, deleted: false, version: 1, created_at: '2025-01-01T00:00:00Z', last_called_at: '2025-02-01T00:00:00Z', filters: { groups: [{ properties: [], rollout_percentage: 50 }] } },
            { id: 3, key: 'full', name: '', active: true, deleted: false, version: 1, created_at: '2025-01-01T00:00:00Z', last_called_at: null, filters: { groups: [{ properties: [], rollout_percentage: 100 }] } },
            { id: 4, key: 'mv', name: '', active: false, deleted: false, version: 1, created_at: '2026-05-01T00:00:00Z', filters: { groups: [{ properties: [], rollout_percentage: 100 }], multivariate: { variants: [{ key: 'a', rollout_percentage: 50 }, { key: 'b', rollout_percentage: 50 }] } } },
          ],
          cohorts: [{ id: 42, name: 'Beta testers', count: 12 }, { id: 43, name: 'Old', deleted: true }, ...Array.from({ length: 150 }, (_, i) => ({ id: 100 + i, name: `c${i}` }))],
        },
        { id: 2 },
      ],
      now: () => new Date('2026-06-01T00:00:00Z'),
      ...opts,
    });
  };
  const call = async (method: string, path: string, body?: unknown, key: string | null = FAKE_KEY): Promise<Reply> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key) headers.authorization = `Bearer ${key}`;
    const res = await fetch(`${fake.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, headers: res.headers };
  };
  const flags = '/api/projects/1/feature_flags/';

  beforeEach(() => start());
  after(() => fake.close());

  describe('auth (§1.4)', () => {
    it('401 without credentials, with WWW-Authenticate', async () => {
      const r = await call('GET', flags, undefined, null);
      assert.equal(r.status, 401);
      assert.deepEqual(r.json, { type: 'authentication_error', code: 'not_authenticated', detail: 'Authentication credentials were not provided.', attr: null });
      assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
    });
    it('401 for an unknown key and for a phc_ project key; query-string wording', async () => {
      const body = { type: 'authentication_error', code: 'authentication_failed', detail: 'Personal API key found in request Authorization header is invalid.', attr: null };
      assert.deepEqual((await call('GET', flags, undefined, 'phx_unknown')).json, body);
      assert.deepEqual((await call('GET', flags, undefined, 'phc_fake_project_token_0001')).json, body);
      const q = await call('GET', `${flags}?personal_api_key=phx_nope`, undefined, null);
      assert.equal(q.json.detail, 'Personal API key found in request query string is invalid.');
      await start({ shape: 'older' });
      assert.equal((await call('GET', flags, undefined, null)).headers.get('www-authenticate'), 'Bearer');
    });
    it('403 naming the missing scope; write implies read; legacy empty scopes allow everything', async () => {
      fake.state.keys = [{ key: FAKE_KEY, scopes: ['feature_flag:read'] }];
      const r = await call('POST', flags, { key: 'x' });
      assert.equal(r.status, 403);
      assert.deepEqual(r.json, { type: 'authentication_error', code: 'permission_denied', detail: "API key missing required scope 'feature_flag:write'", attr: null });
      fake.state.keys = [{ key: FAKE_KEY, scopes: ['feature_flag:write'] }];
      assert.equal((await call('GET', flags)).status, 200);
      assert.equal((await call('GET', '/api/projects/1/cohorts/')).json.detail, "API key missing required scope 'cohort:read'");
      fake.state.keys = [{ key: FAKE_KEY, scopes: [] }];
      assert.equal((await call('GET', '/api/projects/1/cohorts/')).status, 200);
    });
    it('403 for a project-restricted key, 404 for an unknown project', async () => {
      fake.state.keys = [{ key: FAKE_KEY, scopes: ['*'], projectIds: [2] }];
      const r = await call('GET', flags);
      assert.equal(r.status, 403);
      assert.equal(r.json.detail, 'API key does not have access to the requested project: ID 1.');
      const n = await call('GET', '/api/projects/999/feature_flags/');
      assert.deepEqual(n.json, { type: 'invalid_request', code: 'not_found', detail: 'Project not found.', attr: null });
    });
  });

  describe('discovery (§2)', () => {
    it('answers @current and users/@me', async () => {
      const p = await call('GET', '/api/projects/@current/');
      assert.equal(p.json.id, 1);
      assert.equal(p.json.name, 'Acme');
      assert.match(p.json.api_token, /^phc_/);
      const me = await call('GET', '/api/users/@me/');
      assert.equal(me.json.team.id, 1);
      assert.equal((await call('GET', '/api/projects/@current/feature_flags/')).json.count, 4);
      assert.equal((await call('GET', '/api/environments/1/feature_flags')).status, 200, 'alias and optional slash');
    });
  });

  describe('list (§3.1)', () => {
    it('pages with limit (default 100) and offset, absolute next URLs, on another host when asked', async () => {
      const c = await call('GET', '/api/projects/1/cohorts/');
      assert.equal(c.json.count, 151);
      assert.equal(c.json.results.length, 100);
      assert.equal(c.json.next, `${fake.url}/api/projects/1/cohorts/?limit=100&offset=100`);
      assert.equal(c.json.previous, null);
      const bad = await call('GET', '/api/projects/1/cohorts/?limit=banana&unknown=1');
      assert.equal(bad.json.results.length, 100, 'invalid limit falls back, unknown params ignored');
      fake.state.nextBaseUrl = 'https://proxy.internal';
      const two = await call('GET', '/api/projects/1/cohorts/?limit=2&offset=2');
      assert.equal(two.json.next, 'https://proxy.internal/api/projects/1/cohorts/?limit=2&offset=4');
      assert.equal(two.json.previous, 'https://proxy.internal/api/projects/1/cohorts/?limit=2');
    });
    it('filters by search, key (newest only), active incl. STALE, type and tags', async () => {
      const keys = async (q: string) => ((await call('GET', `${flags}?${q}`)).json.results as { key: string }[]).map((f) => f.key).sort();
      assert.deepEqual(await keys('search=CHECKOUT'), ['new-checkout']);
      assert.deepEqual(await keys('search=new%20checkout'), ['new-checkout']);
      assert.deepEqual(await keys('key=NEW-CHECKOUT'), ['new-checkout']);
      assert.deepEqual(await keys('active=false'), ['mv']);
      assert.deepEqual(await keys('active=STALE'), ['full', 'old-banner']);
      assert.deepEqual(await keys('type=multivariant'), ['mv']);
      assert.deepEqual(await keys(`tags=${encodeURIComponent('["growth"]')}`), ['new-checkout']);
      await start({ shape: 'older' });
      assert.equal((await keys('key=new-checkout')).length, 4, 'older servers ignore key=');
    });
  });

  describe('shapes (§4, §11.8)', () => {
    it('newest: evaluation_contexts, archived, cohort_name, upper-case status, unknown fields', async () => {
      const f = (await call('GET', `${flags}1/`)).json;
      assert.equal(f.status, 'ACTIVE');
      assert.deepEqual(f.evaluation_contexts, []);
      assert.equal(f.archived, false);
      assert.equal(f.filters.groups[0].properties[0].cohort_name, 'Beta testers');
      assert.ok('a_field_from_the_future' in f);
      assert.equal((await call('GET', `${flags}3/`)).json.status, 'STALE');
    });
    it('older: is_simple_flag, rollout_percentage, evaluation_tags, INACTIVE, no cohort_name', async () => {
      await start({ shape: 'older' });
      const f = (await call('GET', `${flags}2/`)).json;
      assert.equal(f.status, 'INACTIVE');
      assert.equal(f.is_simple_flag, true);
      assert.equal(f.rollout_percentage, 50);
      assert.deepEqual(f.evaluation_tags, []);
      assert.equal('cohort_name' in (await call('GET', `${flags}1/`)).json.filters.groups[0].properties[0], false);
    });
  });

  describe('create (§3.3, §7)', () => {
    it('201 with the documented defaults', async () => {
      const r = await call('POST', flags, { key: 'new-thing', filters: { groups: [{ properties: [], rollout_percentage: 20 }], payloads: { true: { a: 1 } } } });
      assert.equal(r.status, 201);
      for (const [k, v] of Object.entries({ key: 'new-thing', name: '', active: true, deleted: false, version: 1, status: 'ACTIVE', last_called_at: null, evaluation_runtime: 'all' })) assert.deepEqual(r.json[k], v, k);
      assert.deepEqual(r.json.filters.groups[0], { properties: [], rollout_percentage: 20, variant: null });
      assert.equal(r.json.filters.payloads.true, '{"a":1}');
      assert.deepEqual((await call('POST', flags, { key: 'bare' })).json.filters.groups, [], 'newest stores {"groups": []}');
      await start({ shape: 'older' });
      assert.equal((await call('POST', flags, { key: 'bare' })).json.filters.groups.length, 1, 'older adds one empty group');
    });
    it('answers the exact §7 bodies, one error per response', async () => {
      const v = (code: string, detail: string, attr: string | null) => ({ type: 'validation_error', code, detail, attr });
      assert.deepEqual((await call('POST', flags, { key: 'new-checkout' })).json, v('unique', 'There is already a feature flag with this key.', 'key'));
      assert.deepEqual((await call('POST', flags, { key: 'bad key' })).json, v('invalid_key', 'Only letters, numbers, hyphens (-) & underscores (_) are allowed.', 'key'));
      assert.deepEqual((await call('POST', flags, { key: 'k'.repeat(401) })).json, v('max_length', 'Ensure this field has no more than 400 characters.', 'key'));
      assert.deepEqual((await call('POST', flags, { name: 'no key' })).json, v('required', 'This field is required.', 'key'));
      assert.deepEqual((await call('POST', flags, { key: '' })).json, v('blank', 'This field may not be blank.', 'key'));
      assert.deepEqual((await call('POST', flags, { key: 'ok', filters: { groups: [] } })).json, v('invalid_input', 'Feature flags must have at least one condition set (group).', 'filters'));
      const mv = { key: 'mv2', filters: { groups: [{ properties: [] }], multivariate: { variants: [{ key: 'a', rollout_percentage: 40 }, { key: 'b', rollout_percentage: 50 }] } } };
      assert.deepEqual((await call('POST', flags, mv)).json, v('cross_field.variant_rollout_sum_not_100', 'multivariate.variants: Variant rollout percentages must sum to 100, got 90.', 'filters'));
      assert.deepEqual((await call('POST', flags, { key: 'c', filters: { groups: [{ properties: [{ key: 'id', type: 'cohort', value: 77 }] }] } })).json, v('cohort_does_not_exist', 'Cohort with id 77 does not exist', 'filters'));
      await start({ shape: 'older' });
      assert.deepEqual((await call('POST', flags, mv)).json, v('invalid_input', 'Invalid variant definitions: Variant rollout percentages must sum to 100.', 'filters'));
      assert.equal((await call('POST', flags, { key: 'bad key', filters: { groups: [] } })).json.attr, 'key', 'only the first error');
    });
    it('creates over a soft-deleted key', async () => {
      await call('PATCH', `${flags}2/`, { deleted: true });
      const r = await call('POST', flags, { key: 'old-banner', filters: { groups: [{ properties: [] }] } });
      assert.equal(r.status, 201);
      assert.notEqual(r.json.id, 2);
    });
  });

  describe('update and delete (§3.4, §3.5)', () => {
    it('PATCH bumps version; a stale version with original_flag is a 409', async () => {
      const original = (await call('GET', `${flags}1/`)).json;
      const r = await call('PATCH', `${flags}1/`, { active: false });
      assert.equal(r.status, 200);
      assert.equal(r.json.version, 2);
      assert.equal(r.json.active, false);
      const c = await call('PATCH', `${flags}1/`, { active: true, version: 1, original_flag: original });
      assert.equal(c.status, 409);
      assert.deepEqual(c.json, { type: 'server_error', code: 'conflict', detail: 'The feature flag was updated by dev@acme.com since you started editing it. Please refresh and try again.', attr: null });
      const noCheck = await call('PATCH', `${flags}1/`, { active: true, version: 1 });
      assert.equal(noCheck.status, 200, 'without original_flag there is no check');
    });
    it('refuses to disable or delete a flag other active flags depend on', async () => {
      fake.project(1).flags.push({ id: 9, key: 'child', active: true, filters: { groups: [{ properties: [{ key: '1', type: 'flag', value: true, operator: 'flag_evaluates_to' }] }] } });
      const d = await call('PATCH', `${flags}1/`, { deleted: true });
      assert.equal(d.status, 400);
      assert.deepEqual(d.json, { type: 'validation_error', code: 'invalid_input', detail: 'Cannot delete this feature flag because other flags depend on it: child (ID: 9). Please update or delete the dependent flags first.', attr: null });
      assert.equal((await call('PATCH', `${flags}1/`, { active: false })).status, 400);
    });
    it('soft-deletes: gone from lists, still retrievable; DELETE is 405 empty, 403 first without write scope', async () => {
      assert.equal((await call('PATCH', `${flags}2/`, { deleted: true })).json.deleted, true);
      assert.equal((await call('GET', flags)).json.count, 3);
      assert.equal((await call('GET', `${flags}2/`)).json.deleted, true);
      const del = await call('DELETE', `${flags}3/`);
      assert.equal(del.status, 405);
      assert.equal(del.text, '');
      fake.state.keys = [{ key: FAKE_KEY, scopes: ['feature_flag:read'] }];
      assert.equal((await call('DELETE', `${flags}3/`)).status, 403);
    });
  });

  describe('cohorts (§6)', () => {
    it('lists live cohorts, retrieves deleted ones, 404 for others', async () => {
      const all = await call('GET', '/api/projects/1/cohorts/?limit=200');
      assert.equal(all.json.results.some((c: { id: number }) => c.id === 43), false);
      assert.equal((await call('GET', '/api/projects/1/cohorts/43/')).json.deleted, true);
      assert.equal((await call('GET', '/api/projects/1/cohorts/4242/')).status, 404);
    });
  });

  describe('rate limits and faults (§8, §11.10–11)', () => {
    it('429 with Retry-After and the singular "1 second"', async () => {
      await start({ rateLimit: { limit: 2, windowMs: 1000 } });
      await call('GET', flags);
      await call('GET', flags);
      const r = await call('GET', flags);
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '1');
      assert.deepEqual(r.json, { type: 'throttled_error', code: 'throttled', detail: 'Request was throttled. Expected available in 1 second.', attr: null });
      fake.setFault({ kind: 'throttle', retryAfter: 12 });
      assert.equal((await call('GET', flags)).json.detail, 'Request was throttled. Expected available in 12 seconds.');
    });
    it('500 JSON, 503 with Retry-After: 1, HTML 502/504, garbage JSON, each for `times` requests', async () => {
      fake.setFault({ fault: { kind: 'status', status: 500 }, times: 1 });
      assert.deepEqual((await call('GET', flags)).json, { type: 'server_error', code: 'error', detail: 'A server error occurred.', attr: null });
      assert.equal((await call('GET', flags)).status, 200);
      fake.setFault({ fault: { kind: 'status', status: 503 }, times: 1 });
      assert.equal((await call('GET', flags)).headers.get('retry-after'), '1');
      fake.setFault({ fault: { kind: 'html', status: 504 }, times: 1 });
      const h = await call('GET', flags);
      assert.equal(h.status, 504);
      assert.match(h.text, /<html>/);
      fake.setFault({ fault: { kind: 'garbage' }, times: 1 });
      assert.equal((await call('GET', flags)).json, undefined);
    });
    it('drops and truncates connections', async () => {
      fake.setFault({ fault: { kind: 'drop' }, times: 1 });
      await assert.rejects(call('GET', flags));
      fake.setFault({ fault: { kind: 'truncate' }, times: 1 });
      await assert.rejects(call('GET', flags));
      assert.equal(fake.log.filter((e) => e.fault).length, 2);
    });
  });
});
