/**
 * What `posthog-flags check` reports, independent of the output format:
 * one problem per usage (from the shared rules in core/flags/problems.ts),
 * the severity order behind `--fail-on`, the rule metadata SARIF needs, and
 * the summary. Pure.
 */
import {
  DEFAULT_SEVERITIES,
  SEVERITY_RANK,
  problemsFor,
  type ProblemCode,
  type ProblemOptions,
  type Severity,
} from '../flags/problems';
import type { FlagSnapshot } from '../flags/types';
import type { ScanResult } from '../types';

export type { ProblemCode, Severity };

/** One problem as `check --format json` prints it (field order as the contract). */
export interface CheckProblem {
  code: string;
  severity: Severity;
  key: string;
  /** Relative to the scanned root, with `/`. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** A replacement key ("did you mean") where there is one. */
  suggestion?: string;
}

export interface RuleInfo {
  code: ProblemCode;
  severity: Severity;
  /** One line. */
  short: string;
  /** A paragraph. */
  full: string;
  /** What to do about it (SARIF `help.text`). */
  help: string;
}

/** Every code check can report, with the text SARIF rules carry. */
export const RULES: readonly RuleInfo[] = [
  {
    code: 'missing-flag',
    severity: DEFAULT_SEVERITIES['missing-flag'],
    short: 'Feature flag does not exist in PostHog',
    full: 'The code evaluates a feature flag key that does not exist in the PostHog project, so the flag always evaluates to false/undefined.',
    help: 'Fix the key (the message suggests a close key when there is one) or create the flag in PostHog.',
  },
  {
    code: 'deleted-flag',
    severity: DEFAULT_SEVERITIES['deleted-flag'],
    short: 'Feature flag was deleted in PostHog',
    full: 'The code evaluates a feature flag that was deleted in PostHog; it always evaluates to false/undefined.',
    help: 'Remove the flag check and the code path behind it, or restore the flag in PostHog.',
  },
  {
    code: 'inactive-flag',
    severity: DEFAULT_SEVERITIES['inactive-flag'],
    short: 'Feature flag is disabled',
    full: 'The flag exists but is disabled in PostHog: the code path behind it never runs.',
    help: 'Enable the flag in PostHog when the feature should ship, or remove the dead code path.',
  },
  {
    code: 'stale-flag',
    severity: DEFAULT_SEVERITIES['stale-flag'],
    short: 'Feature flag is stale',
    full: 'The flag has been fully rolled out (or unused) long enough that the code should be cleaned up.',
    help: 'Remove the flag check, keep the code path that runs, then delete the flag in PostHog.',
  },
  {
    code: 'rollout-100',
    severity: DEFAULT_SEVERITIES['rollout-100'],
    short: 'Feature flag is released to everyone',
    full: 'The flag is released to 100% of users with no conditions: the check can go.',
    help: 'Remove the flag check and keep the enabled code path.',
  },
];

/** `--fail-on` values. */
export type FailOn = 'error' | 'warning' | 'never';

/** True when a problem at or above `failOn` exists (exit 1). */
export function shouldFail(problems: readonly CheckProblem[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  const threshold = SEVERITY_RANK[failOn];
  return problems.some((p) => SEVERITY_RANK[p.severity] >= threshold);
}

/**
 * One problem per usage that has one, by the shared rules
 * (core/flags/problems.ts), located at the usage; sorted.
 */
export function checkProblems(scan: ScanResult, snapshot: FlagSnapshot, opts: ProblemOptions): CheckProblem[] {
  const out: CheckProblem[] = [];
  for (const u of scan.usages) {
    const p = problemsFor(u, snapshot, opts);
    if (!p) continue;
    const row: CheckProblem = {
      code: p.code,
      severity: p.severity,
      key: p.key,
      file: u.file,
      line: u.line,
      column: u.column,
      endLine: u.endLine,
      endColumn: u.endColumn,
      message: p.message,
    };
    if (p.suggestion !== undefined) row.suggestion = p.suggestion;
    out.push(row);
  }
  return sortProblems(out);
}

/** Sorts by file, line, column, then code: the order every format prints. */
export function sortProblems(problems: readonly CheckProblem[]): CheckProblem[] {
  return [...problems].sort(
    (a, b) =>
      cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.code, b.code) || cmp(a.key, b.key),
  );
}

/** `summary` of `check --format json`. */
export interface CheckSummary {
  problems: number;
  bySeverity: Record<Severity, number>;
  byCode: Record<string, number>;
  filesScanned: number;
  filesWithProblems: number;
  usages: number;
  /** Distinct keys used in code. */
  flagsInCode: number;
  /** Live flags in the project (API or snapshot). */
  flagsInPostHog: number;
  unresolved: number;
  skipped: number;
}

export function summarize(problems: readonly CheckProblem[], scan: ScanResult, flagsInPostHog: number): CheckSummary {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  const byCode: Record<string, number> = {};
  for (const r of RULES) byCode[r.code] = 0;
  for (const p of problems) {
    bySeverity[p.severity]++;
    byCode[p.code] = (byCode[p.code] ?? 0) + 1;
  }
  return {
    problems: problems.length,
    bySeverity,
    byCode,
    filesScanned: scan.filesScanned,
    filesWithProblems: new Set(problems.map((p) => p.file)).size,
    usages: scan.usages.length,
    flagsInCode: new Set(scan.usages.map((u) => u.key)).size,
    flagsInPostHog,
    unresolved: scan.unresolved.length,
    skipped: scan.skipped.length,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
