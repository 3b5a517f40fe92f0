/**
 * Custom messages between this client and the server (beyond the standard
 * LSP ones and the commands in interfaces.md).
 */
import type { Range } from 'vscode-languageclient/node';

/** Notification `posthog/status` (server → client). */
export interface StatusParams {
  state: 'ok' | 'unauthenticated' | 'offline' | 'error';
  message?: string;
  flagCount?: number;
}
export const STATUS_NOTIFICATION = 'posthog/status';

/** Notification `posthog/reportChanged` (server → client, optional): the report below changed. */
export const REPORT_CHANGED_NOTIFICATION = 'posthog/reportChanged';

/** One row of the Flag Explorer: the CLI's `report --format json` row plus usages. */
export interface ReportFlag {
  key: string;
  state: 'active' | 'disabled' | 'deleted' | 'missing';
  inPostHog: boolean;
  inCode: boolean;
  usageCount: number;
  files: string[];
  /** Human summary, e.g. "30% of users", "2 conditions". */
  rollout: string;
  releasedToEveryone: boolean;
  stale: boolean;
  staleReason?: string;
  name?: string;
  /** The flag's page in PostHog. */
  url?: string;
  usages: Array<{ uri: string; range: Range }>;
}

/** Request `posthog/report` with params `{}`. */
export interface ReportResult {
  flags: ReportFlag[];
}
export const REPORT_REQUEST = 'posthog/report';

/** Request `posthog/whoami` with params `{}`: checks the key the server was started with. */
export type WhoAmIResult =
  | { ok: true; user: { email: string; name: string }; project: { id: number | string; name: string }; host: string }
  | { ok: false; message: string };
export const WHOAMI_REQUEST = 'posthog/whoami';

/** Argument of the client commands that act on one flag. */
export interface FlagArg {
  key: string;
}
