/**
 * Writes to PostHog as the session offers them to the `posthog.createFlag` /
 * `posthog.toggleFlag` / `posthog.changeRollout` commands (features/commands.ts): done by the API
 * access (api-access.ts) or refused by the flag source (flag-source.ts).
 * Each returns a value, or a PostHog refusal's message (never the key).
 */
export interface FlagWrites {
  createFlag(args: { key: string; name?: string; rolloutPercentage?: number; active?: boolean }): Promise<{ ok: true; flag: unknown } | { ok: false; message: string }>;
  toggleFlag(args: { key: string; active: boolean }): Promise<{ ok: true; result: { key: string; active: boolean; version: number | null } } | { ok: false; message: string }>;
  changeRollout(args: { key: string; rolloutPercentage: number }): Promise<{ ok: true; result: { key: string; rolloutPercentage: number; version: number | null } } | { ok: false; message: string }>;
}
