/**
 * Staleness (posthog-api.md §9). The server's `status` wins when it says
 * something definite (`STALE`, or `INACTIVE` on intermediate releases, are
 * stale; `ACTIVE` is not); otherwise the newest rule is computed with the
 * caller's `now`. Disabled, archived and deleted flags are never stale.
 */
import { fullyRolledOut } from './rollout';
import type { Flag } from './types';

export const STALE_AFTER_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface StaleVerdict {
  stale: boolean;
  reason: string;
}

function daysSince(iso: string | null | undefined, now: Date): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : Math.floor((now.getTime() - t) / DAY_MS);
}

function rolledOutReason(value: true | string): string {
  return value === true ? 'This boolean flag will always evaluate to "true"' : `This flag will always use the variant "${value}"`;
}

/** The newest rule, computed. */
function computeStale(flag: Flag, now: Date): StaleVerdict {
  const calledDays = daysSince(flag.lastCalledAt, now);
  if (calledDays !== undefined) {
    return calledDays > STALE_AFTER_DAYS
      ? { stale: true, reason: `Flag has not been called in ${calledDays} days` }
      : { stale: false, reason: `Flag was called ${calledDays <= 0 ? 'today' : `${calledDays} day${calledDays === 1 ? '' : 's'} ago`}` };
  }
  const ageDays = daysSince(flag.createdAt, now);
  const full = fullyRolledOut(flag);
  if (ageDays !== undefined && ageDays > STALE_AFTER_DAYS && full) return { stale: true, reason: rolledOutReason(full.value) };
  return { stale: false, reason: 'Flag has no usage data yet' };
}

/** Why the server's STALE/INACTIVE holds, in words (best effort from the fields we have). */
function serverReason(flag: Flag, now: Date, status: string): string {
  const computed = computeStale(flag, now);
  if (computed.stale) return computed.reason;
  const full = fullyRolledOut(flag);
  if (status === 'STALE' && full) return rolledOutReason(full.value);
  return status === 'INACTIVE' ? `PostHog marks this flag inactive: not called in the last ${STALE_AFTER_DAYS} days` : 'PostHog marks this flag stale';
}

export function staleness(flag: Flag, now: Date): StaleVerdict {
  if (flag.deleted) return { stale: false, reason: 'deleted flags are not evaluated for staleness' };
  if (flag.archived) return { stale: false, reason: 'archived flags are not evaluated for staleness' };
  if (!flag.active) return { stale: false, reason: 'disabled flags are not evaluated for staleness' };
  const status = flag.status;
  if (status === 'STALE' || status === 'INACTIVE') return { stale: true, reason: serverReason(flag, now, status) };
  if (status === 'ACTIVE') {
    const computed = computeStale(flag, now);
    return { stale: false, reason: computed.stale ? 'PostHog reports this flag active' : computed.reason };
  }
  return computeStale(flag, now);
}
