/**
 * The flag model: PostHog flag objects (../shared/docs/posthog-api.md §4),
 * parsed leniently into one shape whatever the server's release.
 *
 * Pure data: no IO. Parsing lives in parse.ts; the rules that read it
 * (state, rollout summary, staleness, problems) in their own modules.
 */

/** One property filter inside a condition set (§5). */
export interface PropertyFilter {
  key: string;
  /** `person`, `cohort`, `group`, `flag`, … (default `person`). */
  type: string;
  value: unknown;
  /** `null` means `exact`; `min`/`max` are kept as sent (aliases of `gte`/`lte`). */
  operator: string | null;
  negation: boolean;
  groupTypeIndex?: number;
  /** Display label the server may send. */
  label?: string;
  /** Cohort name the server injects into cohort filters on read. */
  cohortName?: string;
}

/** One condition set ("release condition"). Groups are OR-ed, properties AND-ed. */
export interface ConditionGroup {
  properties: PropertyFilter[];
  /** `null` = 100 (the API's meaning of a missing percentage). */
  rolloutPercentage: number | null;
  /** Variant forced for users matching this group. */
  variant: string | null;
  /** Per-group aggregation (newest); else the flag's. */
  aggregationGroupTypeIndex?: number | null;
  description?: string;
}

export interface Variant {
  key: string;
  name?: string;
  rolloutPercentage: number;
}

export interface FlagFilters {
  groups: ConditionGroup[];
  /** Empty = a boolean flag. */
  variants: Variant[];
  /** Payload per `"true"` or variant key, as JSON text (the API's encoding). */
  payloads: Record<string, string>;
  /** `null` = persons; an int = group type index. */
  aggregationGroupTypeIndex: number | null;
  /** True when the stored filters were `{}` (or absent): the `active=STALE` list filter treats these as fully rolled out. */
  empty: boolean;
}

export interface FlagUser {
  id?: number;
  email?: string;
  firstName?: string;
}

/** A feature flag, whatever release of PostHog sent it. */
export interface Flag {
  id: number;
  key: string;
  /** PostHog's `name` field: the human description (may be ""). */
  name: string;
  active: boolean;
  deleted: boolean;
  archived: boolean;
  filters: FlagFilters;
  createdAt?: string;
  updatedAt?: string;
  createdBy?: FlagUser;
  lastModifiedBy?: FlagUser;
  version?: number;
  tags: string[];
  /** The server's status, upper-case (`ACTIVE`, `STALE`, `INACTIVE`, `ARCHIVED`, `DELETED`, `UNKNOWN`). */
  status?: string;
  /** Last time the flag was evaluated; undefined/null = no usage data. */
  lastCalledAt?: string | null;
  evaluationRuntime?: string;
  experimentIds: number[];
  ensureExperienceContinuity?: boolean;
  isRemoteConfiguration?: boolean;
}

export interface CohortInfo {
  name: string;
  count?: number | null;
  isStatic?: boolean;
  deleted?: boolean;
}

/** Everything the tools know about a project's flags at one moment. */
export interface FlagSnapshot {
  /** Live (not deleted) flags. */
  flags: Flag[];
  byKey: Map<string, Flag>;
  byId: Map<number, Flag>;
  /** Keys known to have been deleted (snapshot entries with `deleted: true`, or flags seen deleted on retrieve). */
  deletedKeys: Set<string>;
  cohorts: Map<number, CohortInfo>;
  /** Group type index → display name for the subject (plural when known, e.g. "companies"). */
  groupTypes: Map<number, string>;
  /** ISO time of the fetch (or of the snapshot file). */
  fetchedAt: string;
  host?: string;
  projectId?: number;
  /** Non-fatal notes from loading (e.g. cohort names unavailable without `cohort:read`). */
  warnings: string[];
}

/** The four states a key can be in (report JSON `state`). */
export type FlagState = 'active' | 'disabled' | 'deleted' | 'missing';
