/**
 * "Debug as a person" (interfaces.md "Debugging"): the argument of the
 * server command `posthog.evaluateFor`, its result, and the input rules the
 * VS Code prompt, the server and the CLI apply in the same words.
 */
import { isJsonObject as isObject } from './json';

/**
 * `workspace/executeCommand` `posthog.evaluateFor`, `arguments: [params]`.
 * `{}` (no `distinctId`) stops debugging.
 */
export interface EvaluateForParams {
  distinctId?: string;
  /** Used as given; when absent, the person's properties are read from PostHog (`person:read`). */
  personProperties?: Record<string, unknown>;
  /** Group type name → group key, e.g. `{"company": "acme"}`. */
  groups?: Record<string, string>;
  /** Group type name → that group's properties. */
  groupProperties?: Record<string, Record<string, unknown>>;
}

/** One flag's value for the person: the CLI's `eval --format json` row. */
export interface EvaluatedFlag {
  key: string;
  /** `true`, `false` or the variant key; `null` when it cannot be evaluated locally or is missing. */
  value: boolean | string | null;
  payload: unknown;
  reason: { code: string; conditionIndex?: number; description: string };
}

/** What `posthog.evaluateFor` returns: `{debugging: null}` after clearing. */
export interface EvaluateForResult {
  debugging: string | null;
  /** The flags the workspace uses (and every flag PostHog has), evaluated. */
  flags?: EvaluatedFlag[];
  /** Where the person's properties came from: `given`, `posthog`, or `none` (see `notes`). */
  personProperties?: 'given' | 'posthog' | 'none';
  /** Plain-words notes: no `person:read`, unknown person, snapshot without cohorts. */
  notes?: string[];
}


export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Text typed as person (or group) properties: a JSON object. Empty text is
 * "none given" (`value` undefined). `what` names the input in the message.
 */
export function parseJsonObject(text: string, what: string): Parsed<Record<string, unknown> | undefined> {
  if (text.trim() === '') return { ok: true, value: undefined };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `${what} is not valid JSON (${(e as Error).message})` };
  }
  if (!isObject(v)) return { ok: false, message: `${what} must be a JSON object, e.g. {"email": "dev@acme.com"}` };
  return { ok: true, value: v };
}

/** Why `personProperties` (already parsed) is not a properties object, or undefined when it is (or absent). */
export function personPropertiesProblem(value: unknown, what = 'personProperties'): string | undefined {
  if (value === undefined || isObject(value)) return undefined;
  return `${what} must be an object, e.g. {"email": "dev@acme.com"}`;
}

/** Why `groups` is not a map of group type names to group keys, or undefined when it is. */
export function groupsProblem(groups: unknown, what = 'groups'): string | undefined {
  if (groups === undefined) return undefined;
  if (!isObject(groups) || Object.values(groups).some((v) => typeof v !== 'string')) return `${what} must map group type names to group keys, e.g. {"company":"acme"}`;
  return undefined;
}

/** Why `groupProperties` is not a map of group type names to property objects, or undefined when it is. */
export function groupPropertiesProblem(value: unknown, what = 'groupProperties'): string | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || Object.values(value).some((v) => !isObject(v))) return `${what} must map group type names to property objects, e.g. {"company":{"plan":"enterprise"}}`;
  return undefined;
}

/** Why a distinct id cannot be debugged, or undefined when it can. */
export function distinctIdProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'Enter a distinct id (the id your code passes to PostHog for this person).';
  if (value.length > 400) return 'A distinct id has at most 400 characters.';
  return undefined;
}
