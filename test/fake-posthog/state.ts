/** Mutable state of the fake PostHog (see server.ts). Tests may read and change it directly. */

/** A flag as stored: the API's JSON object (snake_case), plus optional test-only fields starting with `_`. */
export type RawFlag = Record<string, unknown> & { id: number; key: string };
export type RawCohort = Record<string, unknown> & { id: number; name: string };

export interface FakeKey {
  key: string;
  /** `['*']` or `[]` (legacy: everything) or e.g. `['feature_flag:read']`. */
  scopes?: string[];
  /** Restrict the key to these project ids. */
  projectIds?: number[];
}

export interface FakeProject {
  id: number;
  name: string;
  api_token: string;
  group_types: { group_type: string; group_type_index: number; name_singular: string | null; name_plural: string | null }[];
  flags: RawFlag[];
  cohorts: RawCohort[];
  /** Persons (`/persons/?distinct_id=`), for `eval` without `--person-properties`. */
  persons?: { id: number; distinct_ids: string[]; properties: Record<string, unknown> }[];
}

export type FakeShape = 'newest' | 'older';

export interface FakeState {
  /** Which release the fake imitates: field names, defaults, status values, error texts. */
  shape: FakeShape;
  keys: FakeKey[];
  projects: Map<number, FakeProject>;
  /** The key owner's current project (`@current`). */
  currentProjectId: number;
  user: { id: number; uuid: string; distinct_id: string; email: string; first_name: string };
  nextFlagId: number;
  /** Base of the absolute `next`/`previous` URLs (default: the Host the request came to). */
  nextBaseUrl?: string;
  /** Per-key request budget: more than `limit` requests in a window of `windowMs` → 429. */
  rateLimit?: { limit: number; windowMs: number };
  /** Inject `cohort_name` into cohort filters on read (default: newest shape only). */
  injectCohortNames?: boolean;
  now: () => Date;
}
