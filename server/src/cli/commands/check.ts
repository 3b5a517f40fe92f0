/**
 * `posthog-flags check [dir]`: the usages against the project's flags.
 * Exit 1 when a problem at or above `--fail-on` exists, 0 otherwise,
 * 2 on bad usage, 3 when the flag source fails (reason on stderr).
 */
import { writeFile } from 'node:fs/promises';
import { redact } from '../../posthog/redact';
import { statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { findRepositoryRoot } from '../../node/work-tree-source';
import pkg from '../../../../package.json';
import { checkProblems, shouldFail, summarize, type CheckProblem, type FailOn } from '../../core/report/check';
import { LineMap, decodeUtf8 } from '../../core/text';
import { UsageError, expectPositionals, parseCommandArgs, resolveDirectory } from '../args';
import { formatCheckJson } from '../format/check-json';
import { formatCheckText } from '../format/check-text';
import { useColor } from '../format/color';
import { formatGithub } from '../format/github';
import { formatSarif } from '../format/sarif';
import { EXIT_FLAG_SOURCE, EXIT_OK, EXIT_PROBLEMS, type CliIo } from '../io';
import { FLAG_SOURCE_OPTIONS, SCAN_OPTIONS, loadSnapshot, openSource, scan, type OpenedSource } from '../scan-and-flags';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
const FAIL_ON = ['error', 'warning', 'never'] as const;
type Format = (typeof FORMATS)[number];

export const INFORMATION_URI: string =
  (pkg as { homepage?: string }).homepage ?? 'https://posthog.com/docs/feature-flags';

export const OPTIONS = {
  format: { type: 'string', default: 'text' },
  'fail-on': { type: 'string', default: 'error' },
  'group-by': { type: 'string', default: 'file' },
  'sarif-file': { type: 'string' },
  ...SCAN_OPTIONS,
  ...FLAG_SOURCE_OPTIONS,
} as const;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  expectPositionals(positionals, 1, 'at most one directory');
  const format = oneOf(values.format, FORMATS, '--format');
  const failOn = oneOf(values['fail-on'], FAIL_ON, '--fail-on') as FailOn;
  const groupBy = oneOf(values['group-by'], ['file', 'code'] as const, '--group-by');
  const dir = resolveDirectory(io.cwd, positionals[0]);
  const sarifFile = values['sarif-file'] !== undefined ? writableFile(io.cwd, values['sarif-file'], '--sarif-file') : undefined;
  const warn = (m: string) => io.stderr.write(`posthog-flags check: ${m}\n`);
  // Annotations and SARIF locate files from the repository root (the Action's `path:` may be a subfolder).
  const repositoryRoot = findRepositoryRoot(dir);
  const fromRepositoryRoot = repositoryRoot && repositoryRoot !== dir ? `${relative(repositoryRoot, dir).split(sep).join('/')}/` : '';

  const opened = await openSource(dir, { ref: values.ref, include: values.include, exclude: values.exclude });
  try {
    const [scanned, flags] = await Promise.all([scan(opened, warn), loadSnapshot(values, io)]);
    if (!flags.ok) {
      io.stderr.write(`posthog-flags check: ${flags.message}\n`);
      return EXIT_FLAG_SOURCE;
    }
    for (const w of flags.snapshot.warnings) io.stderr.write(`posthog-flags check: ${w}\n`);
    const problems = checkProblems(scanned, flags.snapshot, { now: new Date() });
    const summary = summarize(problems, scanned, flags.snapshot.flags.length);
    const sarif = async () =>
      formatSarif(problems, {
        toolVersion: pkg.version,
        informationUri: INFORMATION_URI,
        root: dir,
        repositoryRoot,
        lineText: await lineTexts(opened, problems),
      });
    if (sarifFile !== undefined) {
      try {
        await writeFile(sarifFile, redact(await sarif(), io.env.POSTHOG_PERSONAL_API_KEY?.trim() || undefined));
      } catch (err) {
        throw new UsageError(`--sarif-file: cannot write ${sarifFile} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
    }
    io.stdout.write(await render(format));
    return shouldFail(problems, failOn) ? EXIT_PROBLEMS : EXIT_OK;

    async function render(f: Format): Promise<string> {
      switch (f) {
        case 'json':
          return formatCheckJson(problems, summary);
        case 'sarif':
          return sarif();
        case 'github':
          return formatGithub(problems, summary, { pathPrefix: fromRepositoryRoot });
        default:
          return formatCheckText(problems, summary, { color: useColor(io.stdout, io.env), groupBy });
      }
    }
  } finally {
    opened.close();
  }
}

/** The text of the lines problems sit on (for SARIF fingerprints), read once per file. */
async function lineTexts(
  opened: OpenedSource,
  problems: readonly CheckProblem[],
): Promise<(file: string, line: number) => string | undefined> {
  const maps = new Map<string, LineMap | undefined>();
  for (const file of new Set(problems.map((p) => p.file))) {
    const r = await opened.source.read(file);
    maps.set(file, r.ok ? new LineMap(decodeUtf8(r.bytes)) : undefined);
  }
  return (file, line) => {
    const map = maps.get(file);
    if (!map || line < 1 || line > map.starts.length) return undefined;
    const start = map.starts[line - 1];
    const end = line < map.starts.length ? map.starts[line] : map.text.length;
    return map.text.slice(start, end).replace(/[\r\n]+$/, '');
  };
}

/** An output file's absolute path, checked before any work: its folder must exist and be a folder (else exit 2). */
function writableFile(cwd: string, file: string, option: string): string {
  const path = resolve(cwd, file);
  let folder;
  try {
    folder = statSync(dirname(path));
  } catch {
    throw new UsageError(`${option}: cannot write ${path}: the folder ${dirname(path)} does not exist`);
  }
  if (!folder.isDirectory()) throw new UsageError(`${option}: cannot write ${path}: ${dirname(path)} is not a folder`);
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${option}: ${path} is a folder; give a file name`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
  }
  return path;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} must be one of ${allowed.join(', ')} (got '${value}')`);
}
