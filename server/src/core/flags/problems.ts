/**
 * THE rules that turn a usage of a key into a problem, shared by the CLI
 * `check` and the language server's diagnostics (interfaces.md "Diagnostic
 * codes"). At most one problem per usage: missing / deleted / inactive win
 * over stale, and stale wins over rollout-100.
 */
import { closestKeys } from './closest';
import { everyoneGets } from './rollout';
import { staleness } from './stale';
import { summarizeRollout } from './summary';
import type { FlagSnapshot } from './types';

export type ProblemCode = 'missing-flag' | 'deleted-flag' | 'inactive-flag' | 'stale-flag' | 'rollout-100';
export type Severity = 'error' | 'warning' | 'information' | 'hint';
/** A severity setting: a Severity, or `off` to turn the code off. */
export type SeveritySetting = Severity | 'off';

export const PROBLEM_CODES: ProblemCode[] = ['missing-flag', 'deleted-flag', 'inactive-flag', 'stale-flag', 'rollout-100'];

export const DEFAULT_SEVERITIES: Record<ProblemCode, Severity> = {
  'missing-flag': 'error',
  'deleted-flag': 'error',
  'inactive-flag': 'warning',
  'stale-flag': 'information',
  'rollout-100': 'hint',
};

/** Order for `--fail-on` comparisons: higher is worse. */
export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

export interface Problem {
  code: ProblemCode;
  severity: Severity;
  key: string;
  message: string;
  /** The closest existing key, for `missing-flag` ("did you mean"). */
  suggestion?: string;
}

export interface ProblemOptions {
  now: Date;
  severities?: Partial<Record<ProblemCode, SeveritySetting>>;
}

function projectPhrase(s: FlagSnapshot): string {
  return s.projectId !== undefined ? `PostHog project ${s.projectId}` : 'the PostHog project';
}

export function problemsFor(usage: { key: string }, snapshot: FlagSnapshot, opts: ProblemOptions): Problem | undefined {
  const key = usage.key;
  const severityOf = (code: ProblemCode): Severity | undefined => {
    const s = opts.severities?.[code] ?? DEFAULT_SEVERITIES[code];
    return s === 'off' ? undefined : s;
  };
  const make = (code: ProblemCode, message: string, extra: Partial<Problem> = {}): Problem | undefined => {
    const severity = severityOf(code);
    return severity ? { code, severity, key, message, ...extra } : undefined;
  };
  const flag = snapshot.byKey.get(key);
  if (!flag) {
    if (snapshot.deletedKeys.has(key)) return make('deleted-flag', `Feature flag '${key}' was deleted in ${projectPhrase(snapshot)}`);
    const suggestion = closestKeys(key, snapshot.byKey.keys(), 1)[0];
    const message = `Feature flag '${key}' does not exist in ${projectPhrase(snapshot)}` + (suggestion ? ` — did you mean '${suggestion}'?` : '');
    return make('missing-flag', message, suggestion ? { suggestion } : {});
  }
  if (!flag.active || flag.archived) {
    return make('inactive-flag', `Feature flag '${key}' is ${flag.archived ? 'archived' : 'disabled'} in PostHog: it evaluates to false for everyone, so the code behind it never runs`);
  }
  const stale = staleness(flag, opts.now);
  if (stale.stale) {
    const p = make('stale-flag', `Feature flag '${key}' is stale: ${stale.reason}. Consider removing it from the code.`);
    if (p) return p;
  }
  const everyone = everyoneGets(flag);
  if (everyone) {
    const what = everyone.value === true ? `released to everyone (${summarizeRollout(flag, snapshot).conditions.find((c) => c.startsWith('100% of all')) ?? '100% of all users'})` : `released to everyone with variant '${everyone.value}'`;
    return make('rollout-100', `Feature flag '${key}' is ${what}: the check can go.`);
  }
  return undefined;
}
