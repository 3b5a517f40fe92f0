/**
 * `posthog-flags diff BASE HEAD [dir]`: flag usages that appear or vanish
 * between two git refs, with PostHog's state of each when a flag source is
 * configured. Exit 0 when it ran, 2 on bad usage or a ref that does not
 * resolve, 3 when the flag source fails.
 */
import { flagState } from '../../core/flags/state';
import { diffScans, withStates } from '../../core/report/diff';
import { UsageError, expectPositionals, parseCommandArgs, resolveDirectory } from '../args';
import { useColor } from '../format/color';
import { formatDiffJson, formatDiffMarkdown, formatDiffText } from '../format/diff-formats';
import { EXIT_FLAG_SOURCE, EXIT_OK, type CliIo } from '../io';
import { FLAG_SOURCE_OPTIONS, hasFlagSource, loadSnapshot, openSource, scan } from '../scan-and-flags';
import { oneOf } from './check';

const FORMATS = ['text', 'json', 'markdown'] as const;

export const OPTIONS = {
  format: { type: 'string', default: 'text' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  ...FLAG_SOURCE_OPTIONS,
} as const;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  if (positionals.length < 2) throw new UsageError('expected BASE and HEAD git refs');
  expectPositionals(positionals, 3, 'BASE HEAD [dir]');
  const [baseRef, headRef] = positionals;
  const format = oneOf(values.format, FORMATS, '--format');
  const dir = resolveDirectory(io.cwd, positionals[2]);
  const warn = (m: string) => io.stderr.write(`posthog-flags diff: ${m}\n`);
  const globs = { include: values.include, exclude: values.exclude };

  // Resolve both refs before any work, so a bad ref is exit 2 straight away.
  const base = await openSource(dir, { ref: baseRef, ...globs });
  let head;
  try {
    head = await openSource(dir, { ref: headRef, ...globs });
  } catch (err) {
    base.close();
    throw err;
  }
  try {
    const [baseScan, headScan, flags] = await Promise.all([
      scan(base, warn),
      scan(head, warn),
      hasFlagSource(values, io) ? loadSnapshot(values, io) : Promise.resolve(undefined),
    ]);
    if (flags && !flags.ok) {
      io.stderr.write(`posthog-flags diff: ${flags.message}\n`);
      return EXIT_FLAG_SOURCE;
    }
    let diff = diffScans(baseScan, headScan, { base: baseRef, head: headRef });
    if (flags) diff = withStates(diff, (key) => flagState(key, flags.snapshot));
    if (format === 'json') io.stdout.write(formatDiffJson(diff));
    else if (format === 'markdown') io.stdout.write(formatDiffMarkdown(diff));
    else io.stdout.write(formatDiffText(diff, { color: useColor(io.stdout, io.env) }));
    return EXIT_OK;
  } finally {
    base.close();
    head.close();
  }
}
