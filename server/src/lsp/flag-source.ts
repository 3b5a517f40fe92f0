/**
 * Where the server's flags come from: a snapshot file (`flagsFile`) or the
 * PostHog API (server/src/posthog). Turns either into the FlagStore's
 * `load()` and the commands' writes. Applies the key-host rule: the key
 * goes only to the host from initializationOptions or `POSTHOG_HOST`; a
 * different host from workspace configuration is ignored for keyed requests.
 */
import { isAbsolute, join } from 'node:path';
import type { FlagWrites } from './flag-writes';
import type { LoadResult } from './flag-store';
import type { InitializationOptions, WorkspaceSettings } from './settings';
import { normalizeHost, resolveConfig } from '../posthog/config';
import { readSnapshotFile } from '../posthog/flag-source';
import { readDefinitionsFile } from '../posthog/local-evaluation';
import type { DebugSource } from './debug-person';

/**
 * Why there are no flags on a first run (no key, no snapshot): the
 * `posthog/status` message, the hovers' note and the refusal of writes. Says
 * how to get a flag source in every editor.
 */
export const NO_FLAG_SOURCE =
  'No flag source yet: sign in to PostHog (VS Code: "PostHog Flags: Sign In"; other editors: a personal API key, phx_…, in initializationOptions.personalApiKey or POSTHOG_PERSONAL_API_KEY), or point posthog.flagsFile (POSTHOG_FLAGS_FILE) at a snapshot written by `posthog-flags pull`.';

/** The resolved flag source. The key is kept here and nowhere else in the server's state. */
export type FlagSourceConfig =
  | { kind: 'file'; path: string; host: string; projectId: number | '@current' }
  | { kind: 'api'; host: string; projectId: number | '@current'; key: string }
  | { kind: 'none'; host: string; projectId: number | '@current'; reason: string };

export interface ResolvedSource {
  config: FlagSourceConfig;
  /** Lines for window/logMessage (never containing the key): an ignored workspace host, bad values. */
  notes: string[];
}

/**
 * Precedence and the key-host rule are posthog/config.ts `resolveConfig`'s:
 * initializationOptions > workspace configuration > env, the key only from
 * initializationOptions or env, and a workspace host other than the keyed
 * one ignored for keyed requests (noted, for window/logMessage).
 */
export function resolveFlagSource(init: InitializationOptions, ws: WorkspaceSettings, env: NodeJS.ProcessEnv, firstFolder: string | undefined): ResolvedSource {
  const resolved = resolveConfig({
    init: { host: init.host, projectId: init.projectId, personalApiKey: init.personalApiKey, flagsFile: init.flagsFile },
    workspace: { host: ws.host, projectId: ws.projectId, flagsFile: ws.flagsFile },
    env,
  });
  const notes = [...resolved.problems, ...resolved.notes];
  const { host, projectId } = resolved;
  const wsHost = ws.host ? normalizeHost(ws.host)?.host : undefined;
  if (resolved.personalApiKey && wsHost && wsHost !== host && !resolved.hostNeedsConfirmation) {
    notes.push(`The workspace configuration sets the PostHog host to ${wsHost}; the personal API key is only sent to ${host} (given by the client or POSTHOG_HOST), so ${wsHost} is ignored until you confirm it through the client.`);
  }
  if (resolved.flagsFile) {
    const path = isAbsolute(resolved.flagsFile) || !firstFolder ? resolved.flagsFile : join(firstFolder, resolved.flagsFile);
    return { config: { kind: 'file', path, host, projectId }, notes };
  }
  if (!resolved.personalApiKey) {
    return { config: { kind: 'none', host, projectId, reason: NO_FLAG_SOURCE }, notes };
  }
  return { config: { kind: 'api', host, projectId, key: resolved.personalApiKey }, notes };
}

/** Identity of a config for change detection (no key material, only whether one is set and a hash-free length). */
export function configIdentity(c: FlagSourceConfig): string {
  if (c.kind === 'api') return `api|${c.host}|${c.projectId}|${c.key.length}|${c.key.slice(-4)}`;
  if (c.kind === 'file') return `file|${c.path}`;
  return `none|${c.host}|${c.projectId}`;
}

/** Reads a snapshot file into a LoadResult (never throws): the CLI's reader, so both accept and reject the same files in the same words. */
export async function loadSnapshotFile(path: string): Promise<LoadResult> {
  const read = await readSnapshotFile(path);
  return read.ok ? { ok: true, snapshot: read.value } : { ok: false, state: 'error', message: read.error.message };
}

/** Writes are refused with this message when the flags come from a file or there is no key. */
export function writesUnavailable(config: FlagSourceConfig): FlagWrites {
  const message =
    config.kind === 'file'
      ? 'Flags come from a snapshot file (flagsFile): creating, toggling or changing flags needs the PostHog API and a personal API key.'
      : config.kind === 'none'
        ? config.reason
        : 'PostHog writes are not available.';
  return {
    createFlag: async () => ({ ok: false, message }),
    toggleFlag: async () => ({ ok: false, message }),
    changeRollout: async () => ({ ok: false, message }),
  };
}

/**
 * Where `posthog.evaluateFor` gets definitions and persons: the API's
 * local evaluation and persons endpoints (`api`, built with the key), the
 * snapshot file's flags (no persons: properties only as given), or nothing.
 */
export function debugSourceFor(config: FlagSourceConfig | undefined, api: { debugSource: DebugSource } | undefined): DebugSource {
  if (config?.kind === 'api' && api) return api.debugSource;
  if (config?.kind === 'file') {
    const path = config.path;
    return {
      async definitions() {
        const r = await readDefinitionsFile(path);
        return r.ok ? r : { ok: false, error: { message: r.error.message } };
      },
      noPersonsNote: 'flags come from a snapshot file, so no person properties are read from PostHog: give them (personProperties) for conditions on properties',
    };
  }
  const reason = config?.kind === 'none' ? config.reason : 'Not configured yet.';
  return { definitions: async () => ({ ok: false, error: { message: reason } }) };
}
