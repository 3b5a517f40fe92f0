/**
 * Change alerts (interfaces.md "Change alerts"): after a refresh whose flags
 * differ from the previous refresh, the changes of flags the workspace uses
 * go to the client as `posthog/flagsChanged`, the files using them are
 * re-diagnosed, and a flag that just became released to everyone, disabled
 * or deleted gets a Warning (`window/showMessage`), unless the client shows
 * the alerts itself (initializationOptions.clientShowsChangeAlerts).
 *
 * Rides on the refresh the FlagStore makes anyway: no request of its own.
 * What changed and how it is worded is the core's (core/flags/changes.ts),
 * shared with `posthog-flags check --since`.
 */
import { flagChanges } from '../core/flags/changes';
import type { FlagSnapshot } from '../core/flags/types';
import { changeMessage, type FlagChange, type FlagsChangedParams } from '../shared/protocol';
import { usagesOfKeyEverywhere, type FolderState, type ServerState } from './state';

export interface ChangeAlertOutput {
  /** `posthog/flagsChanged`. */
  notify(params: FlagsChangedParams): void;
  /** `window/showMessage` with type Warning. */
  warn(message: string): void;
  /** Re-diagnose these files of a folder. */
  republish(folder: FolderState, files: string[]): void;
}

/** Announces what changed between `previous` and `next` (nothing on the first load or with alerts off). Returns the changes. */
export async function announceChanges(state: ServerState, previous: FlagSnapshot | undefined, next: FlagSnapshot, out: ChangeAlertOutput): Promise<FlagChange[]> {
  if (!previous) return [];
  if (!(await state.settings.changeAlerts())) return [];
  const usages = new Map<string, ReturnType<typeof usagesOfKeyEverywhere>>();
  const changes = flagChanges(previous, next, (key) => {
    const found = usagesOfKeyEverywhere(state, key);
    if (found.length) usages.set(key, found); // most keys of a project are not in the code
    return found.length;
  });
  if (!changes.length) return [];
  for (const change of changes) {
    const byFolder = new Map<FolderState, Set<string>>();
    for (const { folder, usage } of usages.get(change.key) ?? []) {
      let files = byFolder.get(folder);
      if (!files) byFolder.set(folder, (files = new Set()));
      files.add(usage.file);
    }
    for (const [folder, files] of byFolder) out.republish(folder, [...files]);
  }
  out.notify({ changes, fetchedAt: next.fetchedAt });
  if (!state.settings.init.clientShowsChangeAlerts) {
    for (const change of changes) if (change.warning) out.warn(changeMessage(change));
  }
  state.log('info', `flags changed: ${changes.map((c) => `${c.key} (${c.summary})`).join('; ')}`);
  return changes;
}
