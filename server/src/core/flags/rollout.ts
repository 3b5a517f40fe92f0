/**
 * Who a flag reaches. Two different questions:
 *
 * - `releasedToEveryone`: the tool's "the check can go" verdict (diagnostic
 *   `rollout-100`). An active flag with a condition set that has no properties
 *   at 100% (a missing/null percentage counts as 100). For a multivariate
 *   flag that is not enough (everyone gets *a* variant, but which one still
 *   matters), so it also needs that group's variant override or a variant at
 *   100% — the same rule PostHog uses for "fully rolled out" (§9).
 *   "100% of a cohort" is not everyone: a group with any property (cohort,
 *   person, group, flag dependency) never counts.
 * - `isFullyRolledOut`: PostHog's own staleness helper (§9), which requires an
 *   explicit 100 (null does not count) and calls a flag with no groups fully
 *   rolled out.
 */
import type { ConditionGroup, Flag } from './types';

const isMultivariate = (f: Flag) => f.filters.variants.length > 0;

/** What everyone gets when the flag is released to everyone: `true`, or the variant key. */
export function everyoneGets(flag: Flag): { value: true | string } | undefined {
  if (!flag.active || flag.deleted || flag.archived) return undefined;
  const full = flag.filters.groups.filter((g) => g.properties.length === 0 && (g.rolloutPercentage ?? 100) >= 100);
  if (!full.length) return undefined;
  if (!isMultivariate(flag)) return { value: true };
  const override = full.find((g) => g.variant)?.variant;
  if (override) return { value: override };
  const whole = flag.filters.variants.find((v) => v.rolloutPercentage >= 100);
  return whole ? { value: whole.key } : undefined;
}

/** See the module doc. */
export function releasedToEveryone(flag: Flag): boolean {
  return everyoneGets(flag) !== undefined;
}

/**
 * True when every user gets the flag enabled (some variant), even if the
 * variant differs: an active flag with a property-less group at 100%.
 */
export function enabledForEveryone(flag: Flag): boolean {
  if (!flag.active || flag.deleted || flag.archived) return false;
  return conditionsReachEveryone(flag);
}

/**
 * The release conditions reach every user whether or not the flag is
 * enabled now: a property-less group at 100%. For a disabled flag, enabling
 * it releases it to everyone (the client's loud confirmation).
 */
export function conditionsReachEveryone(flag: Flag): boolean {
  return flag.filters.groups.some((g: ConditionGroup) => g.properties.length === 0 && (g.rolloutPercentage ?? 100) >= 100);
}

/** PostHog's per-flag "fully rolled out" (§9). Returns the value everyone gets, or undefined. */
export function fullyRolledOut(flag: Flag): { value: true | string } | undefined {
  const groups = flag.filters.groups;
  if (!isMultivariate(flag)) {
    if (groups.length === 0) return { value: true };
    return groups.some((g) => g.rolloutPercentage === 100 && g.properties.length === 0) ? { value: true } : undefined;
  }
  for (const g of groups) {
    if (g.rolloutPercentage !== 100 || g.properties.length) continue;
    if (g.variant) return { value: g.variant };
    const whole = flag.filters.variants.find((v) => v.rolloutPercentage === 100);
    if (whole) return { value: whole.key };
  }
  return undefined;
}
