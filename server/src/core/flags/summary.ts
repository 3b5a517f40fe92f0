/**
 * Rollout in plain words, per posthog-api.md §5 "Human summary algorithm":
 * one line per condition set (joined by " OR "), e.g.
 * `20% of users where email contains "@acme.com"`,
 * `100% of users in cohort Beta testers`, `100% of companies where plan is "enterprise"`,
 * a variant override appended as ` → test`, a `variants: control 50%, test 50%`
 * line for multivariate flags, and a `Disabled: ` prefix for inactive flags.
 */
import type { ConditionGroup, Flag, FlagSnapshot, PropertyFilter } from './types';

/** What the summary may look names up in (all optional). */
export interface SummaryContext {
  cohorts?: FlagSnapshot['cohorts'];
  groupTypes?: FlagSnapshot['groupTypes'];
  byId?: FlagSnapshot['byId'];
}

export interface RolloutSummary {
  /** One phrase per condition set, e.g. `30% of users where email contains "@acme.com"`. */
  conditions: string[];
  /** `variants: control 50%, test 50%` for multivariate flags. */
  variants?: string;
  /** Hover-style lines: the conditions joined by " OR " (prefixed "Disabled: " when inactive), then the variants line. */
  lines: string[];
  /** Everything on one line (report/CSV): lines joined by "; ". */
  text: string;
}

/** Operator → phrase (§5 table). List values use the `list` phrase where one exists. */
export const OPERATOR_PHRASES: Record<string, { phrase: string; list?: string; noValue?: boolean }> = {
  exact: { phrase: 'is', list: 'is one of' },
  is_not: { phrase: 'is not', list: 'is not one of' },
  icontains: { phrase: 'contains' },
  not_icontains: { phrase: 'does not contain' },
  icontains_multi: { phrase: 'contains any of' },
  not_icontains_multi: { phrase: 'contains none of' },
  regex: { phrase: 'matches regex' },
  not_regex: { phrase: 'does not match regex' },
  gt: { phrase: '>' },
  gte: { phrase: '≥' },
  min: { phrase: '≥' },
  lt: { phrase: '<' },
  lte: { phrase: '≤' },
  max: { phrase: '≤' },
  is_set: { phrase: 'is set', noValue: true },
  is_not_set: { phrase: 'is not set', noValue: true },
  is_date_before: { phrase: 'before' },
  is_date_after: { phrase: 'after' },
  is_date_exact: { phrase: 'on' },
  semver_eq: { phrase: 'version =' },
  semver_neq: { phrase: 'version ≠' },
  semver_gt: { phrase: 'version >' },
  semver_gte: { phrase: 'version ≥' },
  semver_lt: { phrase: 'version <' },
  semver_lte: { phrase: 'version ≤' },
  semver_tilde: { phrase: 'version ~' },
  semver_caret: { phrase: 'version ^' },
  semver_wildcard: { phrase: 'version matches' },
};

function formatScalar(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function formatValue(v: unknown): string {
  return Array.isArray(v) ? v.map(formatScalar).join(', ') : formatScalar(v);
}

/** `Beta testers`, else the snapshot's name, else `#42`. */
export function cohortLabel(p: PropertyFilter, ctx: SummaryContext): string {
  if (p.cohortName) return p.cohortName;
  const id = Number(p.value);
  const known = Number.isInteger(id) ? ctx.cohorts?.get(id)?.name : undefined;
  return known ?? `#${formatValue(p.value).replace(/^"|"$/g, '')}`;
}

function renderCohort(p: PropertyFilter, ctx: SummaryContext): string {
  const negated = p.negation || p.operator === 'not_in';
  return `${negated ? 'not in' : 'in'} cohort ${cohortLabel(p, ctx)}`;
}

function renderFlagDependency(p: PropertyFilter, ctx: SummaryContext): string {
  const id = Number(p.key);
  const key = (Number.isInteger(id) ? ctx.byId?.get(id)?.key : undefined) ?? `#${p.key}`;
  if (p.value === true) return `flag ${key} is enabled`;
  if (p.value === false) return `flag ${key} is disabled`;
  return `flag ${key} = ${typeof p.value === 'string' ? p.value : formatValue(p.value)}`;
}

/** One property as words, e.g. `email contains "@acme.com"`. */
export function renderProperty(p: PropertyFilter, ctx: SummaryContext = {}): string {
  if (p.type === 'cohort') return renderCohort(p, ctx);
  if (p.type === 'flag') return renderFlagDependency(p, ctx);
  const name = p.label ?? p.key;
  const op = OPERATOR_PHRASES[p.operator ?? 'exact'];
  let text: string;
  if (!op) text = `${name} ${p.operator} ${formatValue(p.value)}`;
  else if (op.noValue) text = `${name} ${op.phrase}`;
  else if (Array.isArray(p.value) && p.value.length === 1 && op.list) text = `${name} ${op.phrase} ${formatScalar(p.value[0])}`;
  else text = `${name} ${Array.isArray(p.value) && op.list ? op.list : op.phrase} ${formatValue(p.value)}`;
  return p.negation ? `not (${text})` : text;
}

function subjectFor(g: ConditionGroup, flag: Flag, ctx: SummaryContext): string {
  const idx = g.aggregationGroupTypeIndex ?? flag.filters.aggregationGroupTypeIndex;
  if (idx === null || idx === undefined) return 'users';
  return ctx.groupTypes?.get(idx) ?? 'groups';
}

/** A percentage as every text shows it: whole, or with at most two decimals (`33.33`). */
export function formatPercent(p: number): string {
  return Number.isInteger(p) ? String(p) : String(Math.round(p * 100) / 100);
}

/** One condition set in words (§5 steps 1–4, without the flag-level prefix). */
export function summarizeGroup(g: ConditionGroup, flag: Flag, ctx: SummaryContext = {}): string {
  const pct = formatPercent(g.rolloutPercentage ?? 100);
  const subject = subjectFor(g, flag, ctx);
  let text: string;
  if (!g.properties.length) text = `${pct}% of all ${subject}`;
  else {
    const cohorts = g.properties.filter((p) => p.type === 'cohort').map((p) => renderCohort(p, ctx));
    const others = g.properties.filter((p) => p.type !== 'cohort').map((p) => renderProperty(p, ctx));
    text = `${pct}% of ${subject}`;
    if (cohorts.length) text += ` ${cohorts.join(' and ')}`;
    if (others.length) text += `${cohorts.length ? ' and' : ''} where ${others.join(' and ')}`;
  }
  return g.variant ? `${text} → ${g.variant}` : text;
}

/** The flag's rollout in words (see the module doc). */
export function summarizeRollout(flag: Flag, ctx: SummaryContext = {}): RolloutSummary {
  const conditions = flag.filters.groups.map((g) => summarizeGroup(g, flag, ctx));
  const variants = flag.filters.variants.length
    ? `variants: ${flag.filters.variants.map((v) => `${v.key} ${formatPercent(v.rolloutPercentage)}%`).join(', ')}`
    : undefined;
  const head = conditions.length ? conditions.join(' OR ') : 'no release conditions (matches no one)';
  const first = flag.active && !flag.archived ? head : `Disabled: ${head}`;
  const lines = variants ? [first, variants] : [first];
  return { conditions, variants, lines, text: lines.join('; ') };
}

/** A short preview of a payload (JSON text) for hovers: compact JSON, cut at `max` characters. */
export function payloadPreview(json: string, max = 80): string {
  let compact = json;
  try {
    compact = JSON.stringify(JSON.parse(json));
  } catch {
    // not JSON: show as stored
  }
  return compact.length > max ? `${compact.slice(0, max - 1)}…` : compact;
}
