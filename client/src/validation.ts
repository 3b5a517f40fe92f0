/**
 * Input checks for the sign-in, create-flag and select-project prompts.
 * Each returns `undefined` when the value is fine, else a message for the
 * input box (shown as the user types). Pure: no `vscode` import.
 */
import { flagKeyProblem, normalizeHost as normalizeHostShared } from '../../server/src/shared';

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

/**
 * The first step of *Create Flag…*: PostHog's key rule, then the flags the
 * project already has (the server refuses an existing key too, before any
 * POST; this says so while the key is typed).
 */
export function validateNewFlagKey(value: string, existingKeys: ReadonlySet<string>, projectName?: string): string | undefined {
  const problem = flagKeyProblem(value);
  if (problem) return problem;
  if (existingKeys.has(value)) return `"${value}" already exists in ${projectName ? `project ${projectName}` : 'this PostHog project'}: pick another key, or use the existing flag.`;
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

/** The shared host normalisation (server/src/shared/host.ts), host part only: the server compares hosts in the same form. */
export function normalizeHost(raw: string): string | undefined {
  return normalizeHostShared(raw)?.host;
}

export function validateHost(value: string): string | undefined {
  return normalizeHost(value) === undefined ? 'An http(s) URL such as https://posthog.example.com.' : undefined;
}
