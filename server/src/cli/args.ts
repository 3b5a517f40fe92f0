import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * Bad input from the user (unknown option, missing value, a directory that
 * does not exist…). `main.ts` prints the message and the command's usage and
 * exits 2; commands throw it rather than printing themselves.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** For an unknown option: the options the command takes (`--json`, `--ref`…), said in the message by main.ts. */
  validOptions?: string[];
}

/** `scan takes --json, --include, --exclude, --ref` after an unknown option; else the message alone. */
export function usageErrorText(command: string, err: UsageError): string {
  if (!err.validOptions) return err.message;
  return `${err.message}; ${command} takes ${[...err.validOptions, '--help'].join(', ')} (posthog-flags ${command} --help says what each does)`;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `util.parseArgs` in strict mode with positionals allowed; its errors
 * (unknown option, missing value) become UsageErrors with node's message.
 */
export function parseCommandArgs<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (err) {
    const unknown = /^Unknown option '([^']+)'/.exec((err as Error).message);
    if ((err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
      const error = new UsageError(`unknown option '${unknown[1]}'`);
      error.validOptions = Object.keys(options).map((name) => `--${name}`);
      throw error;
    }
    throw new UsageError(String((err as Error).message).replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

/** Throws a UsageError when more positionals than `max` were given. */
export function expectPositionals(positionals: string[], max: number, what: string): void {
  if (positionals.length > max) throw new UsageError(`unexpected argument '${positionals[max]}' (expected ${what})`);
}

/**
 * Resolves the directory a command works on (default: the current
 * directory) and checks it is a directory that can be listed.
 */
export function resolveDirectory(cwd: string, dir: string | undefined): string {
  const absolute = resolve(cwd, dir ?? '.');
  let stat;
  try {
    stat = statSync(absolute);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`no such directory: ${absolute}`);
    throw new UsageError(`cannot read directory ${absolute}: ${code ?? (err as Error).message}`);
  }
  if (!stat.isDirectory()) throw new UsageError(`not a directory: ${absolute} (give the folder to scan)`);
  try {
    readdirSync(absolute);
  } catch (err) {
    throw new UsageError(`cannot read directory ${absolute}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return absolute;
}
