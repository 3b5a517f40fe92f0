/**
 * What a CLI command gets from the outside world, so commands can run in
 * tests without a child process. `main.ts` passes the real process streams.
 */
import { redact } from '../posthog/redact';

export interface CliIo {
  /** Directory relative paths are resolved against. */
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** A command module: `server/src/cli/commands/<name>.ts`. Resolves to the exit status. */
export interface CliCommand {
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Exit statuses shared by every command (contract: ../shared/docs/interfaces.md, CLI). */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;
export const EXIT_FLAG_SOURCE = 3;

/**
 * The same io with every write to stdout and stderr passed through `redact`:
 * the personal API key (and anything shaped like one) never leaves the CLI,
 * whatever a command prints, PostHog echoes or the scanned code contains.
 */
export function redactingIo(io: CliIo): CliIo {
  const key = io.env.POSTHOG_PERSONAL_API_KEY?.trim() || undefined;
  const wrap = (stream: CliIo['stdout']): CliIo['stdout'] => {
    const wrapped = { write: (text: string) => stream.write(redact(String(text), key)) };
    // useColor() asks the stream whether it is a terminal.
    Object.defineProperty(wrapped, 'isTTY', { get: () => (stream as { isTTY?: boolean }).isTTY });
    return wrapped;
  };
  return { ...io, stdout: wrap(io.stdout), stderr: wrap(io.stderr) };
}
