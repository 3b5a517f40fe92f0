/**
 * What a CLI command gets from the outside world, so commands can run in
 * tests without a child process. `main.ts` passes the real process streams.
 */
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
