/**
 * `posthog-flags pull [--host URL] [--project ID] [--out FILE]`: writes a
 * flags snapshot (the list endpoint's body plus `cohorts`, `group_types`,
 * `deleted_keys` and metadata) that `--flags-file` / POSTHOG_FLAGS_FILE
 * readers accept. To stdout without `--out`. Never contains the key.
 * Exit 0 when written, 2 on bad usage (incl. no key), 3 when PostHog cannot
 * be reached or rejects the key (reason on stderr, quoting PostHog's detail).
 */
import { rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { snapshotToJson } from '../../core/flags/snapshot-json';
import { PostHogClient } from '../../posthog/client';
import { resolveConfig } from '../../posthog/config';
import { redact } from '../../posthog/redact';
import { plural } from '../../core/words';
import { describePostHogError } from '../../posthog/errors';
import { UsageError, expectPositionals, parseCommandArgs, usageErrorText } from '../args';
import { EXIT_FLAG_SOURCE, EXIT_OK, EXIT_USAGE, type CliIo } from '../io';

export interface PullIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  cwd?: string;
}

export const OPTIONS = {
  host: { type: 'string' },
  project: { type: 'string' },
  out: { type: 'string', short: 'o' },
} as const;

const USAGE = 'posthog-flags pull [--host URL] [--project ID] [--out FILE]';

/** Runs `pull`; bad usage prints the reason and the usage to stderr and resolves to 2. */
export async function runPull(argv: string[], io: PullIo): Promise<number> {
  try {
    return await pull(argv, io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(redact(`posthog-flags pull: ${usageErrorText('pull', err)}\nUsage: ${USAGE}\n`, io.env.POSTHOG_PERSONAL_API_KEY));
    return EXIT_USAGE;
  }
}

async function pull(argv: string[], io: PullIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  expectPositionals(positionals, 0, 'no positional arguments');
  const config = resolveConfig({ cli: { host: values.host, projectId: values.project }, env: io.env });
  if (config.problems.length) throw new UsageError(config.problems.join('; '));
  const key = config.personalApiKey;
  if (!key) throw new UsageError('no personal API key: set POSTHOG_PERSONAL_API_KEY (a personal API key, phx_…) to pull flags from PostHog');
  const client = new PostHogClient({ host: config.host, personalApiKey: key, projectId: config.projectId });
  try {
    const result = await client.fetchSnapshot();
    if (!result.ok) {
      io.stderr.write(redact(`posthog-flags pull: ${describePostHogError(result.error)}\n`, key));
      return EXIT_FLAG_SOURCE;
    }
    const snapshot = result.value;
    const text = redact(`${JSON.stringify(snapshotToJson(snapshot), null, 2)}\n`, key);
    for (const w of snapshot.warnings) io.stderr.write(redact(`posthog-flags pull: warning: ${w}\n`, key));
    if (values.out === undefined) {
      io.stdout.write(text);
      return EXIT_OK;
    }
    const out = resolve(io.cwd ?? process.cwd(), values.out);
    const tmp = `${out}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, text, 'utf8');
      await rename(tmp, out);
    } catch (err) {
      throw new UsageError(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const project = snapshot.projectId !== undefined ? ` of project ${snapshot.projectId}` : '';
    io.stderr.write(`Wrote ${plural(snapshot.flags.length, 'flag')}${project} from ${client.host} to ${out}\n`);
    return EXIT_OK;
  } finally {
    await client.close();
  }
}

/** The command-table entry point (server/src/cli/main.ts). */
export function run(argv: string[], io: CliIo): Promise<number> {
  return runPull(argv, io);
}
