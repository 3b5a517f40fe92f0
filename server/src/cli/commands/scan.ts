import { expectPositionals, parseCommandArgs, resolveDirectory } from '../args';
import { EXIT_OK, type CliIo } from '../io';
import { openSource, scan, SCAN_OPTIONS } from '../scan-and-flags';
import { formatScanText, scanJson } from '../scan-output';

export const OPTIONS = { json: { type: 'boolean' }, ...SCAN_OPTIONS } as const;

/**
 * `posthog-flags scan [dir] [--json] [--include GLOB]… [--exclude GLOB]… [--ref REF]`:
 * every flag usage under `dir` (default: the current directory).
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  expectPositionals(positionals, 1, 'at most one directory');
  const dir = resolveDirectory(io.cwd, positionals[0]);
  const opened = await openSource(dir, { ref: values.ref, include: values.include, exclude: values.exclude });
  try {
    const result = await scan(opened, (message) => io.stderr.write(`posthog-flags scan: ${message}\n`));
    io.stdout.write(values.json ? scanJson(result) : formatScanText(result));
    return EXIT_OK;
  } finally {
    opened.close();
  }
}
