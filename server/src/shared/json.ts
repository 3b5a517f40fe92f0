/** A JSON object (not an array, not null): what PostHog's bodies and our own payloads are checked against. */
export type JsonObject = Record<string, unknown>;

export const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
