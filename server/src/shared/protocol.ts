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
  /**
   * The release conditions (PostHog's condition groups) in order, for a flag
   * in PostHog: each one's rollout percentage (a missing one is 100) and
   * whether it filters by properties (cohort, person, group), so its 100% is
   * not every user. *Change Rollout…* works on a flag with one.
   */
  conditions?: Array<{ rolloutPercentage: number; filtered: boolean }>;
  /** Enabled, the flag reaches every user (a condition without properties at 100%); said for disabled flags too. */
  reachesEveryoneWhenEnabled?: boolean;
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

/**
 * What changed about one flag between two refreshes (or since a snapshot,
 * `check --since`). Kinds, in the order a summary names them:
 * - `created`: the key was missing (or deleted) and now is a flag;
 * - `deleted`: the flag is gone (deleted, or no longer in the flag list);
 * - `enabled` / `disabled`: `active` (or archived) flipped;
 * - `rollout`: only the percentages of the same release conditions moved;
 * - `conditions`: release conditions were added, removed or edited;
 * - `variants`: the multivariate variants or their split changed;
 * - `released`: the flag just became released to everyone.
 */
export type FlagChangeKind = 'created' | 'deleted' | 'enabled' | 'disabled' | 'rollout' | 'conditions' | 'variants' | 'released';

/** A flag at one side of a change. */
export interface FlagChangeSide {
  state: 'active' | 'disabled' | 'deleted' | 'missing';
  /** The rollout in words (report's `rollout`), absent when the flag is not in PostHog. */
  rollout?: string;
  releasedToEveryone: boolean;
}

/** One entry of `posthog/flagsChanged` and of `check --since` (`changes`). */
export interface FlagChange {
  key: string;
  before: FlagChangeSide;
  after: FlagChangeSide;
  /** In plain words, e.g. "rollout 30% → 100% of users — released to everyone". */
  summary: string;
  /** Usages of the key in the workspace (or the scanned folder). Only used flags are listed. */
  usageCount: number;
  kinds: FlagChangeKind[];
  /** True when the flag just became released to everyone, disabled or deleted: the code behind it changed meaning. */
  warning: boolean;
}

/**
 * Notification `posthog/flagsChanged` (server → client): sent after a
 * refresh whose flags differ from the previous refresh in a flag the
 * workspace uses (interfaces.md "Change alerts"). Not sent for the first
 * load, nor while the `changeAlerts` setting is false.
 */
export interface FlagsChangedParams {
  changes: FlagChange[];
  /** When the refresh that found the changes fetched the flags (identifies the refresh). */
  fetchedAt?: string;
}
export const FLAGS_CHANGED_NOTIFICATION = 'posthog/flagsChanged';

/** "used once" / "used 3 times". */
export const usedTimes = (n: number): string => (n === 1 ? 'used once' : `used ${n} times`);

/**
 * The sentence for one change, the same in every editor: VS Code's
 * notification and the server's `window/showMessage` warning for other clients.
 */
export function changeMessage(c: FlagChange): string {
  return `PostHog: flag '${c.key}' changed: ${c.summary} (${usedTimes(c.usageCount)} in this workspace).`;
}
