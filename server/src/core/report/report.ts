/**
 * "Active and implemented": one row per flag key that is in code or in
 * PostHog, the data behind `posthog-flags report` and the editor's Flag
 * Explorer. Pure: the caller passes the scan, the snapshot and the clock.
 */
import { releasedToEveryone } from '../flags/rollout';
import { plural } from '../words';
import { staleness } from '../flags/stale';
import { flagState } from '../flags/state';
import { summarizeRollout } from '../flags/summary';
import type { Flag, FlagSnapshot, FlagState } from '../flags/types';
import type { ScanResult } from '../types';

/** One row of `report --format json` (the contract's fields first, then extras). */
export interface ReportRow {
  key: string;
  state: FlagState;
  /** The flag exists in PostHog and is not deleted. */
  inPostHog: boolean;
  inCode: boolean;
  usageCount: number;
  /** Files using the key, sorted. */
  files: string[];
  /** Rollout in words (`100% of users`); null when the flag is not in PostHog. */
  rollout: string | null;
  releasedToEveryone: boolean;
  stale: boolean;
  // Extras
  /** PostHog's `name` (the flag's description); null when not in PostHog. */
  name: string | null;
  id: number | null;
  /** Why the flag is (or is not) stale; null when not in PostHog. */
  staleReason: string | null;
  /** The flag's page in PostHog, when host and project are known. */
  url: string | null;
  /** Variant keys of a multivariate flag. */
  variants: string[];
  tags: string[];
  lastCalledAt: string | null;
}

export interface ReportOptions {
  /** Clock for staleness (tests pass a fixed date). */
  now: Date;
  /** PostHog app host for `url` (defaults to the snapshot's). */
  host?: string;
  projectId?: number;
}

/**
 * Rows for every key used in `scan` and every live flag in `snapshot`
 * (deleted flags only when in code), sorted by key.
 */
export function buildReport(scan: ScanResult, snapshot: FlagSnapshot, opts: ReportOptions): ReportRow[] {
  const usage = new Map<string, { count: number; files: Set<string> }>();
  for (const u of scan.usages) {
    let entry = usage.get(u.key);
    if (!entry) usage.set(u.key, (entry = { count: 0, files: new Set() }));
    entry.count++;
    entry.files.add(u.file);
  }
  const keys = new Set<string>([...usage.keys(), ...snapshot.byKey.keys()]);
  const host = (opts.host ?? snapshot.host)?.replace(/\/+$/, '');
  const projectId = opts.projectId ?? snapshot.projectId;
  const ctx = { cohorts: snapshot.cohorts, groupTypes: snapshot.groupTypes, byId: snapshot.byId };
  const rows: ReportRow[] = [];
  for (const key of [...keys].sort(compare)) {
    const used = usage.get(key);
    const flag: Flag | undefined = snapshot.byKey.get(key);
    const stale = flag ? staleness(flag, opts.now) : undefined;
    rows.push({
      key,
      state: flagState(key, snapshot),
      inPostHog: flag !== undefined,
      inCode: used !== undefined,
      usageCount: used?.count ?? 0,
      files: used ? [...used.files].sort(compare) : [],
      rollout: flag ? summarizeRollout(flag, ctx).text : null,
      releasedToEveryone: flag ? releasedToEveryone(flag) : false,
      stale: stale?.stale ?? false,
      name: flag ? flag.name : null,
      id: flag ? flag.id : null,
      staleReason: stale?.reason ?? null,
      url: flag && host && projectId !== undefined ? `${host}/project/${projectId}/feature_flags/${flag.id}` : null,
      variants: flag ? flag.filters.variants.map((v) => v.key) : [],
      tags: flag ? [...flag.tags] : [],
      lastCalledAt: flag?.lastCalledAt ?? null,
    });
  }
  return rows;
}

/**
 * Counts for a report's footer. `activeAndImplemented`, `disabledInCode`,
 * `inCodeNotInPostHog` and `inPostHogNotInCode` split the rows (they add up
 * to `flags`); `stale` counts across them.
 */
export interface ReportTotals {
  flags: number;
  activeAndImplemented: number;
  /** In code and in PostHog, but disabled. */
  disabledInCode: number;
  inCodeNotInPostHog: number;
  inPostHogNotInCode: number;
  stale: number;
}

export function reportTotals(rows: readonly ReportRow[]): ReportTotals {
  return {
    flags: rows.length,
    activeAndImplemented: rows.filter((r) => r.inCode && r.state === 'active').length,
    disabledInCode: rows.filter((r) => r.inCode && r.state === 'disabled').length,
    inCodeNotInPostHog: rows.filter((r) => r.inCode && !r.inPostHog).length,
    inPostHogNotInCode: rows.filter((r) => r.inPostHog && !r.inCode).length,
    stale: rows.filter((r) => r.stale).length,
  };
}

/**
 * Usages the scan could not resolve for a reason other than a key computed
 * at run time (an import it could not follow, or another reason): while there
 * are any, no flag can be said with certainty to be "not in code".
 */
export function uncertainUsages(scan: Pick<ScanResult, 'unresolved'>): number {
  return scan.unresolved.filter((u) => u.reason === 'import' || u.reason === 'other').length;
}

/** The totals line's "in PostHog but not in code" part, honest about unresolved usages. */
/** The footer line's counts: "2 active and implemented, 1 disabled in code, …; 1 stale". */
export function totalsText(t: ReportTotals, unresolved: number): string {
  return `${t.activeAndImplemented} active and implemented, ${t.disabledInCode} disabled in code, ${t.inCodeNotInPostHog} in code but not in PostHog, ${notInCodeText(t.inPostHogNotInCode, unresolved)}; ${t.stale} of them stale`;
}

export function notInCodeText(count: number, unresolved: number): string {
  if (!unresolved) return `${count} in PostHog but not in code`;
  return `${count} in PostHog but not found in code (${plural(unresolved, 'usage')} could not be resolved, so some of them may be used)`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
