/**
 * "Debug as Person…": the choices remembered per workspace and how the
 * person being debugged is shown. Pure: no `vscode` import (unit-tested).
 */
import { distinctIdProblem, parseJsonObject } from '../../server/src/shared';

/** One remembered choice: who, and the properties typed for them (none: read from PostHog). */
export interface DebugChoice {
  distinctId: string;
  personProperties?: Record<string, unknown>;
}

/** How many choices are remembered. */
export const MAX_RECENT_CHOICES = 10;

/** `choice` first, then the others without another entry for the same distinct id. */
export function rememberChoice(recent: readonly DebugChoice[], choice: DebugChoice, max = MAX_RECENT_CHOICES): DebugChoice[] {
  return [choice, ...recent.filter((c) => c.distinctId !== choice.distinctId)].slice(0, max);
}

/** What workspaceState holds, kept only where it has the right shape (it may be from an older release). */
export function readChoices(stored: unknown): DebugChoice[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter(
    (c): c is DebugChoice =>
      typeof c === 'object' && c !== null && typeof c.distinctId === 'string' && !distinctIdProblem(c.distinctId) &&
      (c.personProperties === undefined || (typeof c.personProperties === 'object' && c.personProperties !== null && !Array.isArray(c.personProperties))),
  );
}

/** The properties input box's check, as the user types: empty (read from PostHog) or a JSON object. */
export function validatePersonProperties(text: string): string | undefined {
  const parsed = parseJsonObject(text, 'Person properties');
  return parsed.ok ? undefined : parsed.message;
}

/** The distinct id input's check. */
export function validateDistinctId(text: string): string | undefined {
  return distinctIdProblem(text.trim());
}

/** A remembered choice in the picker: the id, and what properties it used. */
export function describeChoice(c: DebugChoice): { label: string; description: string } {
  const props = c.personProperties ? JSON.stringify(c.personProperties) : undefined;
  return { label: c.distinctId, description: props ? (props.length > 60 ? `${props.slice(0, 57)}…` : props) : 'properties from PostHog' };
}

/** The status bar item while a person is debugged. */
export function debuggingPresentation(distinctId: string): { text: string; tooltip: string } {
  return {
    text: `$(person) ${distinctId}`,
    tooltip: `PostHog: hovers and inlay hints show the flag values ${distinctId} gets.\n\nClick to stop debugging as ${distinctId}.`,
  };
}
