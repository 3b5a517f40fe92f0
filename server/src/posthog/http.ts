/**
 * The one place that sends HTTP to PostHog (undici; the only other outbound
 * request is the Slack webhook of `check --slack-webhook`,
 * node/slack-webhook.ts). Reads are retried with jittered backoff on network
 * errors, 5xx, 429 and unparseable bodies; writes are sent once. Every attempt times out (≤ 15 s); `Retry-After` is honoured for every
 * later request; while PostHog fails, at most `budget.requests` requests go
 * out in any `budget.windowMs`; at most `concurrency` requests are in flight.
 */
import { Agent, request } from 'undici';
import type { Result } from '../core/types';
import { errorFromNetwork, errorFromResponse, isRetryable, requestDeadline, type PostHogError } from './errors';
import { redact } from './redact';

export const MAX_TIMEOUT_MS = 15_000;

/**
 * Per-request timeout (ms). PHF_HTTP_TIMEOUT_MS lowers it for tests; the
 * transport caps it at the contract's 15 s whatever is asked.
 */
export function requestTimeoutMs(env: Record<string, string | undefined> = process.env): number | undefined {
  const v = Number(env.PHF_HTTP_TIMEOUT_MS);
  return Number.isFinite(v) && v >= 50 ? v : undefined;
}
/** Margin added to the budget window so arrival jitter never puts one request too many in a window. */
const BUDGET_SLACK_MS = 100;

export interface TransportOptions {
  /** Normalised app host, e.g. `https://us.posthog.com` (no trailing slash). */
  host: string;
  personalApiKey: string;
  /** Per-attempt limit for connect + headers + body (default and maximum 15 s). */
  timeoutMs?: number;
  /** Connect limit (default min(10 s, timeoutMs)). */
  connectTimeoutMs?: number;
  /** Limit for one logical read including its retries and waits (default 18 s). */
  requestDeadlineMs?: number;
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** While failing: at most `requests` in any `windowMs` (default 20 in 10 s). */
  budget?: { requests: number; windowMs: number };
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Receives one redacted line per request. */
  log?: (line: string) => void;
  userAgent?: string;
}

export interface HttpResponse {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export interface SendOptions {
  method?: 'GET' | 'POST' | 'PATCH';
  body?: unknown;
  /** What is being done, for messages ("listing feature flags of project 1"). */
  action: string;
  projectId?: number | string;
  /** Reads retry; writes never do. Default: GET = read. */
  retry?: boolean;
  /** Statuses that are answers, not failures (e.g. 404 when probing). */
  accept?: number[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class Semaphore {
  private waiting: (() => void)[] = [];
  private active = 0;
  constructor(private readonly max: number) {}
  async acquire(): Promise<() => void> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    return () => {
      this.active--;
      this.waiting.shift()?.();
    };
  }
}

export class HttpTransport {
  readonly host: string;
  private readonly key: string;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly budget: { requests: number; windowMs: number };
  private readonly agent: Agent;
  private readonly slots: Semaphore;
  private readonly sent: number[] = [];
  private failing = false;
  /** No request before this time (epoch ms), from a Retry-After. */
  blockedUntil = 0;

  constructor(private readonly opts: TransportOptions) {
    this.host = opts.host.replace(/\/+$/, '');
    this.key = opts.personalApiKey;
    this.timeoutMs = Math.min(opts.timeoutMs ?? MAX_TIMEOUT_MS, MAX_TIMEOUT_MS);
    this.deadlineMs = opts.requestDeadlineMs ?? 18_000;
    this.attempts = Math.max(1, opts.retry?.attempts ?? 4);
    this.baseDelayMs = opts.retry?.baseDelayMs ?? 500;
    this.maxDelayMs = opts.retry?.maxDelayMs ?? 8_000;
    this.budget = opts.budget ?? { requests: 20, windowMs: 10_000 };
    this.slots = new Semaphore(opts.concurrency ?? 4);
    this.agent = new Agent({
      connect: { timeout: Math.min(opts.connectTimeoutMs ?? 10_000, this.timeoutMs) },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      keepAliveTimeout: 4_000,
      connections: opts.concurrency ?? 4,
    });
  }

  /** Absolute URL for a path (`/api/...`) or for a `next` link: only its path and query are kept, on our host. */
  urlFor(pathOrUrl: string): string {
    if (!/^https?:\/\//i.test(pathOrUrl)) return `${this.host}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
    const u = new URL(pathOrUrl);
    const ours = new URL(this.host);
    const prefix = ours.pathname.replace(/\/+$/, '');
    const path = prefix && u.pathname.startsWith(`${prefix}/`) ? u.pathname.slice(prefix.length) : u.pathname;
    return `${this.host}${path}${u.search}`;
  }

  /** Seconds until Retry-After has passed (0 when none is pending). */
  retryAfterRemainingMs(): number {
    return Math.max(0, this.blockedUntil - Date.now());
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private logLine(line: string) {
    this.opts.log?.(redact(line, this.key));
  }

  private redactError(e: PostHogError): PostHogError {
    const out: PostHogError = { ...e, message: redact(e.message, this.key) };
    if (e.detail !== undefined) out.detail = redact(e.detail, this.key);
    return out;
  }

  /**
   * Waits for budget room while failing, then records the request (check and
   * record happen with no await between them, so concurrent senders cannot
   * both take the last slot). Returns false if waiting would pass the deadline.
   */
  private async reserveBudget(deadline: number): Promise<boolean> {
    const window = this.budget.windowMs + BUDGET_SLACK_MS;
    for (;;) {
      const now = Date.now();
      while (this.sent.length && this.sent[0] <= now - window) this.sent.shift();
      if (!this.failing || this.sent.length < this.budget.requests) {
        this.sent.push(now);
        if (this.sent.length > 1000) this.sent.splice(0, this.sent.length - 1000);
        return true;
      }
      const freeAt = this.sent[this.sent.length - this.budget.requests] + window;
      if (freeAt > deadline) return false;
      await sleep(Math.max(1, freeAt - now + 1));
    }
  }

  private async attempt(url: string, o: SendOptions, remainingMs: number): Promise<Result<HttpResponse, PostHogError>> {
    const method = o.method ?? 'GET';
    const timeoutMs = Math.max(1, Math.min(this.timeoutMs, remainingMs));
    const ctx = { host: this.host, action: o.action, projectId: o.projectId };
    const deadline = requestDeadline(timeoutMs);
    const started = Date.now();
    const pathForLog = url.slice(this.host.length);
    try {
      const res = await request(url, {
        method,
        dispatcher: this.agent,
        signal: deadline.signal,
        headers: {
          authorization: `Bearer ${this.key}`,
          accept: 'application/json',
          'user-agent': this.opts.userAgent ?? 'posthog-flags',
          ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: o.body !== undefined ? JSON.stringify(o.body) : undefined,
      });
      const text = await res.body.text();
      deadline.clear();
      const headers = res.headers as HttpResponse['headers'];
      let body: unknown;
      let parsed = text.length > 0;
      if (parsed) {
        try {
          body = JSON.parse(text);
        } catch {
          parsed = false;
        }
      }
      this.logLine(`${method} ${pathForLog} → ${res.statusCode} (${Date.now() - started} ms)`);
      const ok = (res.statusCode >= 200 && res.statusCode < 300) || o.accept?.includes(res.statusCode);
      if (ok) {
        if (!parsed && text.length > 0) {
          return { ok: false, error: { kind: 'bad-response', status: res.statusCode, message: `PostHog at ${this.host} sent a body that is not JSON while ${o.action}.` } };
        }
        return { ok: true, value: { status: res.statusCode, body, headers } };
      }
      return { ok: false, error: errorFromResponse(res.statusCode, parsed ? body : undefined, headers, ctx) };
    } catch (e) {
      deadline.clear();
      const error = errorFromNetwork(e, { ...ctx, timeoutMs, timedOut: deadline.timedOut() });
      this.logLine(`${method} ${pathForLog} → failed: ${error.message}`);
      return { ok: false, error };
    }
  }

  /**
   * Sends one logical request. Reads are retried (see the module doc) until
   * `requestDeadlineMs`; the last failure is returned.
   */
  async send(pathOrUrl: string, o: SendOptions): Promise<Result<HttpResponse, PostHogError>> {
    const url = this.urlFor(pathOrUrl);
    const retry = o.retry ?? (o.method ?? 'GET') === 'GET';
    const deadline = Date.now() + this.deadlineMs;
    let last: PostHogError | undefined;
    for (let i = 0; i < (retry ? this.attempts : 1); i++) {
      const blockedMs = this.retryAfterRemainingMs();
      if (blockedMs > 0) {
        if (Date.now() + blockedMs > deadline) {
          const seconds = Math.ceil(blockedMs / 1000);
          return { ok: false, error: this.redactError(last ?? { kind: 'throttled', retryAfterSeconds: seconds, message: `PostHog throttled the requests: try again in ${seconds} s.` }) };
        }
        await sleep(blockedMs);
      }
      const release = await this.slots.acquire();
      let r: Result<HttpResponse, PostHogError>;
      try {
        if (!(await this.reserveBudget(deadline))) break;
        r = await this.attempt(url, o, deadline - Date.now());
      } finally {
        release();
      }
      if (r.ok) {
        this.failing = false;
        return r;
      }
      last = r.error;
      const transient = isRetryable(last);
      if (transient) this.failing = true;
      if (last.retryAfterSeconds !== undefined) this.blockedUntil = Math.max(this.blockedUntil, Date.now() + last.retryAfterSeconds * 1000);
      if (!retry || !transient || i === this.attempts - 1) break;
      const backoff = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** i) * (0.5 + Math.random() / 2);
      const wait = Math.max(backoff, (last.retryAfterSeconds ?? 0) * 1000);
      if (Date.now() + wait > deadline) break;
      await sleep(wait);
    }
    const error = last ?? { kind: 'offline' as const, message: `PostHog host unreachable: ${this.host} (request budget exhausted while ${o.action}).` };
    return { ok: false, error: this.redactError(error) };
  }
}
