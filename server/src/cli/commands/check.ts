/**
 * `posthog-flags check [dir]`: the usages against the project's flags.
 * Exit 1 when a problem at or above `--fail-on` exists, 0 otherwise,
 * 2 on bad usage, 3 when the flag source fails (reason on stderr).
 */
import { writeFile } from 'node:fs/promises';
import { redact } from '../../posthog/redact';
import { statSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { flagChanges, type FlagChange } from '../../core/flags/changes';
import type { FlagSnapshot } from '../../core/flags/types';
import type { ScanResult } from '../../core/types';
import { webhookProblem } from '../../node/slack-webhook';
import { formatChangesGithub, formatChangesText, slackMessage, type SinceInfo } from '../format/changes';
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
import { CACHE_OPTIONS, FLAG_SOURCE_OPTIONS, SCAN_OPTIONS, cacheDirOf, loadSnapshot, openSource, scan, type OpenedSource } from '../scan-and-flags';

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
  since: { type: 'string' },
  'slack-webhook': { type: 'string' },
  ...SCAN_OPTIONS,
  ...CACHE_OPTIONS,
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

  const since = values.since !== undefined ? await readSince(io.cwd, values.since) : undefined;
  const slackWebhook = slackWebhookOf(values['slack-webhook'], io.env, since !== undefined);

  const cacheDir = cacheDirOf(values, io);
  const opened = await openSource(dir, { ref: values.ref, include: values.include, exclude: values.exclude, cacheDir, warn });
  try {
    const [scanned, flags] = await Promise.all([scan(opened, warn), loadSnapshot(values, io, { seenBefore: since?.snapshot })]);
    if (!flags.ok) {
      io.stderr.write(`posthog-flags check: ${flags.message}\n`);
      return EXIT_FLAG_SOURCE;
    }
    for (const w of flags.snapshot.warnings) io.stderr.write(`posthog-flags check: ${w}\n`);
    const problems = checkProblems(scanned, flags.snapshot, { now: new Date() });
    const changes = since ? changesSince(since.snapshot, flags.snapshot, scanned, warn) : undefined;
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
    if (changes?.length && slackWebhook) {
      // Reported, never fatal: the check's verdict does not depend on Slack.
      const message = slackMessage(changes, { folder: basename(dir), since: since!.info });
      const { postSlackMessage } = await import('../../node/slack-webhook');
      const { requestTimeoutMs } = await import('../../posthog/http');
      const posted = await postSlackMessage(slackWebhook, message, { timeoutMs: requestTimeoutMs(io.env), userAgent: `posthog-flags/${pkg.version}` });
      if (posted.ok) io.stderr.write(`posthog-flags check: posted ${changes.length === 1 ? '1 change' : `${changes.length} changes`} to Slack\n`);
      else warn(`could not post the changes to Slack: ${posted.message}`);
    }
    return shouldFail(problems, failOn) ? EXIT_PROBLEMS : EXIT_OK;

    async function render(f: Format): Promise<string> {
      const color = useColor(io.stdout, io.env);
      switch (f) {
        case 'json':
          return formatCheckJson(problems, summary, changes && since ? { changes, since: since.info } : undefined);
        case 'sarif':
          return sarif();
        case 'github':
          return formatGithub(problems, summary, { pathPrefix: fromRepositoryRoot }) + (changes ? formatChangesGithub(changes) : '');
        default:
          return formatCheckText(problems, summary, { color, groupBy }) + (changes && since ? formatChangesText(changes, since.info, { color }) : '');
      }
    }
  } finally {
    opened.close();
  }
}

/** `--since FILE`: a snapshot written earlier by `pull` (a file that cannot be read is bad usage: exit 2). */
async function readSince(cwd: string, file: string): Promise<{ snapshot: FlagSnapshot; info: SinceInfo }> {
  const path = resolve(cwd, file);
  const { readSnapshotFile } = await import('../../posthog/flag-source');
  const read = await readSnapshotFile(path);
  if (!read.ok) throw new UsageError(`--since: ${read.error.message}`);
  return { snapshot: read.value, info: { file, fetchedAt: read.value.fetchedAt } };
}

/** `--slack-webhook URL`, else POSTHOG_FLAGS_SLACK_WEBHOOK; only with --since (the option alone is bad usage, the variable alone is ignored). */
function slackWebhookOf(option: string | undefined, env: CliIo['env'], hasSince: boolean): string | undefined {
  const url = option ?? (env.POSTHOG_FLAGS_SLACK_WEBHOOK?.trim() || undefined);
  if (url === undefined) return undefined;
  if (!hasSince) {
    if (option !== undefined) throw new UsageError('--slack-webhook posts the changes found by --since: give --since SNAPSHOT too');
    return undefined;
  }
  const problem = webhookProblem(url);
  if (problem) throw new UsageError(`${option !== undefined ? '--slack-webhook' : 'POSTHOG_FLAGS_SLACK_WEBHOOK'} ${problem}`);
  return url;
}

/** The changes of the flags the scanned code uses, since the snapshot (core/flags/changes.ts). */
function changesSince(before: FlagSnapshot, after: FlagSnapshot, scanned: ScanResult, warn: (m: string) => void): FlagChange[] {
  if (before.projectId !== undefined && after.projectId !== undefined && before.projectId !== after.projectId) {
    warn(`--since: the snapshot is of project ${before.projectId}, the flags now of project ${after.projectId}; the changes compare different projects`);
  }
  const counts = new Map<string, number>();
  for (const u of scanned.usages) counts.set(u.key, (counts.get(u.key) ?? 0) + 1);
  return flagChanges(before, after, (key) => counts.get(key) ?? 0);
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
