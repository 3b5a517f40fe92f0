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
import { resolve } from 'node:path';
import { evaluateFlags, formatFlagValue, type FlagDefinitions, type FlagEvaluation } from '../../core/eval';
import { PostHogClient } from '../../posthog/client';
import { resolveConfig } from '../../posthog/config';
import { describePostHogError, exitCodeFor, type PostHogError } from '../../posthog/errors';
import { fetchDefinitions, fetchPersonProperties, readDefinitionsFile } from '../../posthog/local-evaluation';
import { redact } from '../../posthog/redact';
import { UsageError, expectPositionals, parseCommandArgs, resolveDirectory } from '../args';
import { EXIT_FLAG_SOURCE, EXIT_OK, type CliIo } from '../io';
import { FLAG_SOURCE_OPTIONS, SCAN_OPTIONS, scanDirectory } from '../scan-and-flags';
import { oneOf } from './check';
import { groupPropertiesProblem, groupsProblem, parseJsonObject } from '../../shared/debug';

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

function jsonObject(text: string | undefined, option: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  const parsed = parseJsonObject(text, option);
  if (!parsed.ok) throw new UsageError(parsed.message);
  return parsed.value;
}

type Loaded = { ok: true; defs: FlagDefinitions; personProperties?: Record<string, unknown>; notes: string[] } | { ok: false; message: string };

async function fromApi(client: PostHogClient, distinctId: string, needPerson: boolean, personalApiKey: string): Promise<Loaded> {
  const fail = (error: PostHogError): Loaded => {
    const message = redact(describePostHogError(error), personalApiKey);
    if (exitCodeFor(error) === 2) throw new UsageError(message);
    return { ok: false, message };
  };
  const defs = await fetchDefinitions(client);
  if (!defs.ok) return fail(defs.error);
  if (!needPerson) return { ok: true, defs: defs.value, notes: [] };
  const person = await fetchPersonProperties(client, distinctId, 'give them with --person-properties');
  if (!person.ok) return fail(person.error);
  return { ok: true, defs: defs.value, notes: person.value.note ? [person.value.note] : [], personProperties: person.value.properties };
}

function formatText(distinctId: string, results: FlagEvaluation[]): string {
  if (!results.length) return `No flags to evaluate for ${distinctId}.\n`;
  const width = Math.max(...results.map((r) => r.key.length));
  const lines = [`Flags for ${distinctId}:`];
  for (const r of results) {
    lines.push(`  ${r.key.padEnd(width)}  → ${formatFlagValue(r.value)}  ${r.reason.description}`);
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
  const badGroups = groupsProblem(groups, '--groups') ?? groupPropertiesProblem(groupProperties, '--group-properties');
  if (badGroups) throw new UsageError(badGroups);
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
  // Awaited below only when the flags loaded: a failing scan must not become an unhandled rejection meanwhile.
  usedKeys?.catch(() => undefined);

  let loaded: Loaded;
  if (config.flagsFile) {
    const read = await readDefinitionsFile(config.flagsFile);
    loaded = read.ok ? { ok: true, defs: read.value, notes: [] } : { ok: false, message: read.error.message };
  }
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
