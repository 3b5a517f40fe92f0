/**
 * Small wording helpers every output uses (CLI text, hovers, log lines), so
 * "1 error" and an error's text read the same everywhere.
 */

/** `1 file`, `2 files`; `many` for irregular plurals. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The message of anything thrown (an Error's message, else its string form). */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
