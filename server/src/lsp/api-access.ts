/**
 * The server's use of the PostHog API client (server/src/posthog/client.ts):
 * loads for the FlagStore, the writes for the commands, and whoami for
 * the VS Code client's sign-in check. Every failure is a value with a
 * message that quotes PostHog's detail and never holds the key (the client
 * redacts; the server's writer redacts again).
 */
import { flagToJson } from '../core/flags/snapshot-json';
import type { FlagWrites } from './flag-writes';
import { describePostHogError, statusStateFor, type PostHogError } from '../posthog/errors';
import { fetchDefinitions, fetchPersonProperties } from '../posthog/local-evaluation';
import type { DebugSource } from './debug-person';
import { PostHogClient } from '../posthog/client';
import { requestTimeoutMs } from '../posthog/http';

import type { LoadResult } from './flag-store';
import type { FlagSourceConfig } from './flag-source';
import type { LogLevel } from './state';

import type { WhoAmIResult } from '../shared/protocol';

export type { WhoAmIResult };

export interface ApiAccess {
  /** One background fetch (shares a fetch in flight). */
  load(): Promise<LoadResult>;
  /** A fetch that always goes out, after any pending Retry-After (`posthog.refresh`). */
  forcedLoad(): Promise<LoadResult>;
  writes: FlagWrites;
  whoami(): Promise<WhoAmIResult>;
  /** Definitions for local evaluation and persons (`posthog.evaluateFor`). */
  debugSource: DebugSource;
  dispose(): void;
}


export function createApiAccess(
  config: Extract<FlagSourceConfig, { kind: 'api' }>,
  log: (level: LogLevel, message: string) => void,
  versionSeen: (key: string) => number | undefined,
): ApiAccess {
  const client = new PostHogClient({
    host: config.host,
    personalApiKey: config.key,
    projectId: config.projectId,
    log: (line) => log('log', line),
    userAgent: 'posthog-flags-language-server/0.1.0',
    timeoutMs: requestTimeoutMs(),
  });
  const toLoad = (r: Awaited<ReturnType<PostHogClient['fetchSnapshot']>>): LoadResult =>
    r.ok ? { ok: true, snapshot: r.value } : { ok: false, state: statusStateFor(r.error), message: r.error.message };
  return {
    load: async () => toLoad(await client.fetchSnapshot()),
    forcedLoad: async () => toLoad(await client.refresh()),
    writes: {
      async createFlag(args) {
        const r = await client.createFlag(args);
        return r.ok ? { ok: true, flag: flagToJson(r.value.flag) } : { ok: false, message: r.error.message };
      },
      async toggleFlag(args) {
        const r = await client.toggleFlag(args.key, args.active, { version: versionSeen(args.key) });
        return r.ok
          ? { ok: true, result: { key: r.value.key, active: r.value.active, version: r.value.version ?? null } }
          : { ok: false, message: r.error.message };
      },
      async changeRollout(args) {
        const r = await client.setRolloutPercentage(args.key, args.rolloutPercentage, { version: versionSeen(args.key) });
        return r.ok
          ? { ok: true, result: { key: r.value.key, rolloutPercentage: r.value.rolloutPercentage, version: r.value.version ?? null } }
          : { ok: false, message: r.error.message };
      },
    },
    debugSource: {
      async definitions() {
        const r = await fetchDefinitions(client);
        return r.ok ? r : described(r.error);
      },
      async person(distinctId) {
        const r = await fetchPersonProperties(client, distinctId, 'give them in personProperties');
        return r.ok ? r : described(r.error);
      },
    },
    async whoami() {
      const me = await client.whoAmI();
      if (!me.ok) return { ok: false, message: me.error.message };
      const project = await client.discoverProject();
      const info = project.ok ? project.value : undefined;
      return {
        ok: true,
        user: { email: me.value.email ?? '', name: me.value.firstName ?? '' },
        project: { id: info?.id ?? me.value.projectId ?? config.projectId, name: info?.name ?? me.value.projectName ?? '' },
        host: client.host,
      };
    },
    dispose() {
      void client.close().catch(() => undefined);
    },
  };
}

/** A failure in words that quote PostHog's detail (the client already removed the key). */
function described(error: PostHogError): { ok: false; error: { message: string } } {
  return { ok: false, error: { message: describePostHogError(error) } };
}
