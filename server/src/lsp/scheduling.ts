/**
 * Timing helpers for the server: debounced batches and cooperative yielding,
 * so long work (indexing, re-indexing a branch switch) never starves
 * requests.
 */

import type { Message, MessageReader } from 'vscode-languageserver';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Requests and notifications read from the client, and how many the
 * connection has started handling (`countIncoming`, `countStarted`). The
 * connection starts one queued message per event-loop turn, so background
 * work that yields once per slice would let a burst of requests through one
 * per slice; `yieldToEventLoop` waits until the queue is drained instead.
 */
const inbox = { read: 0, started: 0, lastReadAt: 0 };

/**
 * After a yield in which the client sent something, background work waits
 * while messages keep coming (a client sending requests one after the other
 * gets each answered at once), but at most this long: it keeps about half of
 * the time when the client never stops.
 */
const GRACE_MAX_MS = 6;

/** Requests and notifications other than cancellations: what the connection queues. */
function queued(message: Message): boolean {
  const m = message as { method?: unknown };
  return typeof m.method === 'string' && m.method !== '$/cancelRequest';
}

/** Wraps the connection's reader so messages read are counted. */
export function countIncoming(reader: MessageReader): MessageReader {
  const listen = reader.listen.bind(reader);
  reader.listen = (callback) =>
    listen((message) => {
      if (queued(message)) {
        inbox.read++;
        inbox.lastReadAt = Date.now();
      }
      callback(message);
    });
  return reader;
}

/** The connection's message strategy: counts the messages it starts handling. */
export const countStarted = {
  handleMessage<R>(message: Message, next: (message: Message) => R): R {
    if (queued(message)) inbox.started++;
    return next(message);
  },
};

/**
 * Lets pending I/O and requests run before continuing: every message read
 * so far is handled first (until the connection stops taking them: a request
 * cancelled before it started is never handled).
 */
export async function yieldToEventLoop(): Promise<void> {
  const start = Date.now();
  const readBefore = inbox.read;
  await drain();
  if (inbox.read === readBefore) return;
  // The client is talking: let it go on while it does.
  while (Date.now() - start < GRACE_MAX_MS) {
    const seen = inbox.read;
    await new Promise((resolve) => setTimeout(resolve, 1));
    await drain();
    if (inbox.read === seen) return;
  }
}

/**
 * Resolves once the client has sent nothing for `quietMs`, or `maxMs` after
 * the call, or when `stop()` says so (checked every few milliseconds).
 */
export async function clientQuiet(quietMs: number, maxMs: number, stop: () => boolean): Promise<void> {
  const start = Date.now();
  while (!stop()) {
    const now = Date.now();
    if (now - start >= maxMs || now - Math.max(inbox.lastReadAt, start) >= quietMs) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** One turn, then more while messages read are waiting to be handled. */
async function drain(): Promise<void> {
  await nextTurn();
  let idle = 0;
  while (inbox.read > inbox.started && idle < 2) {
    const before = inbox.started;
    await nextTurn();
    idle = inbox.started === before ? idle + 1 : 0;
  }
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
