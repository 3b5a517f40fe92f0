/**
 * What the client does when the language server process dies: restart it,
 * or, when it keeps dying, stop and say so once. Pure: no `vscode` import
 * (test/unit/client-logic.test.ts).
 */

/** Crashes within `windowMs` after which the server is not restarted (vscode-languageclient's own default: 5 in 3 minutes). */
export const CRASH_LIMIT = 5;
export const CRASH_WINDOW_MS = 3 * 60_000;
/** Lines of the server's stderr kept to find the last error line. */
const STDERR_LINES_KEPT = 200;

export type CrashDecision =
  | { action: 'restart'; crashes: number; message: string }
  | { action: 'stop'; crashes: number; message: string; notify: boolean };

/**
 * Counts crashes of the server process within a sliding window. The first
 * crash loop is reported once (`notify: true`); later decisions until the
 * user restarts (`reset()`) never notify again.
 */
export class CrashTracker {
  private crashes: number[] = [];
  private reported = false;

  constructor(
    private readonly limit = CRASH_LIMIT,
    private readonly windowMs = CRASH_WINDOW_MS,
  ) {}

  /** The server process ended without being asked to; `lastError` is its last error line, if any. */
  crashed(now: number, lastError: string | undefined): CrashDecision {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    this.crashes.push(now);
    const n = this.crashes.length;
    const why = lastError ? ` Last error: ${lastError}` : '';
    if (n < this.limit) return { action: 'restart', crashes: n, message: `The PostHog language server stopped unexpectedly and is restarting.${why}` };
    const minutes = Math.max(1, Math.round(this.windowMs / 60_000));
    const notify = !this.reported;
    this.reported = true;
    return { action: 'stop', crashes: n, notify, message: `The PostHog language server crashed ${n} times in ${minutes} minutes and was not restarted.${why}` };
  }

  /** The user restarted the server: count from zero, report the next loop again. */
  reset(): void {
    this.crashes = [];
    this.reported = false;
  }
}

/** The server's recent stderr lines (a bounded buffer). */
export class StderrTail {
  private lines: string[] = [];

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > STDERR_LINES_KEPT) this.lines.splice(0, this.lines.length - STDERR_LINES_KEPT);
  }

  /** The last error line (see lastErrorLine), then forgets what it held (the next crash has its own). */
  take(): string | undefined {
    const line = lastErrorLine(this.lines);
    this.lines = [];
    return line;
  }
}

const STACK_FRAME = /^\s*(?:\d+:\s+0x[0-9a-f]+|at\s|-----|#\s*$|\^+\s*$)/i;
const ERROR_WORDS = /(?:error|\bfatal|exception|out of memory|\babort(?:ed)?|\bpanic|segmentation fault|\bkilled)\b/i;

/**
 * The line that says why the server died, from its last stderr lines: the
 * last line that names an error ("# Fatal process out of memory: Zone",
 * "TypeError: …"), not a stack frame; else the last non-empty, non-frame
 * line. Leading `#` and spaces are trimmed; at most 300 characters.
 */
export function lastErrorLine(lines: readonly string[]): string | undefined {
  const useful = lines.map((l) => l.trim()).filter((l) => l !== '' && !STACK_FRAME.test(l));
  const pick = [...useful].reverse().find((l) => ERROR_WORDS.test(l)) ?? useful[useful.length - 1];
  if (pick === undefined) return undefined;
  const clean = pick.replace(/^#+\s*/, '');
  return clean.length > 300 ? `${clean.slice(0, 299)}…` : clean;
}
