/**
 * `posthog-flags report [dir]`: one row per flag in code or in PostHog
 * (state, rollout, usages, stale verdict, in code or not).
 * Exit 0 when it ran, 2 on bad usage or an unresolvable ref, 3 when the flag
 * source fails.
 */
import { basename } from 'node:path';
import { buildReport, type ReportRow } from '../../core/report/report';
import { expectPositionals, parseCommandArgs, resolveDirectory } from '../args';
import { useColor } from '../format/color';
import { formatReportCsv, formatReportJson, formatReportMarkdown, formatReportText } from '../format/report-formats';
import { EXIT_FLAG_SOURCE, EXIT_OK, type CliIo } from '../io';
import { FLAG_SOURCE_OPTIONS, SCAN_OPTIONS, loadSnapshot, scanDirectory } from '../scan-and-flags';
import { oneOf } from './check';

const FORMATS = ['text', 'json', 'markdown', 'csv'] as const;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    format: { type: 'string', default: 'text' },
    'apply-tags': { type: 'boolean', default: false },
    repo: { type: 'string' },
    yes: { type: 'boolean', default: false },
    ...SCAN_OPTIONS,
    ...FLAG_SOURCE_OPTIONS,
  });
  expectPositionals(positionals, 1, 'at most one directory');
  const format = oneOf(values.format, FORMATS, '--format');
  const dir = resolveDirectory(io.cwd, positionals[0]);
  const warn = (m: string) => io.stderr.write(`posthog-flags report: ${m}\n`);

  const [scanned, flags] = await Promise.all([
    scanDirectory(dir, { ref: values.ref, include: values.include, exclude: values.exclude }, warn),
    loadSnapshot(values, io),
  ]);
  if (!flags.ok) {
    io.stderr.write(`posthog-flags report: ${flags.message}\n`);
    return EXIT_FLAG_SOURCE;
  }
  for (const w of flags.snapshot.warnings) io.stderr.write(`posthog-flags report: ${w}\n`);
  const rows = buildReport(scanned.result, flags.snapshot, { now: new Date() });
  const meta = { ref: values.ref, commit: scanned.commit };
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
      io.stdout.write(formatReportText(rows, { color: useColor(io.stdout, io.env), ref: values.ref }));
  }
  if (values['apply-tags']) {
    const tag = `code:${values.repo ?? basename(dir)}`;
    return applyTags(rows, tag, values.yes, io);
  }
  return EXIT_OK;
}

/** Flags in PostHog and in code that lack the tag. */
export function flagsToTag(rows: readonly ReportRow[], tag: string): ReportRow[] {
  return rows.filter((r) => r.inPostHog && r.inCode && r.id !== null && !r.tags.includes(tag));
}

async function applyTags(rows: ReportRow[], tag: string, yes: boolean, io: CliIo): Promise<number> {
  const todo = flagsToTag(rows, tag);
  if (!yes) {
    io.stderr.write(`posthog-flags report: would tag ${todo.length} flag(s) with '${tag}' (dry run; add --yes to apply)\n`);
    for (const r of todo) io.stderr.write(`  ${r.key}\n`);
    return EXIT_OK;
  }
  io.stderr.write('posthog-flags report: --apply-tags --yes needs the PostHog API client, which this build lacks\n');
  return EXIT_FLAG_SOURCE;
}
