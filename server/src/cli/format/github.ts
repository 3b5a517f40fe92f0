import type { CheckProblem, CheckSummary } from '../../core/report/check';
import { plural } from './color';

/**
 * GitHub Actions workflow commands, one per problem:
 * `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=<code>::message`.
 * error → `::error`, warning → `::warning`, information/hint → `::notice`.
 * `file` is relative to the repository root (GitHub places annotations by
 * it): `pathPrefix` is the scanned folder's path from there (`web/`, or '').
 */
export function formatGithub(problems: readonly CheckProblem[], summary: CheckSummary, opts: { pathPrefix?: string } = {}): string {
  const lines = problems.map((p) => {
    const command = p.severity === 'error' ? 'error' : p.severity === 'warning' ? 'warning' : 'notice';
    const props: [string, string | number][] = [
      ['file', `${opts.pathPrefix ?? ''}${p.file}`],
      ['line', p.line],
      ['col', p.column],
      ['endLine', p.endLine],
      ['endColumn', p.endColumn],
      ['title', p.code],
    ];
    const text = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
    return `::${command} ${text}::${escapeData(p.message)}`;
  });
  lines.push(
    summary.problems === 0
      ? `posthog-flags: no problems (${plural(summary.filesScanned, 'file')} scanned)`
      : `posthog-flags: ${plural(summary.problems, 'problem')} (${plural(summary.bySeverity.error, 'error')}, ${plural(summary.bySeverity.warning, 'warning')}) in ${plural(summary.filesWithProblems, 'file')}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Escaping of a workflow command's message (as @actions/core's `escapeData`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a workflow command's property value (as @actions/core's `escapeProperty`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
