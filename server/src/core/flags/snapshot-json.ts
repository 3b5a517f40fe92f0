/**
 * Writes a FlagSnapshot back as JSON in the list endpoint's shape, plus the
 * extras every snapshot reader accepts (parse.ts `parseSnapshotBody`):
 * `cohorts`, `group_types`, `deleted_keys`, `host`, `project_id`, `fetched_at`.
 * Never holds credentials: it is built from the model, not from raw responses.
 */
import type { Flag, FlagSnapshot, PropertyFilter } from './types';

/** Marks files written by `posthog-flags pull`. */
export const SNAPSHOT_FORMAT = 'posthog-flags-snapshot/1';

function propertyToJson(p: PropertyFilter): Record<string, unknown> {
  const o: Record<string, unknown> = { key: p.key, type: p.type, value: p.value, operator: p.operator };
  if (p.negation) o.negation = true;
  if (p.groupTypeIndex !== undefined) o.group_type_index = p.groupTypeIndex;
  if (p.label !== undefined) o.label = p.label;
  if (p.cohortName !== undefined) o.cohort_name = p.cohortName;
  return o;
}

/** A Flag as a PostHog flag object (newest field names). */
export function flagToJson(f: Flag): Record<string, unknown> {
  const filters: Record<string, unknown> = {
    groups: f.filters.groups.map((g) => {
      const o: Record<string, unknown> = { properties: g.properties.map(propertyToJson), rollout_percentage: g.rolloutPercentage, variant: g.variant };
      if (g.aggregationGroupTypeIndex !== undefined) o.aggregation_group_type_index = g.aggregationGroupTypeIndex;
      if (g.description !== undefined) o.description = g.description;
      return o;
    }),
    payloads: f.filters.payloads,
    aggregation_group_type_index: f.filters.aggregationGroupTypeIndex,
  };
  if (f.filters.variants.length) {
    filters.multivariate = { variants: f.filters.variants.map((v) => ({ key: v.key, ...(v.name !== undefined ? { name: v.name } : {}), rollout_percentage: v.rolloutPercentage })) };
  }
  const user = (u: Flag['createdBy']) => (u ? { id: u.id, email: u.email, first_name: u.firstName } : null);
  return {
    id: f.id,
    key: f.key,
    name: f.name,
    active: f.active,
    deleted: f.deleted,
    archived: f.archived,
    filters: f.filters.empty && !f.filters.groups.length ? {} : filters,
    created_at: f.createdAt ?? null,
    updated_at: f.updatedAt ?? null,
    created_by: user(f.createdBy),
    last_modified_by: user(f.lastModifiedBy),
    version: f.version ?? null,
    tags: f.tags,
    status: f.status ?? null,
    last_called_at: f.lastCalledAt ?? null,
    evaluation_runtime: f.evaluationRuntime ?? null,
    experiment_set: f.experimentIds,
    ensure_experience_continuity: f.ensureExperienceContinuity ?? null,
    is_remote_configuration: f.isRemoteConfiguration ?? null,
  };
}

/** The snapshot file body (see module doc). */
export function snapshotToJson(s: FlagSnapshot): Record<string, unknown> {
  const flags = [...s.flags].sort((a, b) => a.key.localeCompare(b.key));
  return {
    format: SNAPSHOT_FORMAT,
    host: s.host ?? null,
    project_id: s.projectId ?? null,
    fetched_at: s.fetchedAt,
    count: flags.length,
    next: null,
    previous: null,
    results: flags.map(flagToJson),
    deleted_keys: [...s.deletedKeys].sort(),
    cohorts: [...s.cohorts].map(([id, c]) => ({ id, name: c.name, count: c.count ?? null, is_static: c.isStatic ?? null, ...(c.deleted ? { deleted: true } : {}) })),
    group_types: [...s.groupTypes].map(([i, name]) => ({ group_type_index: i, name_plural: name })),
  };
}
