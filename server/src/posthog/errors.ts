/**
 * Every failure talking to PostHog (or reading a snapshot) becomes a
 * PostHogError value with a message a user can act on. Messages quote
 * PostHog's `detail` and never contain the key.
 */

export type PostHogErrorKind =
  | 'unauthenticated' // 401: no key, invalid/revoked key, project key, wrong region
  | 'forbidden' // 403: missing scope (see `scope`), project not allowed, org policy
  | 'not-found' // 404: project or flag unknown
  | 'offline' // refused, DNS, timed out, connection cut
  | 'throttled' // 429 (see `retryAfterSeconds`)
  | 'server' // 5xx
  | 'bad-response' // a body that is not the expected JSON
  | 'validation' // 400 on a write, or a client-side check before sending
  | 'conflict' // 409, or the flag changed since the caller saw it
  | 'config' // no key / bad host / bad project id: nothing was sent
  | 'file'; // a snapshot file that cannot be read or parsed

export interface PostHogError {
  kind: PostHogErrorKind;
  /** One sentence or two, for people: what happened and what to do. */
  message: string;
  /** HTTP status when there was a response. */
  status?: number;
  /** PostHog's `detail` (or `error`) text, quoted as sent. */
  detail?: string;
  /** PostHog's error `code` (`permission_denied`, `unique`, …). */
  code?: string;
  /** PostHog's `attr` (offending field). */
  attr?: string | null;
  /** The missing scope, e.g. `feature_flag:write`. */
  scope?: string;
  /** Seconds until PostHog accepts requests again (429/503 `Retry-After`). */
  retryAfterSeconds?: number;
}

/** The `posthog/status` state for an error (interfaces.md, Language server → Faults). */
export function statusStateFor(error: PostHogError): 'unauthenticated' | 'offline' | 'error' {
  if (error.kind === 'unauthenticated' || error.kind === 'forbidden') return 'unauthenticated';
  if (error.kind === 'offline') return 'offline';
  if (error.kind === 'config' && /key/i.test(error.message)) return 'unauthenticated';
  return 'error';
}

/** CLI exit code for a flag-source failure: 2 for bad usage (config), 3 when the source is unreachable or rejects the key. */
export function exitCodeFor(error: PostHogError): 2 | 3 {
  return error.kind === 'config' ? 2 : 3;
}

/** True for failures that may go away by retrying a read. */
export function isRetryable(error: PostHogError): boolean {
  return error.kind === 'offline' || error.kind === 'server' || error.kind === 'throttled' || error.kind === 'bad-response';
}

/** True when a write may or may not have been applied (the response was lost or is not trustworthy). */
export function isAmbiguous(error: PostHogError): boolean {
  return error.kind === 'offline' || error.kind === 'server' || error.kind === 'bad-response';
}

const quote = (s: string) => `"${s}"`;

/** Reads PostHog's error envelope (`{type, code, detail, attr}` or `{error}`) out of a body. */
export function readEnvelope(body: unknown): { detail?: string; code?: string; attr?: string | null } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  const detail = typeof b.detail === 'string' ? b.detail : typeof b.error === 'string' ? b.error : undefined;
  const code = typeof b.code === 'string' ? b.code : undefined;
  const attr = typeof b.attr === 'string' ? b.attr : b.attr === null ? null : undefined;
  return { detail, code, attr };
}

export interface ResponseContext {
  host: string;
  /** What was being done, e.g. "listing feature flags of project 12". */
  action: string;
  projectId?: number | string;
}

function retryAfterOf(headers: Record<string, string | string[] | undefined>, detail?: string): number | undefined {
  const h = headers['retry-after'];
  const v = Array.isArray(h) ? h[0] : h;
  if (v !== undefined) {
    if (/^\d+$/.test(v.trim())) return Number(v.trim());
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return Math.max(0, Math.ceil((t - Date.now()) / 1000));
  }
  const m = detail ? /available in (\d+) second/.exec(detail) : null;
  return m ? Number(m[1]) : undefined;
}

/** An HTTP error response → PostHogError. `body` is the parsed JSON, or undefined when it was not JSON. */
export function errorFromResponse(status: number, body: unknown, headers: Record<string, string | string[] | undefined>, ctx: ResponseContext): PostHogError {
  const { detail, code, attr } = readEnvelope(body);
  const said = detail ? ` (${quote(detail)})` : '';
  const base = { status, detail, code, attr };
  if (status === 401) {
    const message =
      code === 'not_authenticated'
        ? `PostHog at ${ctx.host} received no personal API key${said}. Set POSTHOG_PERSONAL_API_KEY (a personal key, phx_…).`
        : `PostHog at ${ctx.host} rejected the personal API key${said}. Check that it is a personal API key (phx_…, not a project key phc_…), that it was not revoked, and that the host matches its region (US: https://us.posthog.com, EU: https://eu.posthog.com).`;
    return { kind: 'unauthenticated', message, ...base };
  }
  if (status === 403) {
    const scope = detail ? /missing required scope '([^']+)'/.exec(detail)?.[1] : undefined;
    const message = scope
      ? `The personal API key lacks the scope '${scope}' needed for ${ctx.action}${said}. Add '${scope}' to the key in PostHog (Settings → Personal API keys).`
      : `PostHog denied ${ctx.action}${said}.`;
    return { kind: 'forbidden', message, scope, ...base };
  }
  if (status === 404) {
    const project = detail === 'Project not found.';
    const message = project
      ? `Project ${ctx.projectId ?? ''} was not found at ${ctx.host}${said}. Check the project id (POSTHOG_PROJECT_ID / --project) and the host.`.replace('Project  was', 'The project was')
      : `PostHog found nothing for ${ctx.action}${said}.`;
    return { kind: 'not-found', message, ...base };
  }
  if (status === 429) {
    const retryAfterSeconds = retryAfterOf(headers, detail);
    const when = retryAfterSeconds !== undefined ? `try again in ${retryAfterSeconds} s` : 'try again shortly';
    return { kind: 'throttled', message: `PostHog throttled the requests: ${when}${said}.`, retryAfterSeconds, ...base };
  }
  if (status === 409) return { kind: 'conflict', message: `PostHog refused the change because of a conflict${said}.`, ...base };
  if (status === 400) return { kind: 'validation', message: detail ? `PostHog refused ${ctx.action}: ${detail}` : `PostHog refused ${ctx.action} (400).`, ...base };
  if (status >= 500) {
    const retryAfterSeconds = retryAfterOf(headers, detail);
    const what = body === undefined ? ` (the body is not JSON: a proxy or load balancer answered)` : said;
    return { kind: 'server', message: `PostHog at ${ctx.host} answered ${status} while ${ctx.action}${what}.`, retryAfterSeconds, ...base };
  }
  return { kind: 'bad-response', message: `PostHog at ${ctx.host} answered an unexpected ${status} while ${ctx.action}${said}.`, ...base };
}

/**
 * A request's time limit: `signal` aborts it after `timeoutMs`, and
 * `timedOut()` tells networkReason that the abort was the limit's (not a
 * network error). `clear()` once the answer is in.
 */
export function requestDeadline(timeoutMs: number): { signal: AbortSignal; timedOut: () => boolean; clear: () => void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  return { signal: controller.signal, timedOut: () => timedOut, clear: () => clearTimeout(timer) };
}

/** Why a request failed without a response, in words ("connection refused", "timed out after 2 s"…): PostHog's and the Slack webhook's. */
export function networkReason(e: unknown, ctx: { timeoutMs: number; timedOut: boolean }): { reason: string; code?: string } {
  const codes: string[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const c = (cur as { code?: unknown }).code;
    if (typeof c === 'string') codes.push(c);
    cur = (cur as { cause?: unknown }).cause;
  }
  const has = (c: string) => codes.includes(c);
  let reason: string;
  if (ctx.timedOut || has('UND_ERR_HEADERS_TIMEOUT') || has('UND_ERR_BODY_TIMEOUT') || has('ETIMEDOUT')) reason = `timed out after ${Math.round(ctx.timeoutMs / 100) / 10} s`;
  else if (has('UND_ERR_CONNECT_TIMEOUT')) reason = 'connection timed out';
  else if (has('ECONNREFUSED')) reason = 'connection refused';
  else if (has('ENOTFOUND') || has('EAI_AGAIN')) reason = 'host name not found';
  else if (has('ECONNRESET') || has('UND_ERR_SOCKET') || has('EPIPE') || has('UND_ERR_CLOSED')) reason = 'connection closed before the response was complete';
  else if (has('CERT_HAS_EXPIRED') || codes.some((c) => c.startsWith('ERR_TLS') || c.includes('CERT'))) reason = `TLS error (${codes.find((c) => c.includes('CERT') || c.startsWith('ERR_TLS'))})`;
  else if (e instanceof Error && /terminated|other side closed|aborted/i.test(e.message)) reason = 'connection closed before the response was complete';
  else reason = codes[0] ? `network error ${codes[0]}` : 'network error';
  return { reason, code: codes[0] };
}

/** A thrown network error (undici) → PostHogError, without the error's own text (it can hold URLs). */
export function errorFromNetwork(e: unknown, ctx: ResponseContext & { timeoutMs: number; timedOut: boolean }): PostHogError {
  const { reason, code } = networkReason(e, ctx);
  return { kind: 'offline', message: `PostHog host unreachable: ${ctx.host} (${reason}) while ${ctx.action}.`, detail: undefined, code };
}

/**
 * The error's message with PostHog's `detail` quoted when the message does
 * not already carry it (and the HTTP status when there is one): the one way
 * the CLI and the server say why PostHog refused.
 */
export function describePostHogError(error: PostHogError): string {
  const status = error.status !== undefined ? ` (HTTP ${error.status})` : '';
  if (error.detail && !error.message.includes(error.detail)) return `${error.message}${status} PostHog said: "${error.detail}"`;
  return `${error.message}${status}`;
}
