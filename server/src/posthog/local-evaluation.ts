/**
 * What evaluating flags for one person needs, for the CLI (`posthog-flags
 * eval`) and the language server (`posthog.evaluateFor`) alike: the flag
 * definitions (and cohorts) and the person's properties.
 *
 * - From PostHog: the local evaluation endpoint
 *   (`/api/projects/{id}/feature_flags/local_evaluation/?send_cohorts`,
 *   `feature_flag:read`, posthog-api.md §3.7) and the persons endpoint
 *   (`/api/projects/{id}/persons/?distinct_id=`, `person:read`). A key
 *   without `person:read`, or an unknown distinct id, is a note, not a
 *   failure: evaluation goes on without person properties.
 * - Offline: a snapshot file (the list endpoint's body or a `pull`
 *   snapshot). Cohorts it does not define cannot be evaluated.
 *
 * Every failure is a value; messages never hold the key (the client redacts).
 */
import { readFile } from 'node:fs/promises';
import type { FlagDefinitions, RawFlagDefinition, RawPropertyGroup } from '../core/eval';
import type { Result } from '../core/types';
import type { PostHogClient } from './client';
import type { PostHogError } from './errors';
import { isJsonObject as isObject } from '../shared/json';


/** A person's properties as PostHog knows them, or why there are none. */
export interface PersonLookup {
  /** Undefined when the person could not be read (see `note`); `{}` for an unknown distinct id. */
  properties?: Record<string, unknown>;
  /** Why evaluation goes on without person properties, in plain words. */
  note?: string;
}

/**
 * Flag definitions from a JSON body: the local evaluation endpoint's
 * (`{flags, group_type_mapping, cohorts}`), the list endpoint's
 * (`{results}`), a `pull` snapshot or a plain array of flags. `undefined`
 * when it holds no flags list. Cohort names alone (the list endpoint's) do
 * not define a cohort: only `{values: […]}` groups do.
 */
export function definitionsFromBody(body: unknown): FlagDefinitions | undefined {
  const list = Array.isArray(body) ? body : isObject(body) ? (body.flags ?? body.results) : undefined;
  if (!Array.isArray(list)) return undefined;
  const flags = list.filter((f): f is RawFlagDefinition => isObject(f) && typeof f.key === 'string');
  const cohorts: Record<string, RawPropertyGroup> = {};
  const rawCohorts = isObject(body) ? body.cohorts : undefined;
  if (isObject(rawCohorts)) for (const [id, c] of Object.entries(rawCohorts)) if (isObject(c) && Array.isArray(c.values)) cohorts[id] = c as RawPropertyGroup;
  const mapping = isObject(body) && isObject(body.group_type_mapping) ? (body.group_type_mapping as Record<string, string>) : {};
  const defs: FlagDefinitions = { flags, cohorts, group_type_mapping: mapping };
  if (isObject(body) && typeof body.property_matching_version === 'number') defs.property_matching_version = body.property_matching_version;
  return defs;
}

/** Flag definitions from a snapshot file, offline. */
export async function readDefinitionsFile(path: string): Promise<Result<FlagDefinitions, PostHogError>> {
  let body: unknown;
  try {
    body = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { ok: false, error: { kind: 'file', message: `Cannot read the flags snapshot ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}.` } };
  }
  const defs = definitionsFromBody(body);
  return defs ? { ok: true, value: defs } : { ok: false, error: { kind: 'file', message: `The flags snapshot ${path} has no flags list.` } };
}

/** The project path segment: the discovered numeric id, else what was configured (`@current`). */
async function projectSegment(client: PostHogClient): Promise<Result<string | number, PostHogError>> {
  const project = await client.discoverProject();
  if (!project.ok) return project;
  return { ok: true, value: project.value?.id ?? client.projectId ?? '@current' };
}

/** The local evaluation endpoint's flag definitions and cohorts. */
export async function fetchDefinitions(client: PostHogClient): Promise<Result<FlagDefinitions, PostHogError>> {
  const pid = await projectSegment(client);
  if (!pid.ok) return pid;
  const r = await client.http.send(`/api/projects/${pid.value}/feature_flags/local_evaluation/?send_cohorts`, { action: 'reading the flag definitions for local evaluation', projectId: pid.value });
  if (!r.ok) return r;
  return { ok: true, value: definitionsFromBody(isObject(r.value.body) ? r.value.body : {}) ?? { flags: [], cohorts: {}, group_type_mapping: {} } };
}

/**
 * The properties of the person with `distinctId`. Without `person:read` (or
 * for an unknown id) the result is ok with a note; `howToGive` ends that
 * note with where the caller can pass properties instead.
 */
export async function fetchPersonProperties(client: PostHogClient, distinctId: string, howToGive: string): Promise<Result<PersonLookup, PostHogError>> {
  const pid = await projectSegment(client);
  if (!pid.ok) return pid;
  const p = await client.http.send(`/api/projects/${pid.value}/persons/?distinct_id=${encodeURIComponent(distinctId)}`, { action: `reading the person ${distinctId}`, projectId: pid.value });
  if (!p.ok) {
    if (p.error.kind === 'forbidden') return { ok: true, value: { note: `cannot read the person (the key needs the person:read scope): evaluating without person properties; ${howToGive}` } };
    return p;
  }
  const results = isObject(p.value.body) && Array.isArray(p.value.body.results) ? p.value.body.results : [];
  const person = results.find((x) => isObject(x)) as Record<string, unknown> | undefined;
  if (!person) return { ok: true, value: { properties: {}, note: `no person with distinct id ${distinctId} in PostHog: evaluating without person properties` } };
  return { ok: true, value: { properties: isObject(person.properties) ? person.properties : {} } };
}
