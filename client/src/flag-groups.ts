/** How the Flag Explorer groups the report's flags. Pure: no `vscode` import. */
import type { ReportFlag } from './protocol';

export type FlagGroupId = 'active' | 'disabled' | 'missing' | 'notInCode' | 'stale';

export const FLAG_GROUPS: ReadonlyArray<{ id: FlagGroupId; label: string }> = [
  { id: 'active', label: 'In code and active' },
  { id: 'disabled', label: 'In code but disabled' },
  { id: 'missing', label: 'In code but missing in PostHog' },
  { id: 'notInCode', label: 'In PostHog but not in code' },
  { id: 'stale', label: 'Stale' },
];

/**
 * Each flag lands in one of the first four groups by where it is and its
 * state; stale flags are listed under "Stale" as well (the clean-up list).
 */
export function groupFlags(flags: readonly ReportFlag[]): Record<FlagGroupId, ReportFlag[]> {
  const groups: Record<FlagGroupId, ReportFlag[]> = { active: [], disabled: [], missing: [], notInCode: [], stale: [] };
  const sorted = [...flags].sort((a, b) => a.key.localeCompare(b.key));
  for (const flag of sorted) {
    if (flag.inCode) {
      if (flag.state === 'active') groups.active.push(flag);
      else if (flag.state === 'disabled') groups.disabled.push(flag);
      else groups.missing.push(flag);
    } else if (flag.inPostHog) {
      groups.notInCode.push(flag);
    }
    if (flag.stale) groups.stale.push(flag);
  }
  return groups;
}

/** A group's label; "not in code" is never said with certainty while usages could not be resolved. */
export function groupLabel(id: FlagGroupId, unresolvedUsages = 0): string {
  const label = FLAG_GROUPS.find((g) => g.id === id)!.label;
  if (id !== 'notInCode' || !unresolvedUsages) return label;
  return `In PostHog, not found in code (${unresolvedUsages === 1 ? '1 usage' : `${unresolvedUsages} usages`} unresolved)`;
}

/** One-line description next to a flag's key: its state, then how often the code uses it. */
export function describeFlag(flag: ReportFlag): string {
  const parts: string[] = [];
  if (flag.state === 'missing') parts.push('missing in PostHog');
  else if (flag.state === 'deleted') parts.push('deleted in PostHog');
  else if (flag.state === 'disabled') parts.push('disabled');
  else parts.push(flag.releasedToEveryone ? 'enabled for everyone' : 'enabled');
  if (flag.stale) parts.push('stale');
  parts.push(flag.inCode ? (flag.usageCount === 1 ? '1 usage' : `${flag.usageCount} usages`) : 'no usages');
  return parts.join(' · ');
}

/** How a flag row looks in the Flag Explorer: key, description, tooltip lines (plain text), icon and context value. */
export interface FlagNodeView {
  label: string;
  description: string;
  /** Plain-text lines; the first is the key (and name). */
  tooltip: string[];
  icon: { id: string; color: string };
  /**
   * `posthogFlag.<state>` then `.inPostHog`, `.inCode`, `.oneCondition` when
   * they hold: package.json menus match on it (toggle and open for flags in
   * PostHog, create for missing ones, *Change Rollout…* for one condition).
   */
  contextValue: string;
}

export function flagNodeView(flag: ReportFlag): FlagNodeView {
  const tooltip = [flag.name && flag.name !== flag.key ? `${flag.key} — ${flag.name}` : flag.key];
  tooltip.push(`State: ${describeState(flag)}`);
  if (flag.rollout) tooltip.push(`Rollout: ${flag.rollout}`);
  if (flag.conditions && flag.conditions.length > 1) tooltip.push(`${flag.conditions.length} release conditions`);
  if (flag.stale) tooltip.push(`Stale${flag.staleReason ? `: ${flag.staleReason}` : ''}`);
  if (flag.inCode) tooltip.push(`Used ${flag.usageCount === 1 ? 'once' : `${flag.usageCount} times`} in ${flag.files.slice(0, 10).join(', ')}${flag.files.length > 10 ? ', …' : ''}`);
  else tooltip.push('Not found in the code');
  return {
    label: flag.key,
    description: describeFlag(flag),
    tooltip,
    icon: flagIcon(flag),
    contextValue: `posthogFlag.${flag.state}${flag.inPostHog ? '.inPostHog' : ''}${flag.inCode ? '.inCode' : ''}${flag.conditions?.length === 1 ? '.oneCondition' : ''}`,
  };
}

function describeState(flag: ReportFlag): string {
  if (flag.state === 'missing') return 'not in PostHog';
  if (flag.state === 'deleted') return 'deleted in PostHog';
  if (flag.state === 'disabled') return flag.reachesEveryoneWhenEnabled ? 'disabled (enabling it releases it to everyone)' : 'disabled';
  return flag.releasedToEveryone ? 'enabled, released to everyone' : 'enabled';
}

/** A codicon and a theme colour; stale flags have their own (the clean-up list), whatever their state. */
function flagIcon(flag: ReportFlag): { id: string; color: string } {
  if (flag.state === 'missing' || flag.state === 'deleted') return { id: 'error', color: 'list.errorForeground' };
  if (flag.stale) return { id: 'history', color: 'list.deemphasizedForeground' };
  if (flag.state === 'disabled') return { id: 'circle-slash', color: 'list.warningForeground' };
  return { id: 'pass', color: 'testing.iconPassed' };
}
