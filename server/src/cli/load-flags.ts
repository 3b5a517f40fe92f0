/**
 * The flag source of `check`, `report` and `diff`: a snapshot file
 * (`--flags-file`, else `POSTHOG_FLAGS_FILE`) or the PostHog API
 * (`--host`/`--project`, else `POSTHOG_HOST`/`POSTHOG_PROJECT_ID`, with
 * `POSTHOG_PERSONAL_API_KEY`). Failures are values with a printable reason
 * that never holds the key.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseSnapshotBody } from '../core/flags/parse';
import type { FlagSnapshot } from '../core/flags/types';
import { UsageError } from './args';
import type { CliIo } from './io';

export interface FlagSourceValues {
  host?: string;
  project?: string;
  'flags-file'?: string;
}

export type SnapshotResult = { ok: true; snapshot: FlagSnapshot } | { ok: false; message: string };

export async function loadFlagSnapshot(values: FlagSourceValues, io: CliIo): Promise<SnapshotResult> {
  const file = values['flags-file'] ?? io.env.POSTHOG_FLAGS_FILE;
  if (file) return loadSnapshotFile(resolve(io.cwd, file), values['flags-file'] !== undefined);
  return loadFromApi(values, io);
}

async function loadSnapshotFile(path: string, fromOption: boolean): Promise<SnapshotResult> {
  let text: string;
  let mtime: Date;
  try {
    [text, mtime] = await Promise.all([readFile(path, 'utf8'), stat(path).then((s) => s.mtime)]);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (fromOption && code === 'ENOENT') throw new UsageError(`no such flags file: ${path}`);
    return { ok: false, message: `cannot read flags file ${path}: ${code ?? (err as Error).message}` };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `flags file ${path} is not JSON: ${(err as Error).message}` };
  }
  const parsed = parseSnapshotBody(body, mtime.toISOString());
  if (!parsed.ok) return { ok: false, message: `flags file ${path}: ${parsed.error.message}` };
  return { ok: true, snapshot: parsed.value };
}

async function loadFromApi(values: FlagSourceValues, io: CliIo): Promise<SnapshotResult> {
  if (!io.env.POSTHOG_PERSONAL_API_KEY) {
    throw new UsageError(
      'no flag source: give --flags-file FILE (or POSTHOG_FLAGS_FILE), or set POSTHOG_PERSONAL_API_KEY (with --host/POSTHOG_HOST)',
    );
  }
  void values;
  return { ok: false, message: 'the PostHog API client is not available in this build' };
}
