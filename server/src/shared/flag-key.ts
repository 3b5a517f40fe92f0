/**
 * PostHog's rule for flag keys (posthog-api.md §4, §7) and the one message
 * that explains a broken key: the create-flag input box (client), rename and
 * `posthog.createFlag` (server) and the API client before a POST all use it.
 */

/** Letters, digits, `-` and `_`: what PostHog accepts on create. */
export const FLAG_KEY_PATTERN = /^[a-zA-Z0-9_-]+$/;
/** PostHog's column length. */
export const FLAG_KEY_MAX_LENGTH = 400;

/** Why `key` is not a valid PostHog flag key, or `undefined` when it is. */
export function flagKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string' || key === '') return 'A flag key may not be blank: enter one, e.g. new-checkout.';
  if (key.length > FLAG_KEY_MAX_LENGTH) return `A flag key has at most ${FLAG_KEY_MAX_LENGTH} characters (this one has ${key.length}).`;
  if (!FLAG_KEY_PATTERN.test(key)) {
    const bad = [...key].find((c) => !FLAG_KEY_PATTERN.test(c));
    return `Only letters, numbers, hyphens (-) and underscores (_) are allowed in a flag key${bad === undefined ? '' : ` (found ${JSON.stringify(bad)})`}.`;
  }
  return undefined;
}
