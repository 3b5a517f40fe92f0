/**
 * A flag's state in a few characters, for an inlay hint after each usage
 * (interfaces.md "At a glance"). Colour-neutral text: the symbol carries the
 * state for readers who cannot tell colours apart, the word says it.
 *
 *   ● 100%      enabled; the share of all users it reaches
 *   ● 30%+      enabled for 30% of all users, plus users matched by targeted conditions
 *   ● targeted  enabled only for users matching properties or cohorts
 *   ● variants  enabled, multivariate (the variant, not a share, is what matters)
 *   ○ off       disabled (or archived)
 *   ✕ missing   no flag with this key in the project
 *   ✕ deleted   the flag was deleted in PostHog
 *   ◐ stale     enabled but stale (posthog-api.md §9): the check should go
 *
 * Staleness wins over the percentage, as it does for diagnostics.
 */
import { staleness } from './stale';
import { formatPercent } from './summary';
import { flagState } from './state';
import type { Flag, FlagSnapshot } from './types';

export type GlanceKind = 'enabled' | 'variants' | 'off' | 'missing' | 'deleted' | 'stale';

export interface FlagGlance {
  kind: GlanceKind;
  /** The hint's text, e.g. `● 30%`. */
  label: string;
}

export function flagGlance(key: string, snapshot: FlagSnapshot, now: Date): FlagGlance {
  const status = flagState(key, snapshot);
  if (status === 'missing') return { kind: 'missing', label: '✕ missing' };
  if (status === 'deleted') return { kind: 'deleted', label: '✕ deleted' };
  if (status === 'disabled') return { kind: 'off', label: '○ off' };
  const flag = snapshot.byKey.get(key)!;
  if (staleness(flag, now).stale) return { kind: 'stale', label: '◐ stale' };
  if (flag.filters.variants.length > 0) return { kind: 'variants', label: '● variants' };
  return { kind: 'enabled', label: `● ${reach(flag)}` };
}

/**
 * The share of all users an enabled boolean flag reaches: the highest
 * percentage of a condition set without properties (a missing percentage is
 * 100, as PostHog reads it); `+` when condition sets with properties may
 * reach more users; `targeted` when only those exist. No condition set at
 * all matches no one.
 */
function reach(flag: Flag): string {
  const groups = flag.filters.groups;
  const open = groups.filter((g) => g.properties.length === 0);
  const targeted = groups.some((g) => g.properties.length > 0 && (g.rolloutPercentage ?? 100) > 0);
  if (open.length === 0) return targeted ? 'targeted' : '0%';
  const pct = Math.max(...open.map((g) => g.rolloutPercentage ?? 100));
  const text = `${formatPercent(Math.min(Math.max(pct, 0), 100))}%`;
  return targeted && pct < 100 ? `${text}+` : text;
}

