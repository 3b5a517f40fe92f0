import type { FlagSnapshot, FlagState } from './types';

/**
 * State of a key in a snapshot: `active`/`disabled` for a live flag (archived
 * flags are disabled), `deleted` when the snapshot knows the key was deleted,
 * else `missing`.
 */
export function flagState(key: string, snapshot: FlagSnapshot): FlagState {
  const flag = snapshot.byKey.get(key);
  if (flag) return flag.active && !flag.archived ? 'active' : 'disabled';
  return snapshot.deletedKeys.has(key) ? 'deleted' : 'missing';
}
