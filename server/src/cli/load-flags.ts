/**
 * The flag source of `check`, `report` and `diff`: a snapshot file
 * (`--flags-file`, else `POSTHOG_FLAGS_FILE`) or the PostHog API
 * (`--host`/`--project`, else `POSTHOG_HOST`/`POSTHOG_PROJECT_ID`, with
 * `POSTHOG_PERSONAL_API_KEY`), through the shared client in server/src/posthog.
 * Failures are values with a printable reason that never holds the key;
 * bad configuration (no source, a bad host or project id) is a UsageError (exit 2).
 */
import { resolve } from 'node:path';
import type { FlagSnapshot } from '../core/flags/types';
import { resolveConfig } from '../posthog/config';
import { describePostHogError, exitCodeFor } from '../posthog/errors';
import { loadFlags } from '../posthog/flag-source';
import { redact } from '../posthog/redact';
import { UsageError } from './args';
import type { CliIo } from './io';

export interface FlagSourceValues {
  host?: string;
  project?: string;
  'flags-file'?: string;
}

export type SnapshotResult = { ok: true; snapshot: FlagSnapshot } | { ok: false; message: string };

/** `seenBefore`: flags seen earlier (`check --since`), so flags deleted since then are known as deleted. */
export async function loadFlagSnapshot(values: FlagSourceValues, io: CliIo, opts: { seenBefore?: FlagSnapshot } = {}): Promise<SnapshotResult> {
  const env = { ...io.env };
  if (env.POSTHOG_FLAGS_FILE) env.POSTHOG_FLAGS_FILE = resolve(io.cwd, env.POSTHOG_FLAGS_FILE);
  const config = resolveConfig({
    cli: {
      host: values.host,
      projectId: values.project,
      flagsFile: values['flags-file'] !== undefined ? resolve(io.cwd, values['flags-file']) : undefined,
    },
    env,
  });
  if (config.problems.length) throw new UsageError(config.problems.join('; '));
  const loaded = await loadFlags(config, opts.seenBefore ? { seenBefore: opts.seenBefore } : {});
  if (loaded.ok) return { ok: true, snapshot: loaded.value };
  const message = redact(describePostHogError(loaded.error), config.personalApiKey);
  if (exitCodeFor(loaded.error) === 2) throw new UsageError(message);
  return { ok: false, message };
}
