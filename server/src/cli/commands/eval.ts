/**
 * `posthog-flags eval --distinct-id ID [dir]`: what one person gets for the
 * flags the code of DIR uses (every flag with `--all`, or the `--flag` keys),
 * evaluated locally the way PostHog's server SDKs do (core/eval), with the
 * reason in plain words.
 *
 * Flag definitions and cohorts come from the local evaluation endpoint
 * (`/api/projects/{id}/feature_flags/local_evaluation/?send_cohorts`,
 * `feature_flag:read`), or offline from a `--flags-file` snapshot (cohorts
 * it does not define cannot be evaluated). Person properties come from
 * `--person-properties`, else from `/api/projects/{id}/persons/?distinct_id=`
 * (`person:read`). Exit 0 when it ran, 2 on bad usage, 3 when the flag
 * source cannot be reached or rejects the key.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { evaluateFlags, type FlagDefinitions, type FlagEvaluation, type RawFlagDefinition, type RawPropertyGroup } from '../../core/eval';
import { PostHogClient } from '../../posthog/client';
import { resolveConfig } from '../../posthog/config';
import { describePostHogError, exitCodeFor } from '../../posthog/errors';
import { redact } from '../../posthog/redact';
import { UsageError, expectPositionals, parseCommandArgs, resolveDirectory } from '../args';
import { EXIT_FLAG_SOURCE, EXIT_OK, type CliIo } from '../io';
import { FLAG_SOURCE_OPTIONS, SCAN_OPTIONS, scanDirectory } from '../scan-and-flags';
import { oneOf } from './check';

const FORMATS = ['text', 'json'] as const;

export const OPTIONS = {
  'distinct-id': { type: 'string' },
  'person-properties': { type: 'string' },
  groups: { type: 'string' },
  'group-properties': { type: 'string' },
  all: { type: 'boolean', default: false },
  flag: { type: 'string', multiple: true },
  format: { type: 'string', default: 'text' },
  ...SCAN_OPTIONS,
  ...FLAG_SOURCE_OPTIONS,
} as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonObject(text: string | undefined, option: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${option} is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(v)) throw new UsageError(`${option} must be a JSON object`);
  return v;
}

type Loaded = { ok: true; defs: FlagDefinitions; personProperties?: Record<string, unknown>; notes: string[] } | { ok: false; message: string };

/** Flag definitions from a snapshot file (the list endpoint's body, or a `pull` snapshot). */
async function fromSnapshot(path: string): Promise<Loaded> {
  let body: unknown;
  try {
    body = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { ok: false, message: `Cannot read the flags snapshot ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}.` };
  }
  const list = Array.isArray(body) ? body : isObject(body) ? (body.flags ?? body.results) : undefined;
  if (!Array.isArray(list)) return { ok: false, message: `The flags snapshot ${path} has no flags list.` };
  const flags = list.filter((f): f is RawFlagDefinition => isObject(f) && typeof f.key === 'string');
  const cohorts: Record<string, RawPropertyGroup> = {};
  // A snapshot may carry cohort definitions (the local evaluation body does); names alone do not define one.
  const rawCohorts = isObject(body) ? body.cohorts : undefined;
  if (isObject(rawCohorts)) for (const [id, c] of Object.entries(rawCohorts)) if (isObject(c) && Array.isArray(c.values)) cohorts[id] = c as RawPropertyGroup;
  const mapping = isObject(body) && isObject(body.group_type_mapping) ? (body.group_type_mapping as Record<string, string>) : {};
  return { ok: true, defs: { flags, cohorts, group_type_mapping: mapping }, notes: [] };
}

async function fromApi(client: PostHogClient, distinctId: string, needPerson: boolean, personalApiKey: string): Promise<Loaded> {
  const fail = (error: Parameters<typeof describePostHogError>[0]): Loaded => {
    const message = redact(describePostHogError(error), personalApiKey);
    if (exitCodeFor(error) === 2) throw new UsageError(message);
    return { ok: false, message };
  };
  const project = await client.discoverProject();
  if (!project.ok) return fail(project.error);
  const pid = project.value?.id ?? '@current';
  const r = await client.http.send(`/api/projects/${pid}/feature_flags/local_evaluation/?send_cohorts`, { action: 'reading the flag definitions for local evaluation', projectId: pid });
  if (!r.ok) return fail(r.error);
  const body = isObject(r.value.body) ? r.value.body : {};
  const defs: FlagDefinitions = {
    flags: Array.isArray(body.flags) ? (body.flags as RawFlagDefinition[]) : [],
    group_type_mapping: isObject(body.group_type_mapping) ? (body.group_type_mapping as Record<string, string>) : {},
    cohorts: isObject(body.cohorts) ? (body.cohorts as Record<string, RawPropertyGroup>) : {},
  };
  if (typeof body.property_matching_version === 'number') defs.property_matching_version = body.property_matching_version;
  const notes: string[] = [];
  if (!needPerson) return { ok: true, defs, notes };
  const p = await client.http.send(`/api/projects/${pid}/persons/?distinct_id=${encodeURIComponent(distinctId)}`, { action: `reading the person ${distinctId}`, projectId: pid });
  if (!p.ok) {
    if (p.error.kind === 'forbidden') {
      notes.push('cannot read the person (the key needs the person:read scope): evaluating without person properties; give them with --person-properties');
      return { ok: true, defs, notes };
    }
    return fail(p.error);
  }
  const results = isObject(p.value.body) && Array.isArray(p.value.body.results) ? p.value.body.results : [];
  const person = results.find((x) => isObject(x)) as Record<string, unknown> | undefined;
  if (!person) notes.push(`no person with distinct id ${distinctId} in PostHog: evaluating without person properties`);
  return { ok: true, defs, notes, personProperties: person && isObject(person.properties) ? person.properties : {} };
}

function formatText(distinctId: string, results: FlagEvaluation[]): string {
  if (!results.length) return `No flags to evaluate for ${distinctId}.\n`;
  const width = Math.max(...results.map((r) => r.key.length));
  const lines = [`Flags for ${distinctId}:`];
  for (const r of results) {
    const value = r.value === null ? '?' : typeof r.value === 'string' ? `'${r.value}'` : String(r.value);
    lines.push(`  ${r.key.padEnd(width)}  → ${value}  ${r.reason.description}`);
    if (r.payload !== null && r.payload !== undefined) lines.push(`  ${' '.repeat(width)}    payload ${JSON.stringify(r.payload)}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  expectPositionals(positionals, 1, 'at most one directory');
  const format = oneOf(values.format, FORMATS, '--format');
  const distinctId = values['distinct-id'];
  if (!distinctId) throw new UsageError('--distinct-id is required');
  const personProperties = jsonObject(values['person-properties'], '--person-properties');
  const groups = jsonObject(values.groups, '--groups');
  const groupProperties = jsonObject(values['group-properties'], '--group-properties');
  if (groups && Object.values(groups).some((v) => typeof v !== 'string')) throw new UsageError('--groups must map group type names to group keys, e.g. {"company":"acme"}');
  const keys = values.flag ?? [];
  if (values.all && keys.length) throw new UsageError('--all and --flag do not go together');
  const warn = (m: string) => io.stderr.write(`posthog-flags eval: ${m}\n`);

  const env = { ...io.env };
  if (env.POSTHOG_FLAGS_FILE) env.POSTHOG_FLAGS_FILE = resolve(io.cwd, env.POSTHOG_FLAGS_FILE);
  const config = resolveConfig({
    cli: { host: values.host, projectId: values.project, flagsFile: values['flags-file'] !== undefined ? resolve(io.cwd, values['flags-file']) : undefined },
    env,
  });
  if (config.problems.length) throw new UsageError(config.problems.join('; '));

  const usedKeys = values.all || keys.length ? undefined : scanDirectory(resolveDirectory(io.cwd, positionals[0]), { ref: values.ref, include: values.include, exclude: values.exclude }, warn);

  let loaded: Loaded;
  if (config.flagsFile) loaded = await fromSnapshot(config.flagsFile);
  else if (!config.personalApiKey) {
    throw new UsageError('No flag source: set POSTHOG_PERSONAL_API_KEY (a personal API key, phx_…) to read flags from PostHog, or give a snapshot with --flags-file / POSTHOG_FLAGS_FILE.');
  } else {
    const client = new PostHogClient({ host: config.host, personalApiKey: config.personalApiKey, projectId: config.projectId });
    try {
      loaded = await fromApi(client, distinctId, personProperties === undefined, config.personalApiKey);
    } finally {
      await client.close();
    }
  }
  if (!loaded.ok) {
    io.stderr.write(`posthog-flags eval: ${loaded.message}\n`);
    return EXIT_FLAG_SOURCE;
  }
  for (const n of loaded.notes) warn(n);

  let wanted: string[] | undefined = keys.length ? keys : undefined;
  if (usedKeys) wanted = [...new Set((await usedKeys).result.usages.map((u) => u.key))].sort();
  const subject = {
    distinctId,
    personProperties: personProperties ?? loaded.personProperties ?? {},
    groups: groups as Record<string, string> | undefined,
    groupProperties: groupProperties as Record<string, Record<string, unknown>> | undefined,
  };
  const results = evaluateFlags(loaded.defs, subject, wanted);
  if (format === 'json') io.stdout.write(`${JSON.stringify({ distinctId, flags: results.map(({ key, value, payload, reason }) => ({ key, value, payload, reason })) }, null, 2)}\n`);
  else io.stdout.write(formatText(distinctId, results));
  return EXIT_OK;
}
