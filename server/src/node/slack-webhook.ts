/**
 * Posts one message to a Slack incoming webhook (`check --slack-webhook`).
 * The request carries the JSON body and nothing else: no Authorization
 * header, no cookie, nothing of the PostHog configuration. The webhook URL
 * is itself a secret (whoever has it can post): messages name only its
 * origin, never its path. One attempt, no retry (a repeated post would be a
 * repeated message); a failure is a value.
 */
import { networkReason, requestDeadline } from '../posthog/errors';

/** Slack answers within a second or two; CI should not hang on it. */
export const SLACK_TIMEOUT_MS = 10_000;

export type SlackPostResult = { ok: true } | { ok: false; message: string };

/** `https://hooks.slack.com` for `https://hooks.slack.com/services/T…/B…/…`. */
export function webhookOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the webhook';
  }
}

/** A usable webhook URL (http or https), else why not. */
export function webhookProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `must be an http(s) URL (got ${parsed.protocol})`;
  return undefined;
}

export async function postSlackMessage(url: string, body: unknown, opts: { timeoutMs?: number; userAgent?: string } = {}): Promise<SlackPostResult> {
  // undici only when a message goes out: `check` without a webhook never loads it.
  const { Agent, request } = await import('undici');
  const timeoutMs = opts.timeoutMs ?? SLACK_TIMEOUT_MS;
  const where = `the Slack webhook at ${webhookOrigin(url)}`;
  const agent = new Agent({ connect: { timeout: timeoutMs } });
  const deadline = requestDeadline(timeoutMs);
  try {
    const res = await request(url, {
      method: 'POST',
      dispatcher: agent,
      signal: deadline.signal,
      headers: { 'content-type': 'application/json', 'user-agent': opts.userAgent ?? 'posthog-flags' },
      body: JSON.stringify(body),
    });
    const text = (await res.body.text()).trim();
    if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true };
    // Slack's refusals are short words (invalid_payload, no_service…); quote them, cut long pages.
    const said = text && text.length <= 200 && !/[<\n]/.test(text) ? `: "${text}"` : '';
    return { ok: false, message: `${where} answered HTTP ${res.statusCode}${said}` };
  } catch (e) {
    return { ok: false, message: `${where} could not be reached (${networkReason(e, { timeoutMs, timedOut: deadline.timedOut() }).reason})` };
  } finally {
    deadline.clear();
    void agent.close().catch(() => undefined);
  }
}
