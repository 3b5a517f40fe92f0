import { plural } from '../words';
import type { ScanResult, Usage } from '../types';

/** A HEAD usage listed under `added` (contract: `diff --format json`). */
export interface DiffUsage {
  file: string;
  line: number;
  column: number;
}

/**
 * A key with more usages in some file at HEAD than at BASE.
 * `usages` are HEAD's usages in those files.
 */
export interface AddedKey {
  key: string;
  /** BASE used the key nowhere. */
  newKey: boolean;
  usages: DiffUsage[];
  /** PostHog's state (`active|disabled|deleted|missing`) when flags were available. */
  state?: string;
}

/** A key with fewer usages in some file at HEAD than at BASE. */
export interface RemovedKey {
  key: string;
  /** HEAD uses the key nowhere. */
  lastUsageRemoved: boolean;
  /** Extra: the files where the count went down, with BASE's usages there. */
  files: string[];
  usages: DiffUsage[];
  state?: string;
}

export interface ScanDiff {
  base: string;
  head: string;
  added: AddedKey[];
  removed: RemovedKey[];
}

/**
 * Compares the usages of two scans per (file, key) by count, so a usage that
 * moved within its file is not a change. Pure; keys sorted, files sorted.
 */
export function diffScans(base: ScanResult, head: ScanResult, names: { base: string; head: string }): ScanDiff {
  const b = groupByKeyAndFile(base.usages);
  const h = groupByKeyAndFile(head.usages);
  const added: AddedKey[] = [];
  const removed: RemovedKey[] = [];
  for (const key of [...new Set([...b.keys(), ...h.keys()])].sort()) {
    const inBase = b.get(key) ?? new Map<string, Usage[]>();
    const inHead = h.get(key) ?? new Map<string, Usage[]>();
    const files = [...new Set([...inBase.keys(), ...inHead.keys()])].sort();
    const grew = files.filter((f) => (inHead.get(f)?.length ?? 0) > (inBase.get(f)?.length ?? 0));
    const shrank = files.filter((f) => (inHead.get(f)?.length ?? 0) < (inBase.get(f)?.length ?? 0));
    if (grew.length) {
      added.push({ key, newKey: inBase.size === 0, usages: grew.flatMap((f) => (inHead.get(f) ?? []).map(point)) });
    }
    if (shrank.length) {
      removed.push({
        key,
        lastUsageRemoved: inHead.size === 0,
        files: shrank,
        usages: shrank.flatMap((f) => (inBase.get(f) ?? []).map(point)),
      });
    }
  }
  return { base: names.base, head: names.head, added, removed };
}

/** Fills `state` on every entry from a lookup (e.g. the flag snapshot). */
export function withStates(diff: ScanDiff, stateOf: (key: string) => string | undefined): ScanDiff {
  const add = <T extends { key: string }>(row: T): T => {
    const state = stateOf(row.key);
    return state === undefined ? row : { ...row, state };
  };
  return { ...diff, added: diff.added.map(add), removed: diff.removed.map(add) };
}

/** One sentence per change, with PostHog's view where known. */
export function describeAdded(a: AddedKey): string {
  const where = plural(a.usages.length, 'usage');
  const lead = a.newKey ? `starts using '${a.key}'` : `adds ${where} of '${a.key}'`;
  switch (a.state) {
    case 'disabled':
      return `${lead}, which is disabled`;
    case 'missing':
      return `${lead}, which does not exist in PostHog`;
    case 'deleted':
      return `${lead}, which was deleted in PostHog`;
    case 'active':
      return `${lead}, which is active`;
    default:
      return lead;
  }
}

export function describeRemoved(r: RemovedKey): string {
  if (!r.lastUsageRemoved) return `removes ${r.usages.length === 1 ? 'a usage' : `${r.usages.length} usages`} of '${r.key}' (still used elsewhere)`;
  switch (r.state) {
    case 'active':
    case 'disabled':
      return `removes the last usage of '${r.key}': safe to delete in PostHog`;
    case 'missing':
    case 'deleted':
      return `removes the last usage of '${r.key}', which is not in PostHog`;
    default:
      return `removes the last usage of '${r.key}'`;
  }
}

function groupByKeyAndFile(usages: Usage[]): Map<string, Map<string, Usage[]>> {
  const byKey = new Map<string, Map<string, Usage[]>>();
  for (const u of usages) {
    let byFile = byKey.get(u.key);
    if (!byFile) byKey.set(u.key, (byFile = new Map()));
    const list = byFile.get(u.file);
    if (list) list.push(u);
    else byFile.set(u.file, [u]);
  }
  for (const byFile of byKey.values()) {
    for (const list of byFile.values()) list.sort((x, y) => x.line - y.line || x.column - y.column);
  }
  return byKey;
}

function point(u: Usage): DiffUsage {
  return { file: u.file, line: u.line, column: u.column };
}
