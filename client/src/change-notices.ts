/**
 * Which notifications a `posthog/flagsChanged` becomes (interfaces.md
 * "Change alerts"). Pure: no `vscode` import; change-alerts.ts shows them.
 *
 * Rules:
 * - nothing while `posthog.changeAlerts` is false;
 * - at most one notification per flag per refresh: a refresh (its
 *   `fetchedAt`) is announced once, a key once within it;
 * - a warning for a flag that just became released to everyone, disabled or
 *   deleted, information otherwise; warnings first;
 * - up to MAX_SEPARATE notifications of their own; beyond that the rest
 *   share one notification (its action lists them all in the output).
 */
import { changeMessage, usedTimes, type FlagChange, type FlagsChangedParams } from './protocol';

/** Separate notifications per refresh before the rest are grouped into one. */
export const MAX_SEPARATE = 3;

export type NoticeAction = 'Show Usages' | 'Open in PostHog' | 'Show All Changes';

export interface ChangeNotice {
  severity: 'warning' | 'information';
  message: string;
  actions: NoticeAction[];
  /** The flag the actions act on (a notice of its own). */
  key?: string;
  /** The changes a notice covers (one, or the grouped rest). */
  changes: FlagChange[];
}

/** One line per change, for the output channel and the grouped notice. */
export function changeLine(c: FlagChange): string {
  return `'${c.key}' (${usedTimes(c.usageCount)}): ${c.summary}`;
}

function noticeOf(c: FlagChange): ChangeNotice {
  // A flag that is gone has no page to open.
  const inPostHog = c.after.state === 'active' || c.after.state === 'disabled';
  return {
    severity: c.warning ? 'warning' : 'information',
    message: changeMessage(c),
    actions: inPostHog ? ['Show Usages', 'Open in PostHog'] : ['Show Usages'],
    key: c.key,
    changes: [c],
  };
}

function groupedNotice(rest: FlagChange[], separate: number): ChangeNotice {
  const names = rest.map((c) => `'${c.key}'`).join(', ');
  return {
    severity: rest.some((c) => c.warning) ? 'warning' : 'information',
    message: `PostHog: ${separate ? `${rest.length} more flags` : `${rest.length} flags`} used in this workspace changed: ${names}.`,
    actions: ['Show All Changes'],
    changes: rest,
  };
}

export class ChangeNoticeFilter {
  /** `fetchedAt` of the refreshes already announced (the last few). */
  private readonly announced: string[] = [];

  /** The notifications for one `posthog/flagsChanged`, or none. */
  decide(params: FlagsChangedParams | undefined, enabled: boolean): ChangeNotice[] {
    if (!enabled || !params || !Array.isArray(params.changes)) return [];
    if (params.fetchedAt !== undefined) {
      if (this.announced.includes(params.fetchedAt)) return [];
      this.announced.push(params.fetchedAt);
      if (this.announced.length > 20) this.announced.shift();
    }
    const byKey = new Map<string, FlagChange>();
    for (const c of params.changes) {
      if (!c || typeof c.key !== 'string' || !(c.usageCount > 0) || byKey.has(c.key)) continue;
      byKey.set(c.key, c);
    }
    const changes = [...byKey.values()].sort((a, b) => Number(b.warning) - Number(a.warning) || a.key.localeCompare(b.key));
    if (changes.length <= MAX_SEPARATE) return changes.map(noticeOf);
    const separate = MAX_SEPARATE - 1;
    return [...changes.slice(0, separate).map(noticeOf), groupedNotice(changes.slice(separate), separate)];
  }
}
