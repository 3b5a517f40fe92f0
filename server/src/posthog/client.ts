/**
 * PostHog API client for flags: discovery, all flags through paging, cohort
 * names, a shared cache with stale-while-revalidate, and the two writes
 * (create, toggle) with PostHog's rules (posthog-api.md §2, §3, §6).
 *
 * Every method resolves to a Result; nothing throws for an expected failure.
 */
import { buildSnapshot, parseFlag, parseGroupTypes } from '../core/flags/parse';
import { everyoneGets } from '../core/flags/rollout';
import type { CohortInfo, Flag, FlagSnapshot } from '../core/flags/types';
import { flagKeyProblem } from '../shared/flag-key';
import type { Result } from '../core/types';
import { isAmbiguous, type PostHogError } from './errors';
import { HttpTransport, type HttpResponse, type TransportOptions } from './http';
import { redact } from './redact';
import { isJsonObject as isObject, type JsonObject as Json } from '../shared/json';

/** Every list request of one fetch uses this many items per page (contract: at least 200). */
export const DEFAULT_PAGE_SIZE = 200;
export const MIN_PAGE_SIZE = 200;
/** How long a successful write answers an identical call that arrives after it finished (guard). */
const DUPLICATE_WINDOW_MS = 10_000;

export interface ClientOptions extends Omit<TransportOptions, 'host' | 'personalApiKey'> {
  host: string;
  personalApiKey: string;
  projectId?: number | '@current';
  /** Items per list page (at least 200; default 200). */
  pageSize?: number;
  /** How long a fetched snapshot counts as fresh (default 30 s). */
  freshForMs?: number;
  /** Most vanished flags re-read per refresh to learn whether they were deleted (default 20). */
  maxDeletedProbes?: number;
  /**
   * Flags seen earlier (`check --since SNAPSHOT`): the first fetch re-reads
   * those that vanished from the list, as later fetches do for the previous
   * one, so a deletion since then is known as such. Used only when the
   * snapshot is of the same host and project.
   */
  seenBefore?: FlagSnapshot;
}

export interface ProjectInfo {
  id: number;
  name?: string;
  groupTypes: Map<number, string>;
}

export interface WhoAmI {
  email?: string;
  firstName?: string;
  /** The user's current project. */
  projectId?: number;
  projectName?: string;
  organization?: string;
}

export interface CreateFlagInput {
  key: string;
  /** PostHog's `name` (the description). */
  name?: string;
  /** Default: true when `rolloutPercentage` is given, else false. */
  active?: boolean;
  /** Percentage of users in the one condition set (default 0). */
  rolloutPercentage?: number;
}

export interface CreateFlagResult {
  flag: Flag;
  /** True when the response was lost and a re-read found the flag created. */
  confirmedByReread: boolean;
}

export interface ToggleResult {
  key: string;
  id: number;
  active: boolean;
  version?: number;
  /** False when the flag already had the requested state (nothing was sent). */
  changed: boolean;
  /** True when the flag is now enabled and released to everyone (the UI should make it loud). */
  releasesToEveryone: boolean;
  flag: Flag;
  /** True when the response was lost and a re-read found the change applied. */
  confirmedByReread: boolean;
}

export interface RolloutResult {
  key: string;
  id: number;
  rolloutPercentage: number;
  version?: number;
  /** False when the flag already had that percentage (nothing was sent). */
  changed: boolean;
  flag: Flag;
  /** True when the response was lost and a re-read found the change applied. */
  confirmedByReread: boolean;
}

export interface FoundFlag {
  flag: Flag;
  /** The object as PostHog sent it (used as `original_flag` for the 409 check). */
  raw: Record<string, unknown>;
}

type Listener = (r: Result<FlagSnapshot, PostHogError>) => void;

/** Checks a key with PostHog's own rule (§7) before anything is sent. */
export function validateFlagKey(key: unknown): string | undefined {
  return flagKeyProblem(key);
}

export class PostHogClient {
  readonly http: HttpTransport;
  private readonly key: string;
  private readonly pageSize: number;
  private readonly freshForMs: number;
  private readonly maxDeletedProbes: number;
  private configuredProject: number | '@current';
  private project?: ProjectInfo;
  private discoveryUnavailable = false;
  private projectPromise?: Promise<Result<ProjectInfo | undefined, PostHogError>>;
  private inflight?: Promise<Result<FlagSnapshot, PostHogError>>;
  /** Writes in flight, and successful ones for DUPLICATE_WINDOW_MS after they finished (guard). */
  private writes = new Map<string, { args: string; promise: Promise<Result<unknown, PostHogError>>; doneAt?: number }>();
  private listeners = new Set<Listener>();
  private deletedKeys = new Set<string>();
  private fetchedAtMs = 0;
  private readonly seenBefore?: FlagSnapshot;
  /** The last good snapshot (kept when a later fetch fails). */
  lastSnapshot?: FlagSnapshot;
  /** The error of the last fetch, cleared by a successful one. */
  lastError?: PostHogError;

  constructor(opts: ClientOptions) {
    this.http = new HttpTransport(opts);
    this.key = opts.personalApiKey;
    this.pageSize = Math.max(MIN_PAGE_SIZE, opts.pageSize ?? DEFAULT_PAGE_SIZE);
    this.freshForMs = opts.freshForMs ?? 30_000;
    this.maxDeletedProbes = opts.maxDeletedProbes ?? 20;
    this.configuredProject = opts.projectId ?? '@current';
    this.seenBefore = opts.seenBefore;
  }

  get host(): string {
    return this.http.host;
  }

  /** Numeric project id once known (or the configured one). */
  get projectId(): number | undefined {
    return this.project?.id ?? (typeof this.configuredProject === 'number' ? this.configuredProject : undefined);
  }

  /** Called with every fetch result (new snapshot or error). Returns an unsubscribe function. */
  onUpdate(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private fail<T>(error: PostHogError): Result<T, PostHogError> {
    return { ok: false, error: { ...error, message: redact(error.message, this.key), ...(error.detail ? { detail: redact(error.detail, this.key) } : {}) } };
  }

  /** A numeric id or `@current` (both safe in a path as written). */
  private projectSegment(): string {
    return String(this.project?.id ?? this.configuredProject);
  }

  private flagsPath(): string {
    return `/api/projects/${this.projectSegment()}/feature_flags/`;
  }

  private describeProject(): string {
    return this.projectId !== undefined ? `project ${this.projectId}` : 'the current project';
  }

  // ---------- discovery ----------

  /**
   * Resolves `@current` to a numeric id once (GET /api/projects/@current/,
   * falling back to /api/users/@me/ without `project:read`). With neither
   * scope, paths keep `@current` and the result is undefined.
   */
  async discoverProject(): Promise<Result<ProjectInfo | undefined, PostHogError>> {
    if (this.project) return { ok: true, value: this.project };
    if (this.discoveryUnavailable) return { ok: true, value: undefined };
    this.projectPromise ??= (async (): Promise<Result<ProjectInfo | undefined, PostHogError>> => {
      const segment = String(this.configuredProject);
      const r = await this.http.send(`/api/projects/${segment}/`, { action: `reading ${segment === '@current' ? 'the current project' : `project ${segment}`}`, projectId: this.configuredProject });
      if (r.ok && isObject(r.value.body) && typeof r.value.body.id === 'number') {
        this.project = { id: r.value.body.id, name: typeof r.value.body.name === 'string' ? r.value.body.name : undefined, groupTypes: parseGroupTypes(r.value.body.group_types) };
        return { ok: true, value: this.project };
      }
      if (!r.ok && r.error.kind !== 'forbidden') return r;
      // Without `project:read`: remember the configured id (no group type names) so this is asked once.
      if (typeof this.configuredProject === 'number') {
        this.project = { id: this.configuredProject, groupTypes: new Map() };
        return { ok: true, value: this.project };
      }
      const me = await this.whoAmI();
      if (me.ok && me.value.projectId !== undefined) {
        this.project = { id: me.value.projectId, name: me.value.projectName, groupTypes: new Map() };
        return { ok: true, value: this.project };
      }
      if (!me.ok && me.error.kind !== 'forbidden') return me;
      this.discoveryUnavailable = true;
      return { ok: true, value: undefined };
    })().finally(() => {
      this.projectPromise = undefined;
    });
    return this.projectPromise;
  }

  /** The key's owner and current project (connectivity check, §2). */
  async whoAmI(): Promise<Result<WhoAmI, PostHogError>> {
    const r = await this.http.send('/api/users/@me/', { action: 'reading the current user' });
    if (!r.ok) return r;
    const b = isObject(r.value.body) ? r.value.body : {};
    const team = isObject(b.team) ? b.team : {};
    const org = isObject(b.organization) ? b.organization : {};
    return {
      ok: true,
      value: {
        email: typeof b.email === 'string' ? b.email : undefined,
        firstName: typeof b.first_name === 'string' ? b.first_name : undefined,
        projectId: typeof team.id === 'number' ? team.id : undefined,
        projectName: typeof team.name === 'string' ? team.name : undefined,
        organization: typeof org.name === 'string' ? org.name : undefined,
      },
    };
  }

  // ---------- reading ----------

  /**
   * Every item of a paged list. The first page tells the count; the rest are
   * fetched by offset (concurrently, under the transport's cap), each through
   * the path and query of the server's `next` link on our host, so N items
   * take ceil(N / pageSize) requests. If items were added while paging, the
   * last page's `next` is followed until it is null.
   */
  private async listAll(path: string, query: Record<string, string>, action: string): Promise<Result<unknown[], PostHogError>> {
    const q = new URLSearchParams({ ...query, limit: String(this.pageSize) });
    const first = await this.http.send(`${path}?${q}`, { action, projectId: this.projectId });
    if (!first.ok) return first;
    const page1 = this.readPage(first.value, action);
    if (!page1.ok) return page1;
    const items = [...page1.value.results];
    let next = page1.value.next;
    if (next && page1.value.count !== undefined && page1.value.count > items.length && items.length === this.pageSize) {
      const template = new URL(this.http.urlFor(next));
      const offsets: number[] = [];
      for (let o = items.length; o < page1.value.count; o += this.pageSize) offsets.push(o);
      const pages = await Promise.all(
        offsets.map((o) => {
          const u = new URL(template);
          u.searchParams.set('limit', String(this.pageSize));
          u.searchParams.set('offset', String(o));
          return this.http.send(u.toString(), { action, projectId: this.projectId });
        }),
      );
      next = null;
      for (const p of pages) {
        if (!p.ok) return p;
        const parsed = this.readPage(p.value, action);
        if (!parsed.ok) return parsed;
        items.push(...parsed.value.results);
        next = parsed.value.next;
      }
    }
    for (let guard = 0; next && guard < 10_000; guard++) {
      const r = await this.http.send(next, { action, projectId: this.projectId });
      if (!r.ok) return r;
      const parsed = this.readPage(r.value, action);
      if (!parsed.ok) return parsed;
      items.push(...parsed.value.results);
      next = parsed.value.next;
    }
    return { ok: true, value: items };
  }

  private readPage(res: HttpResponse, action: string): Result<{ results: unknown[]; next: string | null; count?: number }, PostHogError> {
    const b = res.body;
    if (Array.isArray(b)) return { ok: true, value: { results: b, next: null } };
    if (!isObject(b) || !Array.isArray(b.results)) {
      return { ok: false, error: { kind: 'bad-response', status: res.status, message: `PostHog at ${this.host} sent an unexpected body while ${action} (no "results" list).` } };
    }
    return { ok: true, value: { results: b.results, next: typeof b.next === 'string' && b.next ? b.next : null, count: typeof b.count === 'number' ? b.count : undefined } };
  }

  /** Cohort names for ids the flags reference without a `cohort_name` (§6). Failures degrade to warnings. */
  private async resolveCohorts(flags: Flag[], warnings: string[]): Promise<Map<number, CohortInfo>> {
    const cohorts = new Map<number, CohortInfo>();
    const wanted = new Set<number>();
    for (const f of flags)
      for (const g of f.filters.groups)
        for (const p of g.properties) {
          const id = Number(p.value);
          if (p.type !== 'cohort' || !Number.isInteger(id)) continue;
          if (p.cohortName) cohorts.set(id, { name: p.cohortName });
          else wanted.add(id);
        }
    for (const id of cohorts.keys()) wanted.delete(id);
    if (!wanted.size) return cohorts;
    const base = `/api/projects/${this.projectSegment()}/cohorts/`;
    const list = await this.listAll(base, {}, `listing cohorts of ${this.describeProject()}`);
    if (!list.ok) {
      warnings.push(list.error.kind === 'forbidden' ? `Cohort names unavailable: ${list.error.message}` : `Cohort names unavailable: ${list.error.message}`);
      return cohorts;
    }
    const read = (c: unknown) => {
      if (!isObject(c) || typeof c.id !== 'number') return;
      cohorts.set(c.id, {
        name: typeof c.name === 'string' ? c.name : `cohort #${c.id}`,
        count: typeof c.count === 'number' ? c.count : null,
        isStatic: typeof c.is_static === 'boolean' ? c.is_static : undefined,
        ...(c.deleted === true ? { deleted: true } : {}),
      });
    };
    for (const c of list.value) if (isObject(c) && typeof c.id === 'number' && wanted.has(c.id)) read(c);
    const missing = [...wanted].filter((id) => !cohorts.has(id)).slice(0, 50);
    const single = await Promise.all(missing.map((id) => this.http.send(`${base}${id}/`, { action: `reading cohort ${id}`, accept: [404] })));
    for (const r of single) if (r.ok && r.value.status === 200) read(r.value.body);
    return cohorts;
  }

  /** Flags that vanished from the list since the last snapshot: retrieve says whether they were deleted. */
  private async probeVanished(current: Map<number, Flag>): Promise<void> {
    const earlier = this.seenBefore;
    const sameProject = earlier !== undefined && earlier.projectId === this.projectId && earlier.host?.replace(/\/+$/, '') === this.host;
    const prev = this.lastSnapshot ?? (sameProject ? earlier : undefined);
    if (!prev) return;
    const vanished = prev.flags.filter((f) => !current.has(f.id)).slice(0, this.maxDeletedProbes);
    const results = await Promise.all(vanished.map((f) => this.http.send(`${this.flagsPath()}${f.id}/`, { action: `reading flag '${f.key}'`, accept: [404] })));
    results.forEach((r, i) => {
      if (!r.ok) return;
      if (r.value.status === 404 || (isObject(r.value.body) && r.value.body.deleted === true)) this.deletedKeys.add(vanished[i].key);
    });
  }

  /** Fetches everything now (sharing a fetch already in flight). */
  fetchSnapshot(): Promise<Result<FlagSnapshot, PostHogError>> {
    this.inflight ??= this.doFetch().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async doFetch(): Promise<Result<FlagSnapshot, PostHogError>> {
    const result = await this.fetchOnce();
    if (result.ok) {
      this.lastSnapshot = result.value;
      this.lastError = undefined;
      this.fetchedAtMs = Date.now();
    } else {
      this.lastError = result.error;
    }
    for (const l of this.listeners) l(result);
    return result;
  }

  private async fetchOnce(): Promise<Result<FlagSnapshot, PostHogError>> {
    const project = await this.discoverProject();
    if (!project.ok) return this.fail(project.error);
    const list = await this.listAll(this.flagsPath(), {}, `listing feature flags of ${this.describeProject()}`);
    if (!list.ok) return this.fail(list.error);
    const flags: Flag[] = [];
    for (const raw of list.value) {
      const f = parseFlag(raw);
      if (f) flags.push(f);
    }
    const warnings: string[] = [];
    const byId = new Map(flags.map((f) => [f.id, f]));
    for (const f of flags) this.deletedKeys.delete(f.key);
    await this.probeVanished(byId);
    const cohorts = await this.resolveCohorts(flags, warnings);
    let groupTypes = this.project?.groupTypes ?? new Map<number, string>();
    const usesGroups = flags.some((f) => f.filters.aggregationGroupTypeIndex !== null || f.filters.groups.some((g) => g.aggregationGroupTypeIndex != null));
    if (usesGroups && !groupTypes.size && this.projectId !== undefined) {
      const r = await this.http.send(`/api/projects/${this.projectId}/`, { action: `reading project ${this.projectId}` });
      if (r.ok && isObject(r.value.body)) groupTypes = parseGroupTypes(r.value.body.group_types);
      else if (!r.ok) warnings.push(`Group type names unavailable: ${r.error.message}`);
    }
    return {
      ok: true,
      value: buildSnapshot({
        flags,
        cohorts,
        groupTypes,
        deletedKeys: this.deletedKeys,
        fetchedAt: new Date().toISOString(),
        host: this.host,
        projectId: this.projectId,
        warnings: warnings.map((w) => redact(w, this.key)),
      }),
    };
  }

  /**
   * The cached snapshot when fresh; when stale, the cached one at once and a
   * refresh in the background (stale-while-revalidate); with no cache, a fetch.
   */
  async getSnapshot(opts: { maxAgeMs?: number } = {}): Promise<Result<FlagSnapshot, PostHogError>> {
    const maxAge = opts.maxAgeMs ?? this.freshForMs;
    if (this.lastSnapshot) {
      if (Date.now() - this.fetchedAtMs >= maxAge && !this.inflight) void this.fetchSnapshot();
      return { ok: true, value: this.lastSnapshot };
    }
    return this.fetchSnapshot();
  }

  /** Always fetches, after any pending Retry-After has passed. */
  async refresh(): Promise<Result<FlagSnapshot, PostHogError>> {
    const wait = this.http.retryAfterRemainingMs();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    return this.fetchSnapshot();
  }

  /** Marks the cache stale so the next getSnapshot refreshes. */
  invalidate(): void {
    this.fetchedAtMs = 0;
  }

  /** Finds a live flag by exact key: list with `key`/`search`, match exactly, then retrieve by id. */
  async findFlag(key: string): Promise<Result<FoundFlag | undefined, PostHogError>> {
    const project = await this.discoverProject();
    if (!project.ok) return this.fail(project.error);
    const list = await this.listAll(this.flagsPath(), { key, search: key }, `looking up flag '${key}'`);
    if (!list.ok) return this.fail(list.error);
    const hit = list.value.find((r) => isObject(r) && r.key === key && r.deleted !== true) as Json | undefined;
    if (!hit || typeof hit.id !== 'number') return { ok: true, value: undefined };
    const r = await this.http.send(`${this.flagsPath()}${hit.id}/`, { action: `reading flag '${key}'`, projectId: this.projectId });
    if (!r.ok) return this.fail(r.error);
    const flag = parseFlag(r.value.body);
    if (!flag || !isObject(r.value.body)) return this.fail({ kind: 'bad-response', status: r.value.status, message: `PostHog sent an unreadable flag object for '${key}'.` });
    if (flag.deleted) return { ok: true, value: undefined };
    return { ok: true, value: { flag, raw: r.value.body } };
  }

  // ---------- writes ----------

  /**
   * One write per (op, key) at a time: the same call shares the promise, a
   * different one is refused. A successful write's answer is also given to
   * the same call arriving within DUPLICATE_WINDOW_MS after it finished (a
   * double click whose second request was read late, on a loaded machine,
   * must not turn into "already exists" or a second PATCH).
   */
  private guard<T>(op: string, key: string, args: unknown, run: () => Promise<Result<T, PostHogError>>): Promise<Result<T, PostHogError>> {
    const id = `${op}:${key}`;
    const sig = JSON.stringify(args);
    const current = this.writes.get(id);
    if (current && current.doneAt !== undefined && Date.now() - current.doneAt > DUPLICATE_WINDOW_MS) this.writes.delete(id);
    else if (current) {
      if (current.args === sig) return current.promise as Promise<Result<T, PostHogError>>;
      if (current.doneAt === undefined) {
        return Promise.resolve(this.fail({ kind: 'conflict', message: `Another change to flag '${key}' is still in progress; wait for it to finish.` }));
      }
      this.writes.delete(id);
    }
    const entry: { args: string; promise: Promise<Result<unknown, PostHogError>>; doneAt?: number } = { args: sig, promise: Promise.resolve(undefined as never) };
    const promise = run().then(
      (r) => {
        if (r.ok) entry.doneAt = Date.now();
        else if (this.writes.get(id) === entry) this.writes.delete(id);
        return r;
      },
      (e) => {
        if (this.writes.get(id) === entry) this.writes.delete(id);
        throw e;
      },
    );
    entry.promise = promise;
    this.writes.set(id, entry);
    return promise;
  }

  /**
   * Creates a flag (POST). The key is checked with PostHog's rule first,
   * then looked up: a key that exists already is refused without a POST.
   * Without `active`/`rolloutPercentage`: a disabled flag with one condition
   * set at 0%. With `rolloutPercentage` only: enabled at that percentage.
   * With `active: true` only: enabled at 0% (nobody) until a percentage is set.
   * After an ambiguous failure the key is re-read to tell whether it landed.
   */
  createFlag(input: CreateFlagInput): Promise<Result<CreateFlagResult, PostHogError>> {
    const invalid = validateFlagKey(input.key);
    if (invalid) return Promise.resolve(this.fail({ kind: 'validation', attr: 'key', message: invalid }));
    const pct = input.rolloutPercentage ?? 0;
    if (typeof pct !== 'number' || !Number.isFinite(pct) || pct < 0 || pct > 100) {
      return Promise.resolve(this.fail({ kind: 'validation', attr: 'filters', message: `The rollout percentage must be a number from 0 to 100 (got ${String(input.rolloutPercentage)}).` }));
    }
    const active = input.active ?? input.rolloutPercentage !== undefined;
    return this.guard('create', input.key, input, async () => {
      const project = await this.discoverProject();
      if (!project.ok) return this.fail(project.error);
      // Re-read before writing: a key that already exists is refused here, before any POST.
      const existing = await this.findFlag(input.key);
      if (!existing.ok) return existing;
      if (existing.value) {
        return this.fail({
          kind: 'validation',
          attr: 'key',
          code: 'unique',
          message: `Feature flag '${input.key}' already exists in ${this.describeProject()}: nothing was created.`,
        });
      }
      const body = {
        key: input.key,
        name: input.name ?? '',
        active,
        filters: { groups: [{ properties: [], rollout_percentage: pct, variant: null }], payloads: {}, multivariate: null },
        _should_create_usage_dashboard: false,
      };
      const action = `creating flag '${input.key}' in ${this.describeProject()}`;
      const r = await this.http.send(this.flagsPath(), { method: 'POST', body, action, projectId: this.projectId });
      if (r.ok) {
        const flag = parseFlag(r.value.body);
        this.invalidate();
        if (flag) return { ok: true, value: { flag, confirmedByReread: false } };
        const again = await this.findFlag(input.key);
        if (again.ok && again.value) return { ok: true, value: { flag: again.value.flag, confirmedByReread: true } };
        return this.fail({ kind: 'bad-response', status: r.value.status, message: `PostHog accepted flag '${input.key}' but sent an unreadable answer; refresh to see it.` });
      }
      if (r.error.kind === 'validation') {
        return this.fail({ ...r.error, message: r.error.detail ? `PostHog refused to create flag '${input.key}': ${r.error.detail}` : r.error.message });
      }
      if (!isAmbiguous(r.error)) return this.fail(r.error);
      const again = await this.findFlag(input.key);
      if (again.ok && again.value) {
        this.invalidate();
        return { ok: true, value: { flag: again.value.flag, confirmedByReread: true } };
      }
      const verdict = again.ok ? 'A re-read shows the flag was not created.' : 'Whether the flag was created is unknown; refresh to check before trying again.';
      return this.fail({ ...r.error, message: `${r.error.message} ${verdict}` });
    });
  }

  /**
   * Enables or disables a flag: re-reads it, refuses if its `version` differs
   * from `expected.version` (what the caller saw), then PATCHes only
   * `active` with `version` + `original_flag` so PostHog's own 409 check also
   * applies. Never sent twice: after an ambiguous failure it re-reads.
   */
  toggleFlag(key: string, active: boolean, expected: { version?: number } = {}): Promise<Result<ToggleResult, PostHogError>> {
    return this.guard('toggle', key, { active, expected }, async () => {
      const found = await this.rereadForWrite(key, expected);
      if (!found.ok) return found;
      const { flag, raw } = found.value;
      const result = (f: Flag, changed: boolean, confirmedByReread: boolean): Result<ToggleResult, PostHogError> => ({
        ok: true,
        value: { key, id: f.id, active: f.active, version: f.version, changed, releasesToEveryone: f.active && everyoneGets(f) !== undefined, flag: f, confirmedByReread },
      });
      if (flag.active === active) return result(flag, false, false);
      return this.patchFlag(key, flag, raw, { active }, `${active ? 'enabling' : 'disabling'} flag '${key}'`, {
        applied: (f) => f.active === active,
        result: (f, confirmedByReread) => result(f ?? { ...flag, active }, true, confirmedByReread),
      });
    });
  }

  /**
   * Sets the rollout percentage of a flag that has exactly one condition
   * group: re-reads it, refuses if its `version` differs from
   * `expected.version` (what the caller saw), then PATCHes the complete
   * re-read `filters` (posthog-api.md §3.4: older releases replace filters
   * wholesale) with only that group's `rollout_percentage` changed, plus
   * `version` and `original_flag` for PostHog's own 409 check. Never sent
   * twice: after an ambiguous failure it re-reads.
   */
  setRolloutPercentage(key: string, percentage: number, expected: { version?: number } = {}): Promise<Result<RolloutResult, PostHogError>> {
    if (typeof percentage !== 'number' || !Number.isFinite(percentage) || percentage < 0 || percentage > 100) {
      return Promise.resolve(this.fail({ kind: 'validation', attr: 'filters', message: `The rollout percentage must be a number from 0 to 100 (got ${String(percentage)}).` }));
    }
    return this.guard('rollout', key, { percentage, expected }, async () => {
      const found = await this.rereadForWrite(key, expected);
      if (!found.ok) return found;
      const { flag, raw } = found.value;
      const filters = isObject(raw.filters) ? raw.filters : undefined;
      const groups = filters && Array.isArray(filters.groups) ? (filters.groups as unknown[]) : undefined;
      if (!filters || !groups || groups.length !== 1 || !isObject(groups[0])) {
        const n = groups?.length ?? flag.filters.groups.length;
        return this.fail({
          kind: 'validation',
          attr: 'filters',
          message: `Feature flag '${key}' has ${n === 1 ? 'its one condition group in an old format' : `${n} condition groups`}: the rollout can be changed here only for a flag with exactly one. Edit it in PostHog.`,
        });
      }
      const result = (f: Flag, changed: boolean, confirmedByReread: boolean): Result<RolloutResult, PostHogError> => ({
        ok: true,
        value: { key, id: f.id, rolloutPercentage: f.filters.groups[0]?.rolloutPercentage ?? 100, version: f.version, changed, flag: f, confirmedByReread },
      });
      if ((groups[0] as Json).rollout_percentage === percentage) return result(flag, false, false); // nothing to send
      const patch: Json = { filters: { ...filters, groups: [{ ...(groups[0] as Json), rollout_percentage: percentage }] } };
      return this.patchFlag(key, flag, raw, patch, `setting the rollout of flag '${key}' to ${percentage}%`, {
        applied: (f) => f.filters.groups.length === 1 && f.filters.groups[0].rolloutPercentage === percentage,
        result: (f, confirmedByReread) => result(f ?? flag, true, confirmedByReread),
      });
    });
  }

  /** The flag re-read before a write; refused when it does not exist or changed since the caller saw `expected.version`. */
  private async rereadForWrite(key: string, expected: { version?: number }): Promise<Result<{ flag: Flag; raw: Json }, PostHogError>> {
    const found = await this.findFlag(key);
    if (!found.ok) return found;
    if (!found.value) return this.fail({ kind: 'not-found', message: `Feature flag '${key}' does not exist in ${this.describeProject()} (or it was deleted).` });
    const { flag } = found.value;
    if (expected.version !== undefined && flag.version !== undefined && flag.version !== expected.version) {
      const by = flag.lastModifiedBy?.email ? ` by ${flag.lastModifiedBy.email}` : '';
      return this.fail({
        kind: 'conflict',
        message: `Feature flag '${key}' was changed in PostHog${by} since you saw it (version ${expected.version} → ${flag.version}). Refresh and try again.`,
      });
    }
    return { ok: true, value: found.value };
  }

  /**
   * One PATCH of a re-read flag, with `version` + `original_flag` so
   * PostHog's own 409 check applies. A refusal quotes PostHog's reason;
   * after an ambiguous failure (connection cut, timeout) the flag is read
   * again and `applied` tells whether the write landed: it is never sent twice.
   * `result` gets the flag PostHog answered with (undefined: an unreadable answer).
   */
  private async patchFlag<T>(
    key: string,
    flag: Flag,
    raw: Json,
    patch: Json,
    action: string,
    on: { applied: (f: Flag) => boolean; result: (f: Flag | undefined, confirmedByReread: boolean) => Result<T, PostHogError> },
  ): Promise<Result<T, PostHogError>> {
    const body: Json = { ...patch };
    if (typeof raw.version === 'number') {
      body.version = raw.version;
      body.original_flag = raw;
    }
    const r = await this.http.send(`${this.flagsPath()}${flag.id}/`, { method: 'PATCH', body, action, projectId: this.projectId });
    if (r.ok) {
      this.invalidate();
      return on.result(parseFlag(r.value.body), false);
    }
    if (r.error.kind === 'validation' || r.error.kind === 'conflict') {
      return this.fail({ ...r.error, message: r.error.detail ? `PostHog refused ${action}: ${r.error.detail}` : r.error.message });
    }
    if (!isAmbiguous(r.error)) return this.fail(r.error);
    const check = await this.http.send(`${this.flagsPath()}${flag.id}/`, { action: `re-reading flag '${key}'`, projectId: this.projectId });
    if (check.ok) {
      const now = parseFlag(check.value.body);
      if (now && on.applied(now)) {
        this.invalidate();
        return on.result(now, true);
      }
      return this.fail({ ...r.error, message: `${r.error.message} A re-read shows the change was not applied.` });
    }
    return this.fail({ ...r.error, message: `${r.error.message} Whether the change was applied is unknown; refresh to check.` });
  }

  /**
   * Adds `tag` to a flag's tags (PATCH `tags` with the re-read list plus the
   * tag); no request when the flag already has it. Used by
   * `report --apply-tags`. Resolves to whether a change was sent.
   */
  addFlagTag(key: string, tag: string): Promise<Result<{ key: string; changed: boolean }, PostHogError>> {
    return this.guard('tag', key, { tag }, async () => {
      const found = await this.rereadForWrite(key, {});
      if (!found.ok) return found;
      const { flag } = found.value;
      if (flag.tags.includes(tag)) return { ok: true, value: { key, changed: false } };
      const action = `tagging flag '${key}' with '${tag}'`;
      const r = await this.http.send(`${this.flagsPath()}${flag.id}/`, { method: 'PATCH', body: { tags: [...flag.tags, tag] }, action, projectId: this.projectId });
      if (!r.ok) return this.fail({ ...r.error, message: r.error.detail ? `PostHog refused ${action}: ${r.error.detail}` : r.error.message });
      this.invalidate();
      return { ok: true, value: { key, changed: true } };
    });
  }
}
