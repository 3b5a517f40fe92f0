/**
 * `posthog-flags report [dir]`: one row per flag in code or in PostHog
 * (state, rollout, usages, stale verdict, in code or not).
 * Exit 0 when it ran, 2 on bad usage or an unresolvable ref, 3 when the flag
 * source fails.
 */
import { basename } from 'node:path';
import { buildReport, uncertainUsages, type ReportRow } from '../../core/report/report';
import { PostHogClient } from '../../posthog/client';
import { resolveConfig } from '../../posthog/config';
import { redact } from '../../posthog/redact';
import { UsageError, expectPositionals, parseCommandArgs, resolveDirectory } from '../args';
import { useColor } from '../format/color';
import { formatReportCsv, formatReportJson, formatReportMarkdown, formatReportText } from '../format/report-formats';
import { EXIT_FLAG_SOURCE, EXIT_OK, type CliIo } from '../io';
import { CACHE_OPTIONS, FLAG_SOURCE_OPTIONS, SCAN_OPTIONS, cacheDirOf, loadSnapshot, scanDirectory } from '../scan-and-flags';
import { oneOf } from './check';

const FORMATS = ['text', 'json', 'markdown', 'csv'] as const;

export const OPTIONS = {
  format: { type: 'string', default: 'text' },
  'apply-tags': { type: 'boolean', default: false },
  repo: { type: 'string' },
  yes: { type: 'boolean', default: false },
  ...SCAN_OPTIONS,
  ...CACHE_OPTIONS,
  ...FLAG_SOURCE_OPTIONS,
} as const;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  expectPositionals(positionals, 1, 'at most one directory');
  const format = oneOf(values.format, FORMATS, '--format');
  const dir = resolveDirectory(io.cwd, positionals[0]);
  const warn = (m: string) => io.stderr.write(`posthog-flags report: ${m}\n`);
  const cacheDir = cacheDirOf(values, io);

  const [scanned, flags] = await Promise.all([
    scanDirectory(dir, { ref: values.ref, include: values.include, exclude: values.exclude, cacheDir }, warn),
    loadSnapshot(values, io),
  ]);
  if (!flags.ok) {
    io.stderr.write(`posthog-flags report: ${flags.message}\n`);
    return EXIT_FLAG_SOURCE;
  }
  for (const w of flags.snapshot.warnings) io.stderr.write(`posthog-flags report: ${w}\n`);
  const rows = buildReport(scanned.result, flags.snapshot, { now: new Date() });
  const meta = { ref: values.ref, commit: scanned.commit, unresolvedUsages: uncertainUsages(scanned.result) };
  switch (format) {
    case 'json':
      io.stdout.write(formatReportJson(rows, meta));
      break;
    case 'csv':
      io.stdout.write(formatReportCsv(rows));
      break;
    case 'markdown':
      io.stdout.write(formatReportMarkdown(rows, meta));
      break;
    default:
      io.stdout.write(formatReportText(rows, { color: useColor(io.stdout, io.env), ref: values.ref, unresolvedUsages: meta.unresolvedUsages }));
  }
  if (values['apply-tags']) {
    const tag = `code:${values.repo ?? basename(dir)}`;
    return applyTags(rows, tag, values, io);
  }
  return EXIT_OK;
}

/** Flags in PostHog and in code that lack the tag. */
export function flagsToTag(rows: readonly ReportRow[], tag: string): ReportRow[] {
  return rows.filter((r) => r.inPostHog && r.inCode && r.id !== null && !r.tags.includes(tag));
}

/**
 * `--apply-tags`: lists the flags to tag (dry run), or with `--yes` adds the
 * tag through the API (needs the personal API key, even when the report
 * read a snapshot). Progress goes to stderr; stdout keeps the report.
 */
async function applyTags(rows: ReportRow[], tag: string, values: { yes?: boolean; host?: string; project?: string }, io: CliIo): Promise<number> {
  const todo = flagsToTag(rows, tag);
  if (!values.yes) {
    io.stderr.write(`posthog-flags report: would tag ${todo.length} flag(s) with '${tag}' (dry run; add --yes to apply)\n`);
    for (const r of todo) io.stderr.write(`  ${r.key}\n`);
    return EXIT_OK;
  }
  const config = resolveConfig({ cli: { host: values.host, projectId: values.project }, env: { ...io.env, POSTHOG_FLAGS_FILE: undefined } });
  if (config.problems.length) throw new UsageError(config.problems.join('; '));
  if (!config.personalApiKey) throw new UsageError('--apply-tags --yes writes to PostHog: set POSTHOG_PERSONAL_API_KEY');
  const client = new PostHogClient({ host: config.host, personalApiKey: config.personalApiKey, projectId: config.projectId });
  try {
    let tagged = 0;
    for (const r of todo) {
      const res = await client.addFlagTag(r.key, tag);
      if (!res.ok) {
        io.stderr.write(`posthog-flags report: ${redact(res.error.message, config.personalApiKey)} (${tagged} of ${todo.length} tagged)\n`);
        return EXIT_FLAG_SOURCE;
      }
      if (res.value.changed) tagged++;
    }
    io.stderr.write(`posthog-flags report: tagged ${tagged} flag(s) with '${tag}'\n`);
    return EXIT_OK;
  } finally {
    await client.close();
  }
}
