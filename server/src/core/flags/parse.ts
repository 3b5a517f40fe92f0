/**
 * Lenient parsing of PostHog flag objects and flag snapshots (posthog-api.md §4).
 * Every field is optional except `id`, `key`, `active`, `filters`; unknown
 * fields are ignored; old shapes (filters without `groups`, top-level
 * `rollout_percentage`, payload objects instead of JSON text) are accepted.
 */
import type { Result } from '../types';
import type { CohortInfo, ConditionGroup, Flag, FlagFilters, FlagSnapshot, FlagUser, PropertyFilter, Variant } from './types';
import { isJsonObject as isObject, type JsonObject as Json } from '../../shared/json';


const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function int(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

function parseUser(v: unknown): FlagUser | undefined {
  if (!isObject(v)) return undefined;
  return { id: int(v.id), email: str(v.email), firstName: str(v.first_name) };
}

function parseProperty(v: unknown): PropertyFilter | undefined {
  if (!isObject(v)) return undefined;
  const key = v.key === undefined || v.key === null ? undefined : String(v.key);
  if (key === undefined) return undefined;
  const p: PropertyFilter = {
    key,
    type: str(v.type) ?? 'person',
    value: v.value,
    operator: str(v.operator) ?? null,
    negation: v.negation === true,
  };
  const gti = int(v.group_type_index);
  if (gti !== undefined) p.groupTypeIndex = gti;
  if (str(v.label)) p.label = str(v.label);
  if (str(v.cohort_name)) p.cohortName = str(v.cohort_name);
  return p;
}

function parseProperties(v: unknown): PropertyFilter[] {
  // Property groups can also be nested `{type: 'AND', values: [...]}`; flatten the leaves.
  if (isObject(v) && Array.isArray(v.values)) return v.values.flatMap((x) => parseProperties(isObject(x) && Array.isArray(x.values) ? x : [x]));
  if (!Array.isArray(v)) return [];
  return v.map(parseProperty).filter((p): p is PropertyFilter => p !== undefined);
}

function parseGroup(v: unknown): ConditionGroup | undefined {
  if (!isObject(v)) return undefined;
  const g: ConditionGroup = {
    properties: parseProperties(v.properties),
    rolloutPercentage: num(v.rollout_percentage) ?? null,
    variant: str(v.variant) ?? null,
  };
  if ('aggregation_group_type_index' in v) g.aggregationGroupTypeIndex = int(v.aggregation_group_type_index) ?? null;
  if (str(v.description)) g.description = str(v.description);
  return g;
}

function parseVariants(v: unknown): Variant[] {
  if (!isObject(v) || !Array.isArray(v.variants)) return [];
  const out: Variant[] = [];
  for (const x of v.variants) {
    if (!isObject(x) || typeof x.key !== 'string') continue;
    out.push({ key: x.key, name: str(x.name), rolloutPercentage: num(x.rollout_percentage) ?? 0 });
  }
  return out;
}

function parsePayloads(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, val] of Object.entries(v)) {
    if (val === null || val === undefined) continue;
    out[k] = typeof val === 'string' ? val : JSON.stringify(val);
  }
  return out;
}

/** Filters of any release; `topLevelRollout` is the old flag-level `rollout_percentage`. */
export function parseFilters(v: unknown, topLevelRollout?: number | null): FlagFilters {
  const f = isObject(v) ? v : {};
  let groups: ConditionGroup[];
  if (Array.isArray(f.groups)) groups = f.groups.map(parseGroup).filter((g): g is ConditionGroup => g !== undefined);
  else if ('properties' in f) groups = [{ properties: parseProperties(f.properties), rolloutPercentage: topLevelRollout ?? null, variant: null }];
  else groups = [];
  return {
    groups,
    variants: parseVariants(f.multivariate),
    payloads: parsePayloads(f.payloads),
    aggregationGroupTypeIndex: int(f.aggregation_group_type_index) ?? null,
    empty: Object.keys(f).length === 0,
  };
}

/** One flag object → Flag, or undefined when it lacks an id or a key. */
export function parseFlag(v: unknown): Flag | undefined {
  if (!isObject(v)) return undefined;
  const id = int(v.id);
  const key = str(v.key);
  if (id === undefined || key === undefined || key === '') return undefined;
  const flag: Flag = {
    id,
    key,
    name: str(v.name) ?? '',
    active: v.active !== false, // the API's default is active; an absent field means an old or partial object
    deleted: v.deleted === true,
    archived: v.archived === true,
    filters: parseFilters(v.filters, num(v.rollout_percentage) ?? null),
    tags: Array.isArray(v.tags) ? v.tags.filter((t): t is string => typeof t === 'string') : [],
    experimentIds: Array.isArray(v.experiment_set) ? v.experiment_set.map(int).filter((n): n is number => n !== undefined) : [],
  };
  const opt = {
    createdAt: str(v.created_at),
    updatedAt: str(v.updated_at),
    createdBy: parseUser(v.created_by),
    lastModifiedBy: parseUser(v.last_modified_by),
    version: int(v.version),
    status: str(v.status)?.toUpperCase(),
    evaluationRuntime: str(v.evaluation_runtime),
    ensureExperienceContinuity: bool(v.ensure_experience_continuity),
    isRemoteConfiguration: bool(v.is_remote_configuration),
  };
  for (const [k, val] of Object.entries(opt)) if (val !== undefined) (flag as unknown as Json)[k] = val;
  if ('last_called_at' in v) flag.lastCalledAt = str(v.last_called_at) ?? null;
  return flag;
}

function parseCohortEntry(v: unknown): [number, CohortInfo] | undefined {
  if (!isObject(v)) return undefined;
  const id = int(v.id);
  if (id === undefined) return undefined;
  const info: CohortInfo = { name: str(v.name) ?? `cohort #${id}` };
  if ('count' in v) info.count = int(v.count) ?? null;
  if (bool(v.is_static) !== undefined) info.isStatic = bool(v.is_static);
  if (v.deleted === true) info.deleted = true;
  return [id, info];
}

/** Reads the cohorts a snapshot may carry: a list of cohort objects or a map id → cohort. */
export function parseCohorts(v: unknown): Map<number, CohortInfo> {
  const out = new Map<number, CohortInfo>();
  const entries = Array.isArray(v) ? v : isObject(v) ? Object.entries(v).map(([id, c]) => (isObject(c) ? { id, ...c } : undefined)) : [];
  for (const e of entries) {
    const parsed = parseCohortEntry(e);
    if (parsed) out.set(parsed[0], parsed[1]);
  }
  return out;
}

function parseGroupTypes(v: unknown): Map<number, string> {
  const out = new Map<number, string>();
  if (Array.isArray(v)) {
    for (const g of v) {
      if (!isObject(g)) continue;
      const idx = int(g.group_type_index);
      const name = str(g.name_plural) ?? str(g.group_type);
      if (idx !== undefined && name) out.set(idx, name);
    }
  } else if (isObject(v)) {
    // local-evaluation style `group_type_mapping`: {"0": "company"}
    for (const [k, name] of Object.entries(v)) if (int(k) !== undefined && typeof name === 'string') out.set(int(k)!, name);
  }
  return out;
}

/** A renamed soft-deleted key (`<key>:deleted:<id>`, §3.5) → the original key. */
export function originalKeyOfDeleted(key: string): string | undefined {
  const m = /^(.+):deleted:\d+$/.exec(key);
  return m?.[1];
}

export interface SnapshotInput {
  flags: Flag[];
  cohorts?: Map<number, CohortInfo>;
  groupTypes?: Map<number, string>;
  deletedKeys?: Iterable<string>;
  fetchedAt: string;
  host?: string;
  projectId?: number;
  warnings?: string[];
}

/** Builds a FlagSnapshot: deleted flags go to `deletedKeys`, the rest are indexed by key and id. */
export function buildSnapshot(input: SnapshotInput): FlagSnapshot {
  const byKey = new Map<string, Flag>();
  const byId = new Map<number, Flag>();
  const deletedKeys = new Set<string>(input.deletedKeys ?? []);
  const deletedFlags: Flag[] = [];
  for (const f of input.flags) {
    if (f.deleted) {
      deletedFlags.push(f);
      continue;
    }
    if (byId.has(f.id)) continue; // dedupe (pages shifted while paging)
    byId.set(f.id, f);
    byKey.set(f.key, f);
  }
  for (const f of deletedFlags) {
    for (const k of [f.key, originalKeyOfDeleted(f.key)]) if (k && !byKey.has(k)) deletedKeys.add(k);
  }
  return {
    flags: [...byId.values()],
    byKey,
    byId,
    deletedKeys,
    cohorts: input.cohorts ?? new Map(),
    groupTypes: input.groupTypes ?? new Map(),
    fetchedAt: input.fetchedAt,
    host: input.host,
    projectId: input.projectId,
    warnings: input.warnings ?? [],
  };
}

/**
 * Parses a snapshot file's JSON value: the list endpoint body
 * `{count, next, previous, results}` (plus our optional `cohorts`,
 * `group_types`, `deleted_keys`, `host`, `project_id`, `fetched_at`), or a
 * plain array of flag objects. `fallbackFetchedAt` is used when the body has
 * no `fetched_at` (e.g. the file's modification time).
 */
export function parseSnapshotBody(body: unknown, fallbackFetchedAt: string): Result<FlagSnapshot> {
  let rawFlags: unknown[];
  let meta: Json = {};
  if (Array.isArray(body)) rawFlags = body;
  else if (isObject(body) && Array.isArray(body.results)) {
    rawFlags = body.results;
    meta = body;
  } else if (isObject(body) && Array.isArray(body.flags)) {
    rawFlags = body.flags; // local-evaluation body
    meta = { ...body, group_types: body.group_type_mapping };
  } else {
    return { ok: false, error: { message: 'not a flags snapshot: expected the list endpoint body {"results": [...]} or an array of flag objects' } };
  }
  const flags: Flag[] = [];
  let skipped = 0;
  for (const r of rawFlags) {
    const f = parseFlag(r);
    if (f) flags.push(f);
    else skipped++;
  }
  const warnings = skipped ? [`${skipped} entr${skipped === 1 ? 'y' : 'ies'} without an id or key ignored`] : [];
  const deletedKeys = Array.isArray(meta.deleted_keys) ? meta.deleted_keys.filter((k): k is string => typeof k === 'string') : [];
  return {
    ok: true,
    value: buildSnapshot({
      flags,
      cohorts: parseCohorts(meta.cohorts),
      groupTypes: parseGroupTypes(meta.group_types),
      deletedKeys,
      fetchedAt: str(meta.fetched_at) ?? fallbackFetchedAt,
      host: str(meta.host),
      projectId: int(meta.project_id),
      warnings,
    }),
  };
}

/** Parses the project's `group_types` (or a `group_type_mapping`). */
export { parseGroupTypes };
