/**
 * The one normalisation of a PostHog host, for the VS Code client (sign-in,
 * the key-host confirmation) and the server and CLI (posthog/config.ts).
 * Both sides compare hosts only in this form, so a host the server treats as
 * the signed-in one is never one the client asks to confirm.
 */

export interface NormalizedHost {
  /** `scheme://host[:port][/self-hosted-prefix]`, lower-case host, no trailing slash. */
  host: string;
  /** Project id found in a pasted app URL (`…/project/123/…`). */
  projectId?: number;
}

/** Ingestion hosts (what SDKs send events to) → the app hosts the API lives on. */
const INGESTION: Record<string, string> = { 'us.i.posthog.com': 'us.posthog.com', 'eu.i.posthog.com': 'eu.posthog.com' };

/**
 * Normalises what a user types as a host: adds `https://` when no scheme is
 * given (http for localhost/127.0.0.1), drops trailing slashes, a query, a
 * fragment and an `/api` suffix, maps ingestion hosts to app hosts, and takes
 * the project id out of a pasted app URL like
 * `https://us.posthog.com/project/123/feature_flags/5`. A self-hosted path
 * prefix (`https://example.com/posthog`) is kept. `undefined` for anything
 * that is not an http(s) URL, and for a URL with credentials in it.
 */
export function normalizeHost(input: string): NormalizedHost | undefined {
  let text = input.trim();
  if (!text) return undefined;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const local = /^(localhost|127\.|\[::1\])/i.test(text);
    text = `${local ? 'http' : 'https'}://${text}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  const hostname = INGESTION[url.hostname.toLowerCase()] ?? url.hostname.toLowerCase();
  let path = url.pathname;
  let projectId: number | undefined;
  const project = /\/(?:project|projects|environments)\/(\d+)(?:\/|$)/.exec(path);
  if (project) projectId = Number(project[1]);
  const cut = /\/(?:api|project|projects|environments)(?:\/|$)/.exec(path);
  if (cut) path = path.slice(0, cut.index);
  path = path.replace(/\/+$/, '');
  const port = url.port ? `:${url.port}` : '';
  return { host: `${url.protocol}//${hostname}${port}${path}`, projectId };
}

/** The host part alone (what the client stores and compares), or `undefined` when it is not a host. */
export function normalizedHostText(input: string): string | undefined {
  return normalizeHost(input)?.host;
}
