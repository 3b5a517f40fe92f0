/**
 * The personal API key must appear in nothing the tools write. Every message,
 * log line and error object built by the client passes through `redact`.
 *
 * Text on its way out may have been escaped (Markdown escapes `_` as `\_` in
 * hovers; JSON doubles every backslash), so the key is also matched with
 * backslashes between its characters.
 */

const BACKSLASHES = '\\\\*';
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Anything shaped like a personal/project/secret key or OAuth token, escaped or not. */
const KEY_SHAPED = new RegExp(`\\b(phx|phs|pha)${BACKSLASHES}_(?:${BACKSLASHES}[A-Za-z0-9_-]){6,}`, 'g');

export const REDACTED = '[redacted]';

const patterns = new Map<string, RegExp>();

/** `text` matched with any run of backslashes between its characters. */
function escapedPattern(text: string): RegExp {
  let p = patterns.get(text);
  if (!p) {
    p = new RegExp([...text].map(escapeRegExp).join(BACKSLASHES), 'g');
    if (patterns.size > 16) patterns.clear();
    patterns.set(text, p);
  }
  return p;
}

/** Removes exactly `key` from `text`: as is, escaped with backslashes, or URL-encoded. */
export function redactSecret(text: string, key: string): string {
  if (key.length < 4) return text;
  let out = text.split(key).join(REDACTED).replace(escapedPattern(key), REDACTED);
  const encoded = encodeURIComponent(key);
  if (encoded !== key) out = out.split(encoded).join(REDACTED);
  return out;
}

/** Removes `key` (see `redactSecret`) and anything shaped like a PostHog personal key from `text`. */
export function redact(text: string, key?: string): string {
  return (key ? redactSecret(text, key) : text).replace(KEY_SHAPED, REDACTED);
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
