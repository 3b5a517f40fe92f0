/**
 * Input checks for the sign-in, create-flag and select-project prompts.
 * Each returns `undefined` when the value is fine, else a message for the
 * input box (shown as the user types). Pure: no `vscode` import.
 */
import { FLAG_KEY_MAX_LENGTH, FLAG_KEY_PATTERN } from '../../server/src/core/sdk-calls';

export function validatePersonalApiKey(raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return 'Paste a personal API key (it starts with phx_).';
  if (value.startsWith('phc_')) {
    return 'This is a project API key (phc_…), which SDKs use to send events. Create a personal API key (phx_…) in PostHog under Settings → Personal API keys.';
  }
  if (!value.startsWith('phx_')) return 'A personal API key starts with phx_.';
  if (/\s/.test(value)) return 'The key contains a space or line break: paste it again.';
  if (value.length < 8) return 'The key is too short.';
  return undefined;
}

export function validateFlagKey(value: string): string | undefined {
  if (value === '') return 'Enter a key, e.g. new-checkout.';
  if (value.length > FLAG_KEY_MAX_LENGTH) return `At most ${FLAG_KEY_MAX_LENGTH} characters (this one has ${value.length}).`;
  if (!FLAG_KEY_PATTERN.test(value)) {
    const bad = [...value].find((c) => !FLAG_KEY_PATTERN.test(c));
    return `Only letters, numbers, "-" and "_" are allowed${bad === undefined ? '' : ` (found ${JSON.stringify(bad)})`}.`;
  }
  return undefined;
}

/** Rollout percentage typed by the user: a whole number 0-100. */
export function validateRolloutPercentage(value: string): string | undefined {
  const v = value.trim();
  if (!/^\d{1,3}$/.test(v) || Number(v) > 100) return 'A whole number from 0 to 100.';
  return undefined;
}

export function validateProjectId(value: string): string | undefined {
  const v = value.trim();
  if (v === '@current' || /^\d+$/.test(v)) return undefined;
  return 'A numeric project id (from the project\'s URL or settings) or @current.';
}

/**
 * Normalizes a PostHog app URL: trims, drops a trailing slash, maps the
 * ingestion hosts (us.i / eu.i) to the app hosts. `undefined` when it is not
 * an http(s) URL.
 */
export function normalizeHost(raw: string): string | undefined {
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password || url.search || url.hash) return undefined;
  const host = url.host.replace(/^(us|eu)\.i\.posthog\.com$/, '$1.posthog.com');
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${host}${path}`;
}

export function validateHost(value: string): string | undefined {
  return normalizeHost(value) === undefined ? 'An http(s) URL such as https://posthog.example.com.' : undefined;
}
