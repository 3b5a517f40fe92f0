/**
 * The personal API key must appear in nothing the tools write. Every message,
 * log line and error object built by the client passes through `redact`.
 */

/** Anything shaped like a personal/project/secret key or OAuth token. */
const KEY_SHAPED = /\b(phx|phs|pha)_[A-Za-z0-9_-]{6,}/g;

export const REDACTED = '[redacted]';

/** Removes `key` (and anything shaped like a PostHog personal key) from `text`. */
export function redact(text: string, key?: string): string {
  let out = text;
  if (key && key.length >= 4) out = out.split(key).join(REDACTED);
  if (key) {
    // also the key as it may appear URL-encoded
    const encoded = encodeURIComponent(key);
    if (encoded !== key) out = out.split(encoded).join(REDACTED);
  }
  return out.replace(KEY_SHAPED, REDACTED);
}

/** Redacts every string inside a JSON-like value (for error objects and logs). */
export function redactDeep<T>(value: T, key?: string): T {
  if (typeof value === 'string') return redact(value, key) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, key)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, key);
    return out as T;
  }
  return value;
}
