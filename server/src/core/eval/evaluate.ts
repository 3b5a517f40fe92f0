/**
 * PostHog's local flag evaluation, as its server SDKs run it (posthog-node
 * 5.x is the reference; tests compare against it): for one person (and
 * their groups), each flag's value and payload from the flag definitions
 * and cohorts of the local evaluation endpoint (posthog-api.md §3.7), plus
 * the reason in plain words.
 *
 * The algorithm, in the SDKs' order:
 * 1. disabled → false; `ensure_experience_continuity` → cannot evaluate locally.
 * 2. Flags aggregated by a group type use that group's key for hashing and
 *    its properties for matching (false when the group is not given).
 * 3. A holdout (`filters.holdout`) comes first: `holdout-<id>`.
 * 4. Condition sets in order; the first that matches decides. Inside one, every
 *    property must match (person/group properties, cohorts, flag dependencies),
 *    then `sha1("<flag key>.<id>")` (first 15 hex digits / 0xfffffffffffffff)
 *    must be ≤ the rollout percentage. `early_exit` stops at the first set
 *    whose properties matched but whose rollout excluded the person.
 * 5. A match gives the condition's variant override (when it names a variant),
 *    else the variant whose bucket holds `sha1("<key>.<id>variant")`, else true.
 * 6. The payload is `filters.payloads["true" | variant]`, parsed as JSON.
 * A filter that cannot be decided (missing property, unknown cohort, static
 * cohort, regex outside the portable subset, ambiguous integer) makes the
 * flag `cannot_evaluate_locally` unless a condition decides it anyway, as in the SDKs.
 */
import { renderProperty } from '../flags/summary';
import type { PropertyFilter } from '../flags/types';
import { sha1Hex } from './sha1';
import { Inconclusive, NeedsServer, assertFilterSupported, matchProperty, type RawProperty, type UnresolvedReason } from './operators';

export type { RawProperty, UnresolvedReason } from './operators';

/** One release condition as the local evaluation endpoint sends it. */
export interface RawCondition {
  properties?: RawProperty[] | null;
  rollout_percentage?: number | null;
  variant?: string | null;
  aggregation_group_type_index?: number | null;
}

/** A flag definition (local evaluation endpoint, or a flag object of the list endpoint). */
export interface RawFlagDefinition {
  id?: number;
  key: string;
  active?: boolean;
  deleted?: boolean;
  ensure_experience_continuity?: boolean | null;
  bucketing_identifier?: string | null;
  filters?: {
    groups?: RawCondition[] | null;
    multivariate?: { variants?: { key: string; rollout_percentage: number }[] | null } | null;
    payloads?: Record<string, unknown> | null;
    aggregation_group_type_index?: number | null;
    holdout?: { id: number; exclusion_percentage: number } | null;
    early_exit?: boolean | null;
  } | null;
}

/** A cohort definition: nested AND/OR groups of property filters. */
export interface RawPropertyGroup {
  type?: string;
  values?: (RawPropertyGroup | RawProperty)[];
}

/** The body of the local evaluation endpoint. */
export interface FlagDefinitions {
  flags: RawFlagDefinition[];
  group_type_mapping?: Record<string, string>;
  cohorts?: Record<string, RawPropertyGroup>;
  property_matching_version?: number;
}

/** Who the flags are evaluated for. */
export interface EvaluationSubject {
  distinctId: string;
  personProperties?: Record<string, unknown>;
  /** Group type name → group key, e.g. `{company: "acme"}`. */
  groups?: Record<string, string>;
  /** Group type name → that group's properties. */
  groupProperties?: Record<string, Record<string, unknown>>;
}

export type FlagValue = boolean | string;

export type EvaluationReasonCode = 'condition_match' | 'no_condition_match' | 'out_of_rollout_bound' | 'disabled' | 'missing' | 'cannot_evaluate_locally';

export interface EvaluationReason {
  code: EvaluationReasonCode;
  /** 0-based index of the deciding condition set, when one decided. */
  conditionIndex?: number;
  /** Plain words, e.g. `matched condition 1: email contains "@acme.com", 30% rollout`. */
  description: string;
  /** The SDKs' reason when the flag cannot be evaluated locally. */
  unresolved?: UnresolvedReason;
}

export interface FlagEvaluation {
  key: string;
  /** true, false or the variant key; null when it cannot be evaluated locally or the flag is missing. */
  value: FlagValue | null;
  payload: unknown;
  reason: EvaluationReason;
}

export interface EvaluateOptions {
  /** "Now" for relative dates (default: the current time). */
  now?: Date;
}

const PRECEDENCE: UnresolvedReason[] = ['experience_continuity', 'unsupported_definition', 'unresolved_dependency', 'missing_context'];
function pick(current: UnresolvedReason | undefined, next: UnresolvedReason): UnresolvedReason {
  if (current === undefined) return next;
  return PRECEDENCE.indexOf(next) < PRECEDENCE.indexOf(current) ? next : current;
}

function keepRegex(e: Inconclusive, original: unknown): Inconclusive {
  if (original instanceof Inconclusive && original.regex) e.regex = true;
  return e;
}

// Larger than Number.MAX_SAFE_INTEGER on purpose: the SDKs divide by this rounded double.
// eslint-disable-next-line no-loss-of-precision
const LONG_SCALE = 0xfffffffffffffff;

/** The SDKs' bucket of an id for a flag, in [0, 1]. */
export function flagHash(key: string, bucketingValue: string, salt = '', separator = '.'): number {
  return parseInt(sha1Hex(`${key}${separator}${bucketingValue}${salt}`).slice(0, 15), 16) / LONG_SCALE;
}

function variantFor(flag: RawFlagDefinition, bucketingValue: string): string | undefined {
  const variants = flag.filters?.multivariate?.variants ?? [];
  const h = flagHash(flag.key, bucketingValue, 'variant');
  let min = 0;
  for (const v of variants) {
    const max = min + v.rollout_percentage / 100;
    if (h >= min && h < max) return v.key;
    min = max;
  }
  return undefined;
}

function holdoutVariant(holdout: { id: number; exclusion_percentage: number } | null | undefined, bucketingValue: string): string | undefined {
  if (holdout == null || holdout.id == null || holdout.exclusion_percentage == null) return undefined;
  const raw = Number(holdout.exclusion_percentage);
  if (!Number.isFinite(raw)) return undefined;
  const pct = Math.min(Math.max(raw, 0), 100);
  if (pct !== 100 && flagHash('holdout', bucketingValue, '', '-') > pct / 100) return undefined;
  return `holdout-${holdout.id}`;
}

function parsePayload(payload: unknown): unknown {
  if (typeof payload !== 'string') return payload;
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

/** The payload of a value, as the SDKs resolve it (none for false or a falsy stored payload). */
export function payloadFor(flag: RawFlagDefinition, value: FlagValue | null): unknown {
  const payloads = flag.filters?.payloads;
  if (value === false || value === null || !payloads) return null;
  const stored = payloads[String(value)] || null;
  return stored == null ? null : parsePayload(stored);
}

/** How one condition set went, for the reason. */
interface ConditionTrace {
  index: number;
  outcome: 'match' | 'no_match' | 'out_of_rollout_bound' | 'skipped' | 'inconclusive';
  failed?: RawProperty;
  note?: string;
}

interface Outcome {
  value: FlagValue;
  matched?: number;
  holdout?: boolean;
  noGroup?: string;
  traces: ConditionTrace[];
}

class Evaluator {
  readonly byKey = new Map<string, RawFlagDefinition>();
  readonly cache = new Map<string, FlagValue>();
  readonly now: Date;

  constructor(
    readonly defs: FlagDefinitions,
    readonly subject: EvaluationSubject,
    opts: EvaluateOptions,
  ) {
    for (const f of defs.flags) if (!f.deleted) this.byKey.set(f.key, f);
    this.now = opts.now ?? new Date();
  }

  get groupTypes(): Record<string, string> {
    return this.defs.group_type_mapping ?? {};
  }
  get cohorts(): Record<string, RawPropertyGroup> {
    return this.defs.cohorts ?? {};
  }
  get personProperties(): Record<string, unknown> {
    return { distinct_id: this.subject.distinctId, ...(this.subject.personProperties ?? {}) };
  }
  get groups(): Record<string, string> {
    return this.subject.groups ?? {};
  }
  /** Every given group gets `$group_key` (as posthog-node adds it). */
  get groupProperties(): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [name, key] of Object.entries(this.groups)) out[name] = { $group_key: key, ...(this.subject.groupProperties?.[name] ?? {}) };
    return out;
  }

  /** The SDKs' computeFlagValueLocally, with a trace. */
  compute(flag: RawFlagDefinition): Outcome {
    if (!flag.active) return { value: false, traces: [] };
    if (flag.ensure_experience_continuity) throw new Inconclusive('experience continuity is on', 'experience_continuity');
    const aggregation = flag.filters?.aggregation_group_type_index;
    const personProperties = this.personProperties;
    if (aggregation != undefined) {
      const groupName = this.groupTypes[String(aggregation)];
      if (!groupName) throw new Inconclusive(`group type ${aggregation} is unknown`);
      if (!(groupName in this.groups)) return { value: false, noGroup: groupName, traces: [] };
      return this.matchConditions(flag, this.groups[groupName], this.groupProperties[groupName]);
    }
    let bucketing = this.subject.distinctId;
    if (flag.bucketing_identifier === 'device_id') {
      const device = personProperties.$device_id;
      if (device === undefined || device === null || device === '') {
        throw new Inconclusive('the flag buckets by device and no $device_id is given', this.definitionReason(flag) ?? 'missing_context');
      }
      bucketing = device as string;
    }
    return this.matchConditions(flag, bucketing, personProperties);
  }

  /** The cause of "cannot evaluate locally" that the definition alone shows. */
  definitionReason(flag: RawFlagDefinition): UnresolvedReason | undefined {
    if (!flag.active) return undefined;
    if (flag.ensure_experience_continuity) return 'experience_continuity';
    const aggregation = flag.filters?.aggregation_group_type_index;
    if (aggregation != undefined && !this.groupTypes[String(aggregation)]) return 'unsupported_definition';
    const unsupported = (flag.filters?.groups ?? []).some((c) => (c.properties ?? []).some((p) => this.unsupported(p, new Set())));
    return unsupported ? 'unsupported_definition' : undefined;
  }

  private unsupported(p: RawProperty, visited: Set<string>): boolean {
    if (p.type === 'flag') {
      const chain = p.dependency_chain;
      if (!Array.isArray(chain) || chain.length === 0) return true;
      return chain.some((k) => !this.byKey.has(k as string));
    }
    if (p.type !== 'cohort') {
      try {
        assertFilterSupported(p, this.now);
        return false;
      } catch (e) {
        if (e instanceof Inconclusive) return true;
        throw e;
      }
    }
    const id = String(p.value);
    if (!(id in this.cohorts)) return true;
    if (visited.has(id)) return false;
    visited.add(id);
    const group = (g: RawPropertyGroup | undefined): boolean =>
      (g?.values ?? []).some((v) => ('values' in v ? group(v as RawPropertyGroup) : this.unsupported(v as RawProperty, visited)));
    return group(this.cohorts[id]);
  }

  private matchConditions(flag: RawFlagDefinition, bucketing: string, properties: Record<string, unknown>): Outcome {
    const filters = flag.filters ?? {};
    const traces: ConditionTrace[] = [];
    const held = holdoutVariant(filters.holdout, bucketing);
    if (held !== undefined) return { value: held, holdout: true, traces };

    const conditions = filters.groups ?? [];
    const flagAggregation = filters.aggregation_group_type_index;
    const earlyExit = filters.early_exit ?? false;
    const variants = filters.multivariate?.variants ?? [];
    let inconclusive: UnresolvedReason | undefined;
    let regexError: Inconclusive | undefined;
    const deferred = new Set<FlagValue>();
    let result: FlagValue | undefined;
    let matched: number | undefined;

    for (let index = 0; index < conditions.length; index++) {
      const condition = conditions[index];
      let effectiveBucketing = bucketing;
      try {
        const conditionAggregation = condition.aggregation_group_type_index !== undefined ? condition.aggregation_group_type_index : flagAggregation;
        let effectiveProperties = properties;
        if (conditionAggregation !== flagAggregation && conditionAggregation !== null && conditionAggregation !== undefined) {
          const groupName = this.groupTypes[String(conditionAggregation)];
          if (!groupName || !(groupName in this.groups)) {
            traces.push({ index, outcome: 'skipped', note: groupName ? `no ${groupName} given` : `group type ${conditionAggregation} unknown` });
            continue;
          }
          const gp = this.groupProperties;
          if (!(groupName in gp)) {
            inconclusive = pick(inconclusive, 'missing_context');
            traces.push({ index, outcome: 'inconclusive', note: `no properties of ${groupName} given` });
            continue;
          }
          effectiveProperties = gp[groupName];
          effectiveBucketing = this.groups[groupName];
        }
        const m = this.conditionMatch(flag, effectiveBucketing, condition, effectiveProperties);
        traces.push({ index, outcome: m.result, failed: m.failed });
        if (m.result === 'match') {
          const override = condition.variant;
          result = override && variants.some((v) => v.key === override) ? override : (variantFor(flag, effectiveBucketing) ?? true);
          matched = index;
          break;
        } else if (earlyExit && m.result === 'out_of_rollout_bound') {
          if (inconclusive) break;
          return { value: false, traces };
        }
      } catch (e) {
        if (e instanceof NeedsServer) {
          let definition: UnresolvedReason | undefined;
          try {
            definition = this.definitionReason(flag);
          } catch {
            // a malformed definition must not turn the fallback into an error
          }
          const reason = pick(pick(inconclusive, e.reason), definition ?? e.reason);
          throw reason === e.reason ? e : new NeedsServer(e.message, reason);
        } else if (e instanceof Inconclusive) {
          inconclusive = pick(inconclusive, e.reason);
          traces.push({ index, outcome: 'inconclusive', note: e.message });
          if (e.regex) {
            regexError = e;
            if (earlyExit && condition.rollout_percentage != undefined && flagHash(flag.key, effectiveBucketing) > condition.rollout_percentage / 100) {
              deferred.add(false);
            } else {
              const override = condition.variant;
              deferred.add(override && variants.some((v) => v.key === override) ? override : (variantFor(flag, effectiveBucketing) ?? true));
            }
          }
        } else throw e;
      }
    }
    if (result !== undefined && !(regexError && [...deferred].some((v) => v !== result))) return { value: result, matched, traces };
    if (inconclusive) throw keepRegex(new Inconclusive(describeTraces(traces) || 'a condition cannot be decided locally', inconclusive), regexError);
    return { value: false, traces };
  }

  private conditionMatch(
    flag: RawFlagDefinition,
    bucketing: string,
    condition: RawCondition,
    properties: Record<string, unknown>,
  ): { result: 'match' | 'no_match' | 'out_of_rollout_bound'; failed?: RawProperty } {
    const rollout = condition.rollout_percentage;
    const props = condition.properties ?? [];
    if (props.length > 0) {
      let inconclusive: UnresolvedReason | undefined;
      let regexError: Inconclusive | undefined;
      let serverError: NeedsServer | undefined;
      let firstMessage: string | undefined;
      for (const p of props) {
        let matches = false;
        try {
          if (p.type === 'cohort') matches = this.matchCohort(p, properties);
          else if (p.type === 'flag') matches = this.flagDependency(p);
          else if (!Object.prototype.hasOwnProperty.call(properties, p.key)) {
            assertFilterSupported(p, this.now);
            inconclusive = pick(inconclusive, 'missing_context');
            firstMessage ??= `${p.key} is not given`;
            continue;
          } else matches = matchProperty(p, properties, this.matchOptions);
        } catch (e) {
          if (e instanceof NeedsServer) {
            if (inconclusive === undefined) serverError ??= e;
            inconclusive = pick(inconclusive, e.reason);
            firstMessage ??= e.message;
            continue;
          }
          if (e instanceof Inconclusive) {
            if (e.regex) regexError = e;
            inconclusive = pick(inconclusive, e.reason);
            firstMessage ??= e.message;
            continue;
          }
          if (inconclusive !== undefined) break;
          throw e;
        }
        if (!matches) return { result: 'no_match', failed: p };
      }
      if (serverError) throw serverError;
      if (inconclusive) throw keepRegex(new Inconclusive(firstMessage ?? 'a filter cannot be decided locally', inconclusive), regexError);
      if (rollout == undefined) return { result: 'match' };
    }
    if (rollout != undefined && flagHash(flag.key, bucketing) > rollout / 100) return { result: 'out_of_rollout_bound' };
    return { result: 'match' };
  }

  get matchOptions() {
    return { now: this.now, propertyMatchingVersion: this.defs.property_matching_version };
  }

  /** Cohorts being matched, innermost last: PostHog refuses cyclic cohorts, but a hand-written snapshot could hold one. */
  private readonly cohortStack: string[] = [];

  private matchCohort(p: RawProperty, properties: Record<string, unknown>): boolean {
    const id = String(p.value);
    if (!(id in this.cohorts)) throw new NeedsServer(`cohort #${id} is not defined locally (a static cohort needs the server)`);
    if (this.cohortStack.includes(id)) throw new NeedsServer(`cohort #${id} contains itself`);
    this.cohortStack.push(id);
    try {
      const inCohort = this.matchGroup(this.cohorts[id], properties);
      return p.operator === 'not_in' ? !inCohort : inCohort;
    } finally {
      this.cohortStack.pop();
    }
  }

  private matchGroup(group: RawPropertyGroup, properties: Record<string, unknown>): boolean {
    if (!group || Object.keys(group).length === 0) return true;
    const type = group.type === 'property' ? 'AND' : group.type;
    if (type !== 'AND' && type !== 'OR') throw new NeedsServer(`cohort group type ${group.type} is not supported locally`);
    const values = group.values;
    if (!values || values.length === 0) return type === 'AND';
    let inconclusive: UnresolvedReason | undefined;
    let regexError: Inconclusive | undefined;
    const nested = 'values' in values[0];
    for (const v of values) {
      try {
        if (nested) {
          const matches = this.matchGroup(v as RawPropertyGroup, properties);
          if (type === 'AND' && !matches) return false;
          if (type === 'OR' && matches) return true;
        } else {
          const p = v as RawProperty;
          let matches: boolean;
          if (p.type === 'cohort') matches = this.matchCohort(p, properties);
          else if (p.type === 'flag') matches = this.flagDependency(p);
          else matches = matchProperty(p, properties, this.matchOptions);
          const negation = p.negation || false;
          if (type === 'AND') {
            if (matches === negation) return false;
          } else if (matches !== negation) return true;
        }
      } catch (e) {
        if (e instanceof NeedsServer) throw e;
        if (e instanceof Inconclusive) {
          inconclusive = pick(inconclusive, e.reason);
          if (e.regex) regexError = e;
        } else throw e;
      }
    }
    if (inconclusive) throw keepRegex(new Inconclusive('a cohort filter cannot be decided locally', inconclusive), regexError);
    return type === 'AND';
  }

  private flagDependency(p: RawProperty): boolean {
    const target = p.key;
    if (!('dependency_chain' in p)) throw new Inconclusive(`flag dependency ${target} has no dependency chain`);
    const chain = p.dependency_chain;
    if (!Array.isArray(chain)) throw new Inconclusive(`flag dependency ${target} has an invalid dependency chain`);
    if (chain.length === 0) throw new Inconclusive(`flag dependency ${target} is circular`);
    const missing = chain.find((k) => !this.cache.has(k) && !this.byKey.has(k));
    if (missing !== undefined) throw new Inconclusive(`flag ${missing} (a dependency) is not defined`);
    for (const k of chain as string[]) {
      if (!this.cache.has(k)) {
        const dep = this.byKey.get(k)!;
        if (!dep.active) this.cache.set(k, false);
        else {
          try {
            this.cache.set(k, this.compute(dep).value);
          } catch (e) {
            if (e instanceof NeedsServer) throw new NeedsServer(`dependency ${k} needs the server: ${e.message}`, 'unresolved_dependency');
            throw keepRegex(new Inconclusive(`dependency ${k} cannot be evaluated: ${(e as Error).message}`, 'unresolved_dependency'), e);
          }
        }
      }
    }
    const value = this.cache.get(target);
    const expected = p.value;
    if (typeof expected === 'boolean') return expected === value || (typeof value === 'string' && value !== '' && expected === true);
    if (typeof expected === 'string') return value === expected;
    return false;
  }
}

function toFilter(p: RawProperty & { label?: string; cohort_name?: string }): PropertyFilter {
  return {
    key: String(p.key),
    type: p.type ?? 'person',
    value: p.value,
    operator: p.operator ?? null,
    negation: !!p.negation,
    label: typeof p.label === 'string' ? p.label : undefined,
    cohortName: typeof p.cohort_name === 'string' ? p.cohort_name : undefined,
  };
}

/** One property filter in words (`email contains "@acme.com"`). */
export function describeProperty(p: RawProperty): string {
  if (p.type === 'flag') {
    if (p.value === true) return `flag ${p.key} is enabled`;
    if (p.value === false) return `flag ${p.key} is disabled`;
    return `flag ${p.key} = ${String(p.value)}`;
  }
  return renderProperty(toFilter(p));
}

function describeTraces(traces: ConditionTrace[]): string {
  return traces
    .map((t) => {
      const n = `condition ${t.index + 1}`;
      if (t.outcome === 'no_match') return t.failed ? `${n}: not ${describeProperty(t.failed)}` : `${n}: no match`;
      if (t.outcome === 'out_of_rollout_bound') return `${n}: outside its rollout`;
      if (t.outcome === 'skipped') return `${n}: skipped (${t.note})`;
      if (t.outcome === 'inconclusive') return `${n}: ${t.note}`;
      return `${n}: matched`;
    })
    .join('; ');
}

function conditionWords(condition: RawCondition): string {
  const props = condition.properties ?? [];
  return props.length ? props.map(describeProperty).join(' and ') : 'everyone';
}

function percent(p: number): string {
  return Number.isInteger(p) ? String(p) : String(Math.round(p * 100) / 100);
}

const UNRESOLVED_WORDS: Record<UnresolvedReason, string> = {
  experience_continuity: 'experience continuity (persist across authentication) is on, which only the server can evaluate',
  unsupported_definition: 'the flag uses something local evaluation cannot decide',
  unresolved_dependency: 'a flag it depends on cannot be evaluated locally',
  missing_context: 'a property it needs is not known',
};

/** Evaluates one flag of `defs` for `subject`, with the reason. */
export function evaluateFlag(defs: FlagDefinitions, key: string, subject: EvaluationSubject, opts: EvaluateOptions = {}): FlagEvaluation {
  return evaluateWith(new Evaluator(defs, subject, opts), key);
}

/** Evaluates several flags (default: every non-deleted flag of `defs`) for one subject, sharing dependency results. */
export function evaluateFlags(defs: FlagDefinitions, subject: EvaluationSubject, keys?: string[], opts: EvaluateOptions = {}): FlagEvaluation[] {
  const ev = new Evaluator(defs, subject, opts);
  return (keys ?? [...ev.byKey.keys()]).map((k) => evaluateWith(ev, k));
}

function evaluateWith(ev: Evaluator, key: string): FlagEvaluation {
  const flag = ev.byKey.get(key);
  if (!flag) return { key, value: null, payload: null, reason: { code: 'missing', description: 'no flag with this key in PostHog' } };
  if (!flag.active) return { key, value: false, payload: null, reason: { code: 'disabled', description: 'the flag is disabled' } };
  let outcome: Outcome;
  try {
    outcome = ev.compute(flag);
  } catch (e) {
    if (e instanceof Inconclusive || e instanceof NeedsServer) {
      const why = e.reason === 'experience_continuity' ? UNRESOLVED_WORDS[e.reason] : `${UNRESOLVED_WORDS[e.reason]}: ${e.message}`;
      return { key, value: null, payload: null, reason: { code: 'cannot_evaluate_locally', unresolved: e.reason, description: `cannot evaluate locally: ${why}` } };
    }
    throw e;
  }
  const value = outcome.value;
  const payload = payloadFor(flag, value);
  const conditions = flag.filters?.groups ?? [];
  if (outcome.holdout) return { key, value, payload, reason: { code: 'condition_match', description: `held out of the flag (${value})` } };
  if (outcome.noGroup) {
    return { key, value, payload, reason: { code: 'no_condition_match', description: `the flag is for ${outcome.noGroup} groups and no ${outcome.noGroup} was given` } };
  }
  if (outcome.matched !== undefined) {
    const i = outcome.matched;
    const c = conditions[i];
    let description = `matched condition ${i + 1}: ${conditionWords(c)}`;
    if (c.rollout_percentage != undefined && c.rollout_percentage < 100) description += `, ${percent(c.rollout_percentage)}% rollout`;
    if (typeof value === 'string') {
      const variants = flag.filters?.multivariate?.variants ?? [];
      if (c.variant && c.variant === value) description += `, variant ${value} (set by the condition)`;
      else description += `, variant ${value} (${percent(variants.find((v) => v.key === value)?.rollout_percentage ?? 0)}% of variants)`;
    }
    return { key, value, payload, reason: { code: 'condition_match', conditionIndex: i, description } };
  }
  const outOfRollout = outcome.traces.find((t) => t.outcome === 'out_of_rollout_bound');
  if (outOfRollout) {
    const c = conditions[outOfRollout.index];
    const description = `condition ${outOfRollout.index + 1} (${conditionWords(c)}) holds, but the ID is outside its ${percent(c.rollout_percentage ?? 100)}% rollout`;
    return { key, value, payload, reason: { code: 'out_of_rollout_bound', conditionIndex: outOfRollout.index, description } };
  }
  const detail = describeTraces(outcome.traces);
  return { key, value, payload, reason: { code: 'no_condition_match', description: conditions.length ? `no condition matched (${detail})` : 'the flag has no release conditions' } };
}

/** A value as the CLI, the hover and the inlay hints print it: `true`, `false`, `'variant'`, or `?` when there is none. */
export function formatFlagValue(value: FlagValue | null): string {
  return value === null ? '?' : typeof value === 'string' ? `'${value}'` : String(value);
}

/**
 * One evaluation in a sentence, for the hover while debugging a person:
 * "For user-1: true, because matched condition 1: …". Without a value the
 * reason says why ("For user-1: cannot evaluate locally: …").
 */
export function evaluationSentence(distinctId: string, e: FlagEvaluation): string {
  if (e.value === null) return `For ${distinctId}: ${e.reason.description}`;
  return `For ${distinctId}: ${formatFlagValue(e.value)}, because ${e.reason.description}`;
}
