/**
 * What changed in the flags the code uses between two snapshots: the
 * language server's change alerts (each refresh against the previous one,
 * `posthog/flagsChanged`) and `posthog-flags check --since SNAPSHOT` both
 * call `flagChanges`, so the editor, CI and Slack say the same thing in the
 * same words (interfaces.md "Change alerts").
 *
 * Only what changes what the code gets counts: existence, enabled/disabled,
 * release conditions and their percentages, variants, and "released to
 * everyone". Names, tags, versions, payloads, `last_called_at` and cohort
 * display names do not. Pure: no IO.
 */
import type { FlagChange, FlagChangeKind, FlagChangeSide } from '../../shared/protocol';
import { everyoneGets, releasedToEveryone } from './rollout';
import { flagState } from './state';
import { formatPercent, summarizeGroup, summarizeRollout } from './summary';
import type { ConditionGroup, Flag, FlagSnapshot } from './types';

export type { FlagChange, FlagChangeKind, FlagChangeSide };

/** Kinds that change the meaning of the code behind a flag at once: the editor warns, Slack marks them. */
export const WARNING_KINDS: readonly FlagChangeKind[] = ['released', 'disabled', 'deleted'];

/** One side of a change: the key's state, rollout in words and whether everyone gets it. */
export function changeSide(key: string, snapshot: FlagSnapshot): FlagChangeSide {
  const flag = snapshot.byKey.get(key);
  const state = flagState(key, snapshot);
  if (!flag) return { state, releasedToEveryone: false };
  return { state, rollout: summarizeRollout(flag, snapshot).text, releasedToEveryone: releasedToEveryone(flag) };
}

/**
 * The changes between `before` and `after` of every key whose `usageCount`
 * is above 0, sorted by key. Unused flags are not compared at all: a project
 * has far more flags than one codebase uses.
 */
export function flagChanges(before: FlagSnapshot, after: FlagSnapshot, usageCount: (key: string) => number): FlagChange[] {
  const keys = new Set<string>([...before.byKey.keys(), ...after.byKey.keys(), ...before.deletedKeys, ...after.deletedKeys]);
  const out: FlagChange[] = [];
  for (const key of [...keys].sort()) {
    const count = usageCount(key);
    if (!(count > 0)) continue;
    const change = changeOf(key, before, after);
    if (change) out.push({ ...change, usageCount: count });
  }
  return out;
}

/** The change of one key, or undefined when nothing that matters to the code changed. */
export function changeOf(key: string, before: FlagSnapshot, after: FlagSnapshot): Omit<FlagChange, 'usageCount'> | undefined {
  const a = before.byKey.get(key);
  const b = after.byKey.get(key);
  if (!a && !b) return undefined; // missing or deleted on both sides: the code gets nothing either way
  const kinds: FlagChangeKind[] = [];
  const words: string[] = [];
  if (!a && b) {
    kinds.push('created');
    words.push(`${before.deletedKeys.has(key) ? 'restored' : 'created'} in PostHog: ${summarizeRollout(b, after).text}`);
  } else if (a && !b) {
    kinds.push('deleted');
    words.push(after.deletedKeys.has(key) ? 'deleted in PostHog' : "no longer in PostHog's flag list (deleted or archived)");
  } else if (a && b) {
    const wasOn = a.active && !a.archived;
    const isOn = b.active && !b.archived;
    if (!wasOn && isOn) {
      kinds.push('enabled');
      words.push('enabled');
    } else if (wasOn && !isOn) {
      kinds.push('disabled');
      words.push(b.archived && !a.archived ? 'archived' : 'disabled');
    }
    const conditions = conditionChange(a, before, b, after);
    if (conditions) {
      kinds.push(conditions.kind);
      words.push(conditions.words);
    }
    const variants = variantChange(a, b);
    if (variants) {
      kinds.push('variants');
      words.push(variants);
    }
  }
  // Cheap checks first: most flags did not change, and their rollout words are not needed.
  const everyone = b ? everyoneGets(b) : undefined;
  if (everyone && !(a && releasedToEveryone(a))) {
    kinds.push('released');
    words.push(typeof everyone.value === 'string' ? `released to everyone with variant '${everyone.value}'` : 'released to everyone');
  }
  if (!kinds.length) return undefined;
  return {
    key,
    before: changeSide(key, before),
    after: changeSide(key, after),
    summary: joinWords(words),
    kinds,
    warning: kinds.some((k) => WARNING_KINDS.includes(k)),
  };
}

/** "disabled; rollout 30% → 50% of users — released to everyone": the last part (released) after a dash. */
function joinWords(words: string[]): string {
  if (words.length > 1 && words[words.length - 1].startsWith('released to everyone')) {
    return `${words.slice(0, -1).join('; ')} — ${words[words.length - 1]}`;
  }
  return words.join('; ');
}

/** A condition set without its percentage: what it matches, not how much of it. */
function groupShape(g: ConditionGroup): string {
  const props = g.properties.map((p) => [p.key, p.type, p.value, p.operator ?? 'exact', p.negation, p.groupTypeIndex ?? null]);
  return JSON.stringify([props, g.variant ?? null, g.aggregationGroupTypeIndex ?? null]);
}

const percent = (g: ConditionGroup) => g.rolloutPercentage ?? 100;


/**
 * Same condition sets with other percentages → `rollout` ("rollout 30% → 100% of users",
 * "condition 2: rollout …" when the flag has several); anything else → `conditions`
 * ("conditions: A → B", each side as the hover says it).
 */
function conditionChange(a: Flag, before: FlagSnapshot, b: Flag, after: FlagSnapshot): { kind: 'rollout' | 'conditions'; words: string } | undefined {
  const ga = a.filters.groups;
  const gb = b.filters.groups;
  const sameAggregation = a.filters.aggregationGroupTypeIndex === b.filters.aggregationGroupTypeIndex;
  if (sameAggregation && ga.length === gb.length && ga.every((g, i) => groupShape(g) === groupShape(gb[i]))) {
    const moved = gb.map((g, i) => i).filter((i) => percent(ga[i]) !== percent(gb[i]));
    if (!moved.length) return undefined;
    const parts = moved.map((i) => {
      // "30% of all users" → "users"; "30% of users where email …" → "users where email …"
      const what = summarizeGroup({ ...gb[i], variant: null }, b, after).replace(/^[\d.]+% of (all )?/, '');
      const text = `rollout ${formatPercent(percent(ga[i]))}% → ${formatPercent(percent(gb[i]))}% of ${what}`;
      return gb.length > 1 ? `condition ${i + 1}: ${text}` : text;
    });
    return { kind: 'rollout', words: parts.join('; ') };
  }
  const words = (f: Flag, s: FlagSnapshot) => {
    const c = summarizeRollout(f, s).conditions;
    return c.length ? c.join(' OR ') : 'none (matches no one)';
  };
  return { kind: 'conditions', words: `conditions: ${words(a, before)} → ${words(b, after)}` };
}

/** "variants: control 50%, test 50% → control 20%, test 80%" (or "none" on a side without variants). */
function variantChange(a: Flag, b: Flag): string | undefined {
  const text = (f: Flag) => (f.filters.variants.length ? f.filters.variants.map((v) => `${v.key} ${formatPercent(v.rolloutPercentage)}%`).join(', ') : 'none');
  const ta = text(a);
  const tb = text(b);
  return ta === tb ? undefined : `variants: ${ta} → ${tb}`;
}
