/**
 * The server's custom LSP messages, beyond the standard ones and the
 * `workspace/executeCommand` commands of interfaces.md (their ids are in
 * commands.ts). The one place they are declared: the server implements them
 * and the VS Code client imports these names and types.
 */
import type { Range } from 'vscode-languageserver-protocol';

export type StatusState = 'ok' | 'unauthenticated' | 'offline' | 'error';

/**
 * Notification `posthog/status` (server → client): after the first fetch and
 * whenever state or message changes, and after each successful fetch (so
 * `fetchedAt` stays current).
 */
export interface StatusParams {
  state: StatusState;
  message?: string;
  flagCount?: number;
  /** When the flags the server answers from were fetched (ISO time); kept while later fetches fail. Extension of the contract. */
  fetchedAt?: string;
  /** The distinct id being debugged (`posthog.evaluateFor`), while one is. */
  debugging?: string;
}
export const STATUS_NOTIFICATION = 'posthog/status';

/** Notification `posthog/reportChanged` (server → client, params `{}`): usages or flags changed, so the report did. */
export const REPORT_CHANGED_NOTIFICATION = 'posthog/reportChanged';

/** One row of request `posthog/report`: the CLI's `report --format json` row plus its usages as LSP locations. */
export interface ReportFlag {
  key: string;
  state: 'active' | 'disabled' | 'deleted' | 'missing';
  inPostHog: boolean;
  inCode: boolean;
  usageCount: number;
  files: string[];
  /** Human summary of the rollout, e.g. "30% of all users". */
  rollout: string;
  releasedToEveryone: boolean;
  stale: boolean;
  staleReason?: string;
  name?: string;
  /** The flag's page in PostHog. */
  url?: string;
  usages: Array<{ uri: string; range: Range }>;
}

/** Request `posthog/report` with params `{}`: every flag in code or in PostHog (the Flag Explorer). */
export interface ReportResult {
  flags: ReportFlag[];
  /**
   * Usages whose key could not be resolved because of an import the index
   * could not follow (or another reason than a run-time key): while > 0, a
   * flag "not in code" may be used after all.
   */
  unresolvedUsages?: number;
  /**
   * Set while no flags are known (no flag source on a first run, or PostHog
   * has not answered yet): why, in words. `flags` is then empty: without
   * flags no key can be called missing in PostHog.
   */
  flagsUnknown?: string;
}
export const REPORT_REQUEST = 'posthog/report';

/** Request `posthog/whoami` with params `{}`: checks the key the server was started with. */
export type WhoAmIResult =
  | { ok: true; user: { email: string; name: string }; project: { id: number | string; name: string }; host: string }
  | { ok: false; message: string };
export const WHOAMI_REQUEST = 'posthog/whoami';
