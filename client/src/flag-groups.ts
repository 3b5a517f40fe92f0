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

/** One-line description next to a flag's key. */
export function describeFlag(flag: ReportFlag): string {
  const parts: string[] = [];
  if (flag.state === 'missing') parts.push('not in PostHog');
  else if (flag.state === 'deleted') parts.push('deleted in PostHog');
  else parts.push(flag.state === 'disabled' ? `disabled · ${flag.rollout}` : flag.rollout);
  if (flag.inCode) parts.push(flag.usageCount === 1 ? '1 usage' : `${flag.usageCount} usages`);
  return parts.filter(Boolean).join(' · ');
}
