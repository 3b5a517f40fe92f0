/**
 * The server's flags in memory: the last good snapshot, kept through
 * failures, refreshed in the background, and the status the client is told
 * about (`posthog/status`, interfaces.md "Language server").
 *
 * The store never talks HTTP itself: `load` (the API client or the snapshot
 * file, see flag-source.ts) returns a value, never throws through here, and
 * owns retries, timeouts and Retry-After. The store only schedules: every
 * `intervalMs` when healthy, sooner (but never more than once per
 * `minRetryMs`) while failing: the wait doubles per failure up to the
 * interval, and up to FIRST_LOAD_MAX_RETRY_MS while no load has succeeded
 * yet (the editor has nothing to show until one does). The HTTP layer keeps
 * every retry within the contract's budget (≤ 20 requests in any 10 s,
 * Retry-After honoured).
 */
import type { FlagSnapshot } from '../core/flags/types';

import type { StatusParams, StatusState } from '../shared/protocol';

export type { StatusParams, StatusState };

/** Longest wait between attempts while the first load keeps failing. */
export const FIRST_LOAD_MAX_RETRY_MS = 5_000;

export type LoadResult = { ok: true; snapshot: FlagSnapshot } | { ok: false; state: Exclude<StatusState, 'ok'>; message: string };

export interface FlagStoreEvents {
  /** The flags differ from before (first load included: `previous` is then undefined). */
  onFlagsChanged(snapshot: FlagSnapshot, previous: FlagSnapshot | undefined): void;
  /** State, message, count or fetch time changed (and always after the first fetch). */
  onStatus(status: StatusParams): void;
}

export class FlagStore {
  snapshot: FlagSnapshot | undefined;
  status: StatusParams | undefined;
  private fingerprint = '';
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<LoadResult> | undefined;
  private failures = 0;
  private disposed = false;
  /** Resolves after the first fetch settles (success or failure). */
  readonly firstFetch: Promise<void>;
  private markFirst!: () => void;

  constructor(
    private load: () => Promise<LoadResult>,
    private readonly events: FlagStoreEvents,
    private intervalMs: number,
    private readonly minRetryMs = 2000,
  ) {
    this.firstFetch = new Promise((r) => (this.markFirst = r));
  }

  /** Replaces the loader (configuration change) and fetches at once. */
  reconfigure(load: () => Promise<LoadResult>, intervalMs: number): Promise<LoadResult> {
    this.load = load;
    this.intervalMs = intervalMs;
    this.failures = 0;
    return this.refresh();
  }

  /**
   * Drops the flags and the status (the flag source changed: another
   * source's flags are not "the last good ones" of this one). Callers
   * republish what depends on the flags.
   */
  forget(): void {
    this.snapshot = undefined;
    this.status = undefined;
    this.fingerprint = '';
  }

  start(): void {
    void this.refresh();
  }

  /** Fetches now (joins a fetch already in flight, unless `override` asks for its own), then reschedules. */
  async refresh(override?: () => Promise<LoadResult>): Promise<LoadResult> {
    if (this.inFlight) {
      if (!override) return this.inFlight;
      await this.inFlight.catch(() => undefined);
      if (this.inFlight) return this.inFlight;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const run = (async (): Promise<LoadResult> => {
      let result: LoadResult;
      try {
        result = await (override ?? this.load)();
      } catch (e) {
        result = { ok: false, state: 'error', message: e instanceof Error ? e.message : String(e) };
      }
      if (!this.disposed) this.apply(result);
      return result;
    })();
    this.inFlight = run;
    void run.finally(() => {
      this.inFlight = undefined;
      this.markFirst();
      this.schedule();
    });
    return run;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private apply(result: LoadResult): void {
    let next: StatusParams;
    if (result.ok) {
      this.failures = 0;
      const fp = fingerprintOf(result.snapshot);
      const previous = this.snapshot;
      const changed = fp !== this.fingerprint || !previous;
      this.snapshot = result.snapshot;
      this.fingerprint = fp;
      next = { state: 'ok', flagCount: result.snapshot.flags.length, fetchedAt: result.snapshot.fetchedAt };
      if (changed) this.safe(() => this.events.onFlagsChanged(result.snapshot, previous));
    } else {
      this.failures++;
      next = { state: result.state, message: result.message };
      if (this.snapshot) {
        next.flagCount = this.snapshot.flags.length;
        next.fetchedAt = this.snapshot.fetchedAt;
      }
    }
    const prev = this.status;
    this.status = next;
    // A successful fetch is told too (its `fetchedAt` is new): the client shows when flags were last refreshed.
    if (!prev || prev.state !== next.state || prev.message !== next.message || prev.flagCount !== next.flagCount || prev.fetchedAt !== next.fetchedAt) {
      this.safe(() => this.events.onStatus(next));
    }
  }

  private schedule(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    const interval = this.intervalMs > 0 ? this.intervalMs : Infinity;
    const cap = this.snapshot ? interval : Math.min(interval, Math.max(this.minRetryMs, FIRST_LOAD_MAX_RETRY_MS));
    const delay = this.failures === 0 ? interval : Math.min(cap, this.minRetryMs * 2 ** Math.min(this.failures - 1, 5));
    if (!Number.isFinite(delay)) return;
    this.timer = setTimeout(() => void this.refresh(), delay);
    this.timer.unref?.();
  }

  private safe(fn: () => void): void {
    try {
      fn();
    } catch {
      /* a listener's failure must not stop refreshing */
    }
  }
}

/**
 * Identity of a snapshot's content: changes when any flag visible to the
 * features changes. The filters are part of it: a snapshot file (or a server
 * that does not bump `version`) can change a rollout and nothing else.
 */
export function fingerprintOf(s: FlagSnapshot): string {
  const parts: string[] = [];
  for (const f of s.flags) {
    parts.push(`${f.id}|${f.key}|${f.active ? 1 : 0}|${f.archived ? 1 : 0}|${f.version ?? ''}|${f.updatedAt ?? ''}|${f.status ?? ''}|${f.lastCalledAt ?? ''}|${f.name}|${JSON.stringify(f.filters)}`);
  }
  parts.sort();
  parts.push([...s.deletedKeys].sort().join(','));
  parts.push(String(s.cohorts.size));
  return parts.join('\n');
}
