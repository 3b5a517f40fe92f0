import { expectPositionals, parseCommandArgs, resolveDirectory } from '../args';
import { EXIT_OK, type CliIo } from '../io';
import { CACHE_OPTIONS, cacheDirOf, openSource, scan, SCAN_OPTIONS } from '../scan-and-flags';
import { formatScanText, scanJson } from '../scan-output';

export const OPTIONS = { json: { type: 'boolean' }, ...SCAN_OPTIONS, ...CACHE_OPTIONS } as const;

/**
 * `posthog-flags scan [dir] [--json] [--include GLOB]… [--exclude GLOB]… [--ref REF] [--cache] [--cache-location PATH]`:
 * every flag usage under `dir` (default: the current directory).
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  expectPositionals(positionals, 1, 'at most one directory');
  const dir = resolveDirectory(io.cwd, positionals[0]);
  const warn = (message: string) => io.stderr.write(`posthog-flags scan: ${message}\n`);
  const cacheDir = cacheDirOf(values, io);
  const opened = await openSource(dir, { ref: values.ref, include: values.include, exclude: values.exclude, cacheDir, warn });
  try {
    const result = await scan(opened, warn);
    io.stdout.write(values.json ? scanJson(result) : formatScanText(result));
    return EXIT_OK;
  } finally {
    opened.close();
  }
}
