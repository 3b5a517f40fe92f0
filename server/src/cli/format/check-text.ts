import type { CheckProblem, CheckSummary, Severity } from '../../core/report/check';
import { paint, plural, type Paint } from './color';

export interface CheckTextOptions {
  color: boolean;
  /** `file` (default, like eslint's stylish) or `code`. */
  groupBy?: 'file' | 'code';
}

/** Human output of `check`: problems grouped by file (or code), then one summary line. */
export function formatCheckText(problems: readonly CheckProblem[], summary: CheckSummary, opts: CheckTextOptions): string {
  const p = paint(opts.color);
  const out: string[] = [];
  const groupBy = opts.groupBy ?? 'file';
  const groups = new Map<string, CheckProblem[]>();
  for (const problem of problems) {
    const g = groupBy === 'file' ? problem.file : problem.code;
    const list = groups.get(g);
    if (list) list.push(problem);
    else groups.set(g, [problem]);
  }
  for (const [name, list] of groups) {
    out.push(p.underline(name));
    const where = list.map((x) => (groupBy === 'file' ? `${x.line}:${x.column}` : `${x.file}:${x.line}:${x.column}`));
    const width = Math.max(...where.map((w) => w.length));
    list.forEach((x, i) => {
      const tail = groupBy === 'file' ? `  ${p.dim(x.code)}` : '';
      out.push(`  ${p.dim(where[i].padEnd(width))}  ${severityLabel(x.severity, p)}  ${x.message.replace(/\s*[\r\n]+\s*/g, ' ')}${tail}`);
    });
    out.push('');
  }
  out.push(summaryLine(summary, p));
  return `${out.join('\n')}\n`;
}

function severityLabel(s: Severity, p: Paint): string {
  const label = s.padEnd(11);
  if (s === 'error') return p.red(label);
  if (s === 'warning') return p.yellow(label);
  if (s === 'information') return p.blue(label);
  return p.dim(label);
}

function summaryLine(s: CheckSummary, p: Paint): string {
  const scope = `${plural(s.filesScanned, 'file')} scanned, ${plural(s.usages, 'usage')} of ${plural(s.flagsInCode, 'flag')}, ${plural(s.flagsInPostHog, 'flag')} in PostHog`;
  if (s.problems === 0) return p.green(`✔ no problems (${scope})`);
  const parts = (['error', 'warning', 'information', 'hint'] as const)
    .filter((k) => s.bySeverity[k] > 0)
    .map((k) => plural(s.bySeverity[k], k, k === 'information' ? 'information' : `${k}s`));
  const line = `✖ ${plural(s.problems, 'problem')} (${parts.join(', ')}) in ${plural(s.filesWithProblems, 'file')}; ${scope}`;
  return s.bySeverity.error > 0 ? p.red(p.bold(line)) : s.bySeverity.warning > 0 ? p.yellow(p.bold(line)) : p.bold(line);
}
