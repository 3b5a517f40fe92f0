import { buildReport, uncertainUsages } from '../core/report/report';
import { conditionsReachEveryone } from '../core/flags/rollout';
import type { Flag, FlagSnapshot } from '../core/flags/types';
import type { ScanResult, Usage } from '../core/types';
import { toRange } from '../lsp/positions';
import { uriOfFile, type FolderState, type ServerState } from '../lsp/state';
import type { ReportFlag, ReportResult } from '../shared/protocol';

/**
 * `posthog/report {}` → `{flags}`: the CLI report's rows (core/report) over
 * every workspace folder, plus each key's usages as LSP locations. Files
 * are relative to their folder, prefixed by the folder's name when the
 * workspace has several. While no flags are known there are no rows (no key
 * is "missing in PostHog" before PostHog or a snapshot said so), only
 * `flagsUnknown`.
 */
export function report(state: ServerState): ReportResult {
  const folders = [...state.folders.values()].filter((f) => !f.disposed);
  const multi = folders.filter((f) => !f.loose).length > 1;
  const usages: Usage[] = [];
  const locations = new Map<string, ReportFlag['usages']>();
  const add = (folder: FolderState, u: Usage) => {
    usages.push({ ...u, file: multi && !folder.loose ? `${folder.name}/${u.file}` : u.file });
    let list = locations.get(u.key);
    if (!list) locations.set(u.key, (list = []));
    list.push({ uri: uriOfFile(folder, u.file), range: toRange(u) });
  };
  for (const folder of folders) for (const u of folder.index.usages()) add(folder, u);
  const unresolvedUsages = folders.reduce((n, f) => n + uncertainUsages({ unresolved: f.index.unresolved() }), 0);
  const snapshot = state.flags.snapshot;
  if (!snapshot) {
    const why = state.flags.status?.message ?? 'Flags are not loaded yet.';
    return { unresolvedUsages, flags: [], flagsUnknown: why };
  }
  const scan: ScanResult = { root: folders[0]?.root ?? '', filesScanned: 0, usages, unresolved: [], skipped: [] };
  const rows = buildReport(scan, snapshot, {
    now: state.now(),
    host: snapshot?.host ?? state.link.host,
    projectId: snapshot?.projectId ?? (typeof state.link.projectId === 'number' ? state.link.projectId : undefined),
  });
  return {
    unresolvedUsages,
    flags: rows.map((r) => ({
      key: r.key,
      state: r.state,
      inPostHog: r.inPostHog,
      inCode: r.inCode,
      usageCount: r.usageCount,
      files: r.files,
      rollout: r.rollout ?? '',
      releasedToEveryone: r.releasedToEveryone,
      stale: r.stale,
      ...(r.staleReason ? { staleReason: r.staleReason } : {}),
      ...(r.name ? { name: r.name } : {}),
      ...(r.url ? { url: r.url } : {}),
      usages: locations.get(r.key) ?? [],
      ...conditionsOf(snapshot.byKey.get(r.key)),
    })),
  };
}

/** The report row's `conditions` and `reachesEveryoneWhenEnabled` (the client's rollout change and loud confirmations). */
function conditionsOf(flag: Flag | undefined): Pick<ReportFlag, 'conditions' | 'reachesEveryoneWhenEnabled'> {
  if (!flag) return {};
  return {
    conditions: flag.filters.groups.map((g) => ({ rolloutPercentage: g.rolloutPercentage ?? 100, filtered: g.properties.length > 0 })),
    reachesEveryoneWhenEnabled: conditionsReachEveryone(flag),
  };
}
