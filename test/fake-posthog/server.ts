/**
 * A fake PostHog private REST API on 127.0.0.1, behaving as
 * ../shared/docs/posthog-api.md §11 describes (not as is convenient):
 * PostHog's auth/scope bodies, discovery, limit/offset paging with absolute
 * `next` URLs, list filters, create validation with the §7 bodies, PATCH with
 * version bumps and 409 conflicts, soft delete (DELETE → 405), cohorts, a
 * 429 budget, and injectable faults (5xx, HTML pages, slow, dropped and
 * truncated responses, garbage JSON). Every request is logged.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FakeKey, FakeProject, FakeShape, FakeState, RawCohort, RawFlag } from './state';

export type { FakeKey, FakeProject, FakeShape, FakeState, RawCohort, RawFlag } from './state';

export const FAKE_KEY = 'phx_testkey_fake_0001';
export const FAKE_PROJECT_TOKEN = 'phc_fake_project_token_0001';
const DAY_MS = 86400000;

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: number }
  | { kind: 'html'; status: 502 | 504 | number }
  | { kind: 'throttle'; retryAfter: number }
  | { kind: 'drop' }
  | { kind: 'drop-after-apply' }
  | { kind: 'truncate' }
  | { kind: 'garbage' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'slow-body'; delayMs: number };

export interface FaultRule {
  fault: Fault;
  /** How many matching requests it affects (default: all until cleared). */
  times?: number;
  method?: string;
  path?: RegExp;
}

export interface LogEntry {
  method: string;
  path: string;
  /** Query string without `?`. */
  query: string;
  authorization?: string;
  body?: unknown;
  /** 0 when the connection was dropped. */
  status: number;
  at: number;
  fault?: Fault['kind'];
}

export interface FakeOptions {
  port?: number;
  shape?: FakeShape;
  keys?: FakeKey[];
  /** Projects to create (default one project, id 1, no flags). */
  projects?: { id: number; name?: string; flags?: RawFlag[]; cohorts?: RawCohort[]; groupTypes?: FakeProject['group_types']; persons?: FakeProject['persons'] }[];
  currentProjectId?: number;
  nextBaseUrl?: string;
  rateLimit?: { limit: number; windowMs: number };
  injectCohortNames?: boolean;
  now?: () => Date;
}

export interface FakePostHog {
  url: string;
  port: number;
  state: FakeState;
  log: LogEntry[];
  /** Replace the active faults (none = clear). A bare Fault applies to every request. */
  setFault(...rules: (FaultRule | Fault | null)[]): void;
  project(id?: number): FakeProject;
  /** Requests whose path matches. */
  requests(path?: RegExp, method?: string): LogEntry[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: string;
}

const err = (status: number, type: string, code: string, detail: string, attr: string | null = null, headers?: Record<string, string>): Reply => ({
  status,
  body: { type, code, detail, attr },
  headers,
});
const notFound = (detail = 'Not found.') => err(404, 'invalid_request', 'not_found', detail);
const validation = (code: string, detail: string, attr: string | null) => err(400, 'validation_error', code, detail, attr);
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function html(status: number): Reply {
  const title = status === 504 ? '504 Gateway Time-out' : status === 502 ? '502 Bad Gateway' : `${status} Error`;
  return { status, raw: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`, headers: { 'content-type': 'text/html' } };
}

function hasScope(key: FakeKey, required: string): boolean {
  const scopes = key.scopes ?? [];
  if (scopes.length === 0 || scopes.includes('*') || scopes.includes(required)) return true;
  const [object, action] = required.split(':');
  return action === 'read' && scopes.includes(`${object}:write`);
}

/** The fully-rolled-out pattern of §9. */
function fullyRolledOut(f: RawFlag): boolean {
  const filters = isObject(f.filters) ? f.filters : {};
  const groups = Array.isArray(filters.groups) ? (filters.groups as Json[]) : [];
  const variants = isObject(filters.multivariate) && Array.isArray(filters.multivariate.variants) ? (filters.multivariate.variants as Json[]) : [];
  if (!variants.length) return groups.length === 0 || groups.some((g) => g.rollout_percentage === 100 && !(g.properties as unknown[] | undefined)?.length);
  return groups.some((g) => g.rollout_percentage === 100 && !(g.properties as unknown[] | undefined)?.length && (g.variant || variants.some((v) => v.rollout_percentage === 100)));
}

export async function startFakePostHog(opts: FakeOptions = {}): Promise<FakePostHog> {
  const state: FakeState = {
    shape: opts.shape ?? 'newest',
    keys: opts.keys ?? [{ key: FAKE_KEY, scopes: ['*'] }],
    projects: new Map(),
    currentProjectId: opts.currentProjectId ?? opts.projects?.[0]?.id ?? 1,
    user: { id: 1, uuid: '0188-user', distinct_id: 'dev-distinct-id', email: 'dev@acme.com', first_name: 'Dev' },
    nextFlagId: 1,
    nextBaseUrl: opts.nextBaseUrl,
    rateLimit: opts.rateLimit,
    injectCohortNames: opts.injectCohortNames,
    now: opts.now ?? (() => new Date()),
  };
  for (const p of opts.projects ?? [{ id: 1 }]) {
    state.projects.set(p.id, {
      id: p.id,
      name: p.name ?? `Project ${p.id}`,
      api_token: FAKE_PROJECT_TOKEN,
      group_types: p.groupTypes ?? [],
      flags: p.flags ? p.flags.map((f) => ({ ...f })) : [],
      cohorts: p.cohorts ? p.cohorts.map((c) => ({ ...c })) : [],
      persons: p.persons ? p.persons.map((x) => ({ ...x })) : [],
    });
    for (const f of p.flags ?? []) state.nextFlagId = Math.max(state.nextFlagId, f.id + 1);
  }

  const log: LogEntry[] = [];
  let faults: (FaultRule & { left: number })[] = [];
  const windows = new Map<string, { start: number; count: number }>();
  const sockets = new Set<Socket>();

  const nowIso = () => state.now().toISOString();

  // ---------- serialization ----------
  function statusOf(f: RawFlag): string {
    if (typeof f._status === 'string') return f._status;
    if (f.deleted) return 'DELETED';
    if (f.archived && state.shape === 'newest') return 'ARCHIVED';
    if (!f.active) return 'ACTIVE';
    const now = state.now().getTime();
    const called = typeof f.last_called_at === 'string' ? Date.parse(f.last_called_at) : undefined;
    const created = typeof f.created_at === 'string' ? Date.parse(f.created_at) : now;
    const old = now - created > 30 * DAY_MS;
    if (state.shape === 'older') {
      if ((called !== undefined && now - called > 30 * DAY_MS) || (called === undefined && old)) return 'INACTIVE';
      return old && fullyRolledOut(f) ? 'STALE' : 'ACTIVE';
    }
    if (called !== undefined) return now - called > 30 * DAY_MS ? 'STALE' : 'ACTIVE';
    return old && fullyRolledOut(f) ? 'STALE' : 'ACTIVE';
  }

  function serializeFilters(p: FakeProject, filters: unknown): unknown {
    if (!isObject(filters)) return filters;
    const inject = state.injectCohortNames ?? state.shape === 'newest';
    if (!inject || !Array.isArray(filters.groups)) return filters;
    return {
      ...filters,
      groups: (filters.groups as Json[]).map((g) => ({
        ...g,
        properties: Array.isArray(g.properties)
          ? (g.properties as Json[]).map((prop) => {
              if (prop.type !== 'cohort') return prop;
              const c = p.cohorts.find((x) => x.id === Number(prop.value));
              return { ...prop, cohort_name: c && !c.deleted ? c.name : null };
            })
          : g.properties,
      })),
    };
  }

  function serializeFlag(p: FakeProject, f: RawFlag): Json {
    const out: Json = {};
    for (const [k, v] of Object.entries(f)) if (!k.startsWith('_')) out[k] = v;
    out.filters = serializeFilters(p, f.filters);
    out.status = statusOf(f);
    out.can_edit = true;
    out.surveys = [];
    out.features = [];
    out.usage_dashboard = null;
    out.analytics_dashboards = [];
    out.a_field_from_the_future = { nested: [1, 2, 3] };
    if (state.shape === 'older') {
      const filters = isObject(f.filters) ? f.filters : {};
      const groups = Array.isArray(filters.groups) ? (filters.groups as Json[]) : [];
      const simple = groups.length === 1 && !(groups[0].properties as unknown[] | undefined)?.length;
      out.is_simple_flag = simple;
      out.rollout_percentage = simple ? (groups[0].rollout_percentage ?? null) : null;
      out.evaluation_tags = [];
      delete out.archived;
    } else {
      out.evaluation_contexts = [];
      out.archived = f.archived === true;
    }
    return out;
  }

  // ---------- paging ----------
  function page<T>(req: IncomingMessage, url: URL, items: T[], map: (x: T) => unknown): Reply {
    const limitRaw = Number(url.searchParams.get('limit'));
    const limit = Number.isInteger(limitRaw) && limitRaw > 0 ? limitRaw : 100;
    const offsetRaw = Number(url.searchParams.get('offset'));
    const offset = Number.isInteger(offsetRaw) && offsetRaw > 0 ? offsetRaw : 0;
    const base = state.nextBaseUrl ?? `http://${req.headers.host}`;
    const link = (o: number | null) => {
      const q = new URLSearchParams(url.searchParams);
      q.set('limit', String(limit));
      if (o === null || o <= 0) q.delete('offset');
      else q.set('offset', String(o));
      return `${base}${url.pathname}?${q.toString()}`;
    };
    return {
      status: 200,
      body: {
        count: items.length,
        next: offset + limit < items.length ? link(offset + limit) : null,
        previous: offset > 0 ? link(offset - limit) : null,
        results: items.slice(offset, offset + limit).map(map),
      },
    };
  }

  // ---------- flags ----------
  function listFlags(req: IncomingMessage, url: URL, p: FakeProject): Reply {
    const q = url.searchParams;
    let flags = p.flags.filter((f) => !f.deleted && !f._internal);
    if (state.shape === 'newest' && q.get('archived') !== 'true') flags = flags.filter((f) => !f.archived);
    if (state.shape === 'newest' && q.get('archived') === 'true') flags = flags.filter((f) => f.archived);
    const search = q.get('search');
    if (search !== null) {
      if (state.shape === 'newest' && search.length > 200) return validation('invalid_input', 'Search term cannot exceed 200 characters', 'search');
      const norm = (s: string) => (state.shape === 'newest' ? s.toLowerCase().replace(/[-_ ]/g, ' ') : s.toLowerCase());
      const needle = norm(search);
      flags = flags.filter((f) => norm(f.key).includes(needle) || norm(String(f.name ?? '')).includes(needle));
    }
    const key = q.get('key');
    if (key !== null && state.shape === 'newest') flags = flags.filter((f) => f.key.toLowerCase() === key.toLowerCase());
    const active = q.get('active');
    if (active === 'true') flags = flags.filter((f) => f.active);
    else if (active === 'false') flags = flags.filter((f) => !f.active);
    else if (active === 'STALE') {
      const now = state.now().getTime();
      flags = flags.filter((f) => {
        if (!f.active) return false;
        if (typeof f.last_called_at === 'string') return now - Date.parse(f.last_called_at) > 30 * DAY_MS;
        const old = typeof f.created_at === 'string' && now - Date.parse(f.created_at) > 30 * DAY_MS;
        const empty = isObject(f.filters) && Object.keys(f.filters).length === 0;
        const defaultEmpty = isObject(f.filters) && Array.isArray(f.filters.groups) && f.filters.groups.length === 0 && Object.keys(f.filters).length === 1;
        return old && (empty || (!defaultEmpty && fullyRolledOut(f)));
      });
    }
    const type = q.get('type');
    if (type) {
      const isMv = (f: RawFlag) => isObject(f.filters) && isObject(f.filters.multivariate) && Array.isArray(f.filters.multivariate.variants) && f.filters.multivariate.variants.length > 0;
      const isExp = (f: RawFlag) => Array.isArray(f.experiment_set) && f.experiment_set.length > 0;
      flags = flags.filter((f) =>
        type === 'boolean' ? !isMv(f) : type === 'multivariant' ? isMv(f) : type === 'experiment' ? isExp(f) : type === 'remote_config' ? f.is_remote_configuration === true : true,
      );
    }
    const tags = q.get('tags');
    if (tags) {
      let wanted: string[] = [];
      try {
        const parsed = JSON.parse(tags);
        if (Array.isArray(parsed)) wanted = parsed.map(String);
      } catch {
        wanted = [];
      }
      if (wanted.length) flags = flags.filter((f) => Array.isArray(f.tags) && f.tags.some((t) => wanted.includes(String(t))));
    }
    const order = q.get('order');
    const sorted = [...flags].sort((a, b) => {
      if (order === 'key') return a.key.localeCompare(b.key);
      return String(b.created_at ?? '').localeCompare(String(a.created_at ?? '')) || b.id - a.id;
    });
    return page(req, url, sorted, (f) => serializeFlag(p, f));
  }

  function validateKey(p: FakeProject, key: unknown, selfId?: number): Reply | undefined {
    if (key === undefined || key === null) return validation('required', 'This field is required.', 'key');
    if (typeof key !== 'string') return validation('invalid', 'Not a valid string.', 'key');
    if (key === '') return validation('blank', 'This field may not be blank.', 'key');
    if (key.length > 400) return validation('max_length', 'Ensure this field has no more than 400 characters.', 'key');
    if (!/^[a-zA-Z0-9_-]+$/.test(key)) return validation('invalid_key', 'Only letters, numbers, hyphens (-) & underscores (_) are allowed.', 'key');
    if (p.flags.some((f) => f.key === key && !f.deleted && f.id !== selfId)) return validation('unique', 'There is already a feature flag with this key.', 'key');
    return undefined;
  }

  function validateFilters(p: FakeProject, filters: unknown, creating: boolean): Reply | undefined {
    if (!isObject(filters)) return undefined;
    const groups = Array.isArray(filters.groups) ? (filters.groups as Json[]) : undefined;
    if (creating && groups && groups.length === 0) return validation('invalid_input', 'Feature flags must have at least one condition set (group).', 'filters');
    const variants = isObject(filters.multivariate) && Array.isArray(filters.multivariate.variants) ? (filters.multivariate.variants as Json[]) : [];
    if (variants.length) {
      const sum = variants.reduce((s, v) => s + Number(v.rollout_percentage ?? 0), 0);
      if (sum !== 100) {
        return state.shape === 'newest'
          ? validation('cross_field.variant_rollout_sum_not_100', `multivariate.variants: Variant rollout percentages must sum to 100, got ${sum}.`, 'filters')
          : validation('invalid_input', 'Invalid variant definitions: Variant rollout percentages must sum to 100.', 'filters');
      }
    }
    for (const [i, g] of (groups ?? []).entries()) {
      if (typeof g.variant === 'string' && !variants.some((v) => v.key === g.variant)) {
        return state.shape === 'newest'
          ? validation('cross_field.group_variant_not_a_variant', `groups[${i}].variant: Variant override '${g.variant}' does not match any variant key.`, 'filters')
          : validation('invalid_input', 'Filters are not valid (variant override does not exist)', 'filters');
      }
      for (const prop of Array.isArray(g.properties) ? (g.properties as Json[]) : []) {
        if (prop.type === 'cohort' && !p.cohorts.some((c) => c.id === Number(prop.value) && !c.deleted)) {
          return validation('cohort_does_not_exist', `Cohort with id ${prop.value} does not exist`, 'filters');
        }
        const op = String(prop.operator ?? 'exact');
        if (['icontains', 'not_icontains', 'regex', 'not_regex', 'gt', 'gte', 'lt', 'lte'].includes(op) && typeof prop.value !== 'string' && typeof prop.value !== 'number') {
          return validation('invalid_value', `Invalid value for operator ${op}: ${JSON.stringify(prop.value).replace(/"/g, "'").replace(/,/g, ', ')}`, 'filters');
        }
      }
    }
    return undefined;
  }

  function normalizePayloads(filters: Json): Json {
    if (!isObject(filters.payloads)) return filters;
    const payloads: Json = {};
    for (const [k, v] of Object.entries(filters.payloads)) payloads[k] = typeof v === 'string' ? v : JSON.stringify(v);
    return { ...filters, payloads };
  }

  function normalizeGroups(filters: Json): Json {
    if (!Array.isArray(filters.groups)) return filters;
    return { ...filters, groups: (filters.groups as Json[]).map((g) => ({ properties: [], rollout_percentage: null, variant: null, ...g })) };
  }

  function createFlag(p: FakeProject, body: Json): Reply {
    const keyError = validateKey(p, body.key);
    if (keyError) return keyError;
    const filtersError = validateFilters(p, body.filters, true);
    if (filtersError) return filtersError;
    p.flags = p.flags.filter((f) => !(f.deleted && f.key === body.key)); // reuse of a soft-deleted key
    const defaultFilters = state.shape === 'newest' ? { groups: [] } : { groups: [{ properties: [], rollout_percentage: null, variant: null }] };
    const filters = isObject(body.filters) ? normalizeGroups(normalizePayloads({ payloads: {}, ...body.filters })) : { ...defaultFilters, payloads: {} };
    const flag: RawFlag = {
      id: state.nextFlagId++,
      key: body.key as string,
      name: typeof body.name === 'string' ? body.name : '',
      active: typeof body.active === 'boolean' ? body.active : true,
      deleted: false,
      filters,
      created_at: nowIso(),
      created_by: { id: state.user.id, uuid: state.user.uuid, distinct_id: state.user.distinct_id, first_name: state.user.first_name, email: state.user.email },
      updated_at: nowIso(),
      last_modified_by: null,
      version: 1,
      ensure_experience_continuity: body.ensure_experience_continuity === true,
      experiment_set: [],
      tags: Array.isArray(body.tags) ? body.tags : [],
      last_called_at: null,
      evaluation_runtime: typeof body.evaluation_runtime === 'string' ? body.evaluation_runtime : 'all',
      is_remote_configuration: body.is_remote_configuration === true,
    };
    if (state.shape === 'newest') flag.archived = false;
    p.flags.push(flag);
    return { status: 201, body: serializeFlag(p, flag) };
  }

  function dependents(p: FakeProject, f: RawFlag): RawFlag[] {
    return p.flags.filter(
      (o) =>
        o.id !== f.id &&
        o.active &&
        !o.deleted &&
        isObject(o.filters) &&
        Array.isArray(o.filters.groups) &&
        (o.filters.groups as Json[]).some((g) => Array.isArray(g.properties) && (g.properties as Json[]).some((prop) => prop.type === 'flag' && String(prop.key) === String(f.id))),
    );
  }

  function updateFlag(p: FakeProject, f: RawFlag, body: Json): Reply {
    if ('key' in body) {
      const e = validateKey(p, body.key, f.id);
      if (e) return e;
    }
    if ('filters' in body) {
      const e = validateFilters(p, body.filters, false);
      if (e) return e;
    }
    const changes = Object.keys(body).filter((k) => k !== 'version' && k !== 'original_flag');
    if (typeof body.version === 'number' && isObject(body.original_flag) && body.version !== f.version) {
      const original = body.original_flag;
      const touched = changes.some((k) => JSON.stringify(original[k]) !== JSON.stringify(f[k]));
      if (touched) {
        const by = isObject(f.last_modified_by) && typeof f.last_modified_by.email === 'string' ? f.last_modified_by.email : state.user.email;
        return err(409, 'server_error', 'conflict', `The feature flag was updated by ${by} since you started editing it. Please refresh and try again.`);
      }
    }
    const deps = dependents(p, f);
    const list = deps.map((d) => `${d.key} (ID: ${d.id})`).join(', ');
    if (body.deleted === true && !f.deleted && deps.length) {
      return validation('invalid_input', `Cannot delete this feature flag because other flags depend on it: ${list}. Please update or delete the dependent flags first.`, null);
    }
    if (body.active === false && f.active && deps.length) {
      return validation('invalid_input', `Cannot disable this feature flag because other flags depend on it: ${list}. Please update or disable the dependent flags first.`, null);
    }
    for (const k of changes) {
      if (k === 'filters') {
        if (!isObject(body.filters)) continue;
        if (state.shape === 'older') {
          if (!Array.isArray(body.filters.groups)) continue; // older releases ignore filters without groups
          f.filters = normalizeGroups(normalizePayloads(body.filters));
        } else {
          f.filters = normalizeGroups(normalizePayloads({ ...(isObject(f.filters) ? f.filters : {}), ...body.filters }));
        }
      } else if (['id', 'created_at', 'created_by', 'version', 'status', 'last_called_at'].includes(k)) {
        continue; // read-only
      } else f[k] = body[k];
    }
    f.version = (typeof f.version === 'number' ? f.version : 0) + 1;
    f.updated_at = nowIso();
    f.last_modified_by = { id: state.user.id, email: state.user.email, first_name: state.user.first_name };
    return { status: 200, body: serializeFlag(p, f) };
  }

  // ---------- local evaluation ----------
  function localEvaluation(p: FakeProject, url: URL): Reply {
    const flags = p.flags
      .filter((f) => !f.deleted)
      .map((f) => {
        const out: Json = {};
        for (const k of ['id', 'team_id', 'name', 'key', 'filters', 'deleted', 'active', 'ensure_experience_continuity', 'version', 'evaluation_runtime', 'bucketing_identifier', 'has_experiment']) {
          if (k in f) out[k] = f[k];
        }
        return { team_id: p.id, evaluation_runtime: 'all', ...out };
      });
    const body: Json = { flags, group_type_mapping: Object.fromEntries(p.group_types.map((g) => [String(g.group_type_index), g.group_type])) };
    if (url.searchParams.has('send_cohorts')) {
      const cohorts: Json = {};
      for (const c of p.cohorts) {
        if (c.deleted || c.is_static) continue;
        const filters = isObject(c.filters) ? c.filters : {};
        cohorts[String(c.id)] = isObject(filters.properties) ? filters.properties : {};
      }
      body.cohorts = cohorts;
    }
    return { status: 200, body };
  }

  // ---------- cohorts ----------
  function serializeCohort(c: RawCohort): Json {
    return {
      description: '',
      is_static: false,
      count: null,
      is_calculating: false,
      deleted: false,
      created_at: '2026-01-01T00:00:00Z',
      filters: { properties: { type: 'OR', values: [] } },
      ...c,
    };
  }

  // ---------- routing ----------
  function authenticate(req: IncomingMessage, url: URL): { key?: FakeKey; reply?: Reply } {
    const base = `http://${req.headers.host}`;
    const wwwAuth = { 'www-authenticate': state.shape === 'newest' ? `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource"` : 'Bearer' };
    const header = req.headers.authorization;
    let token: string | undefined;
    let where = 'request Authorization header';
    if (header && /^Bearer\s+/i.test(header)) token = header.replace(/^Bearer\s+/i, '').trim();
    else if (url.searchParams.get('personal_api_key')) {
      token = url.searchParams.get('personal_api_key')!;
      where = 'request query string';
    }
    if (!token) return { reply: err(401, 'authentication_error', 'not_authenticated', 'Authentication credentials were not provided.', null, wwwAuth) };
    const key = token.startsWith('phc_') ? undefined : state.keys.find((k) => k.key === token);
    if (!key) return { reply: err(401, 'authentication_error', 'authentication_failed', `Personal API key found in ${where} is invalid.`, null, wwwAuth) };
    return { key };
  }

  function throttle(key: FakeKey): Reply | undefined {
    const rl = state.rateLimit;
    if (!rl) return undefined;
    const now = Date.now();
    let w = windows.get(key.key);
    if (!w || now - w.start >= rl.windowMs) {
      w = { start: now, count: 0 };
      windows.set(key.key, w);
    }
    w.count++;
    if (w.count <= rl.limit) return undefined;
    const wait = Math.ceil((w.start + rl.windowMs - now) / 1000);
    return throttledReply(wait);
  }

  function throttledReply(wait: number): Reply {
    const detail = `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`;
    return err(429, 'throttled_error', 'throttled', detail, null, wait > 0 ? { 'retry-after': String(wait) } : {});
  }

  function resolveProject(key: FakeKey, pid: string): Reply | FakeProject {
    const id = pid === '@current' ? state.currentProjectId : /^\d+$/.test(pid) ? Number(pid) : NaN;
    const p = state.projects.get(id);
    if (!p) return notFound('Project not found.');
    if (key.projectIds && !key.projectIds.includes(p.id)) {
      return err(403, 'authentication_error', 'permission_denied', `API key does not have access to the requested project: ID ${p.id}.`);
    }
    return p;
  }

  function route(req: IncomingMessage, url: URL, key: FakeKey, body: unknown): Reply {
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    const need = (scope: string): Reply | undefined =>
      hasScope(key, scope) ? undefined : err(403, 'authentication_error', 'permission_denied', `API key missing required scope '${scope}'`);
    const readOrWrite = (object: string) => need(`${object}:${method === 'GET' || method === 'HEAD' ? 'read' : 'write'}`);
    const json = isObject(body) ? body : {};

    if (path === '/api/users/@me') {
      if (method !== 'GET') return err(405, 'invalid_request', 'method_not_allowed', `Method "${method}" not allowed.`);
      const denied = need('user:read');
      if (denied) return denied;
      const team = state.projects.get(state.currentProjectId);
      return {
        status: 200,
        body: {
          ...state.user,
          team: team ? { id: team.id, uuid: `team-${team.id}`, organization: 'org-uuid', api_token: team.api_token, name: team.name } : null,
          organization: { id: 'org-uuid', name: 'Acme' },
          organizations: [{ id: 'org-uuid', name: 'Acme' }],
        },
      };
    }
    if (path === '/api/projects') {
      const denied = need('project:read');
      if (denied) return denied;
      const visible = [...state.projects.values()].filter((p) => !key.projectIds || key.projectIds.includes(p.id));
      return page(req, url, visible, (p) => ({ id: p.id, name: p.name }));
    }
    // Local evaluation (§3.7): what server SDKs poll. The newest path finds the project by its token.
    if (path === '/flags/definitions' || path === '/api/feature_flag/local_evaluation') {
      const token = url.searchParams.get('token');
      const p = [...state.projects.values()].find((x) => x.api_token === token && (!key.projectIds || key.projectIds.includes(x.id)));
      if (!p) return err(401, 'authentication_error', 'authentication_failed', 'Project API key invalid. You can find your project API key in your PostHog project settings.');
      const denied = need('feature_flag:read');
      if (denied) return denied;
      return localEvaluation(p, url);
    }
    const m = /^\/api\/(?:projects|environments)\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return notFound();
    const resolved = resolveProject(key, decodeURIComponent(m[1]));
    if (!('flags' in resolved)) return resolved;
    const p = resolved;
    const rest = m[2] ?? '';

    if (rest === '') {
      const denied = need('project:read');
      if (denied) return denied;
      return { status: 200, body: { id: p.id, uuid: `team-${p.id}`, name: p.name, api_token: p.api_token, organization: 'org-uuid', timezone: 'UTC', group_types: p.group_types } };
    }
    if (rest === '/feature_flags') {
      const denied = readOrWrite('feature_flag');
      if (denied) return denied;
      if (method === 'GET') return listFlags(req, url, p);
      if (method === 'POST') return createFlag(p, json);
      return err(405, 'invalid_request', 'method_not_allowed', `Method "${method}" not allowed.`);
    }
    if (rest === '/feature_flags/local_evaluation') {
      const denied = need('feature_flag:read');
      if (denied) return denied;
      return localEvaluation(p, url);
    }
    const fm = /^\/feature_flags\/([^/]+)(\/status)?$/.exec(rest);
    if (fm) {
      const denied = readOrWrite('feature_flag');
      if (denied) return denied;
      if (method === 'DELETE') return { status: 405, raw: '' };
      const f = p.flags.find((x) => String(x.id) === fm[1]);
      if (!f) return notFound();
      if (fm[2]) {
        const s = statusOf(f).toLowerCase();
        return { status: 200, body: state.shape === 'newest' ? { status: s, reason: '', reason_states_rollout: false } : { status: s, reason: '' } };
      }
      if (method === 'GET') return { status: 200, body: serializeFlag(p, f) };
      if (method === 'PATCH' || method === 'PUT') return updateFlag(p, f, json);
      return err(405, 'invalid_request', 'method_not_allowed', `Method "${method}" not allowed.`);
    }
    if (rest === '/persons') {
      const denied = need('person:read');
      if (denied) return denied;
      const id = url.searchParams.get('distinct_id');
      const persons = (p.persons ?? []).filter((x) => id === null || x.distinct_ids.includes(id));
      return page(req, url, persons, (x) => ({ id: x.id, uuid: `person-${x.id}`, name: x.distinct_ids[0], distinct_ids: x.distinct_ids, properties: x.properties, created_at: '2026-01-01T00:00:00Z' }));
    }
    if (rest === '/cohorts') {
      const denied = readOrWrite('cohort');
      if (denied) return denied;
      let cohorts = p.cohorts.filter((c) => !c.deleted);
      const search = url.searchParams.get('search');
      if (search) cohorts = cohorts.filter((c) => c.name.toLowerCase().includes(search.toLowerCase()));
      return page(req, url, [...cohorts].sort((a, b) => b.id - a.id), serializeCohort);
    }
    const cm = /^\/cohorts\/([^/]+)$/.exec(rest);
    if (cm) {
      const denied = readOrWrite('cohort');
      if (denied) return denied;
      if (method === 'DELETE') return { status: 405, raw: '' };
      const c = p.cohorts.find((x) => String(x.id) === cm[1]);
      return c ? { status: 200, body: serializeCohort(c) } : notFound();
    }
    return notFound();
  }

  function takeFault(method: string, path: string): Fault | undefined {
    const i = faults.findIndex((f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || f.path.test(path)));
    if (i < 0) return undefined;
    faults[i].left--;
    return faults[i].fault;
  }

  function send(res: ServerResponse, reply: Reply) {
    const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
    const headers: Record<string, string> = { ...(reply.raw === undefined && reply.body !== undefined ? { 'content-type': 'application/json' } : {}), ...reply.headers };
    headers['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(reply.status, headers);
    res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, bodyText: string) {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const method = req.method ?? 'GET';
    let body: unknown;
    const entry: LogEntry = { method, path: url.pathname, query: url.search.replace(/^\?/, ''), authorization: req.headers.authorization, status: 0, at: Date.now() };
    log.push(entry);
    if (bodyText) {
      try {
        body = JSON.parse(bodyText);
        entry.body = body;
      } catch {
        entry.body = bodyText;
        entry.status = 400;
        return send(res, err(400, 'invalid_request', 'parse_error', 'JSON parse error - Expecting value: line 1 column 1 (char 0)'));
      }
    }
    const fault = takeFault(method, url.pathname);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.kind === 'status') {
      const reply =
        fault.status === 503
          ? err(503, 'server_error', 'database_unavailable', 'Database is unavailable. Please try again later.', null, { 'retry-after': String(fault.retryAfter ?? 1) })
          : err(fault.status, 'server_error', 'error', 'A server error occurred.', null, fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {});
      entry.status = reply.status;
      return send(res, reply);
    }
    if (fault?.kind === 'html') {
      entry.status = fault.status;
      return send(res, html(fault.status));
    }
    if (fault?.kind === 'throttle') {
      entry.status = 429;
      return send(res, throttledReply(fault.retryAfter));
    }
    const auth = authenticate(req, url);
    let reply: Reply;
    if (auth.reply) reply = auth.reply;
    else reply = throttle(auth.key!) ?? route(req, url, auth.key!, body);
    if (fault?.kind === 'drop-after-apply') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'garbage' && reply.status < 300) reply = { status: reply.status, raw: '{"count": 3, "results": [{"id": 1, "key": ', headers: { 'content-type': 'application/json' } };
    entry.status = reply.status;
    if (fault?.kind === 'truncate' || fault?.kind === 'slow-body') {
      const text = reply.raw ?? JSON.stringify(reply.body ?? {});
      const padded = text.length < 64 ? text.padEnd(64, ' ') : text;
      res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(padded)) });
      res.write(padded.slice(0, Math.floor(padded.length / 2)));
      if (fault.kind === 'truncate') setTimeout(() => req.socket.destroy(), 10);
      else
        setTimeout(() => {
          if (!res.destroyed) res.end(padded.slice(Math.floor(padded.length / 2)));
        }, fault.delayMs);
      return;
    }
    send(res, reply);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((e) => {
        if (!res.headersSent) send(res, err(500, 'server_error', 'error', `fake crashed: ${String(e)}`));
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    log,
    setFault(...rules) {
      faults = [];
      for (const r of rules) {
        if (!r) continue;
        const rule: FaultRule = 'kind' in r ? { fault: r } : r;
        faults.push({ ...rule, left: rule.times ?? Infinity });
      }
    },
    project(id) {
      const p = state.projects.get(id ?? state.currentProjectId);
      if (!p) throw new Error(`no project ${id}`);
      return p;
    },
    requests(path, method) {
      return log.filter((e) => (!path || path.test(e.path)) && (!method || e.method === method));
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
