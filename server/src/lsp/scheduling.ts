/**
 * Timing helpers for the server: debounced batches and cooperative yielding,
 * so long work (indexing, re-indexing a branch switch) never starves
 * requests.
 */

/** Lets pending I/O and requests run before continuing. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Collects items and hands them to `flush` as one batch `delayMs` after the
 * last `add` (trailing debounce), but never later than `maxDelayMs` after the
 * first pending one. A flush in progress is awaited before the next starts,
 * so batches never overlap.
 */
export class DebouncedBatch<T> {
  private pending = new Set<T>();
  private timer: NodeJS.Timeout | undefined;
  private firstAt = 0;
  private running: Promise<void> | undefined;
  private disposed = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<void> | void,
    private readonly delayMs: number,
    private readonly maxDelayMs = delayMs * 4,
  ) {}

  add(...items: T[]): void {
    if (this.disposed) return;
    if (this.pending.size === 0) this.firstAt = Date.now();
    for (const item of items) this.pending.add(item);
    this.schedule();
  }

  get size(): number {
    return this.pending.size;
  }

  /** Runs the pending batch now (tests, shutdown). */
  async flushNow(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.run();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.pending.clear();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    const waited = Date.now() - this.firstAt;
    const delay = Math.max(0, Math.min(this.delayMs, this.maxDelayMs - waited));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delay);
  }

  private async run(): Promise<void> {
    if (this.running) await this.running;
    if (this.pending.size === 0 || this.disposed) return;
    const items = [...this.pending];
    this.pending.clear();
    this.running = Promise.resolve()
      .then(() => this.flush(items))
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
  }
}
