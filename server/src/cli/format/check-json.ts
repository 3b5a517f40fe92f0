import type { CheckProblem, CheckSummary } from '../../core/report/check';

/** `check --format json`: `{problems: [...], summary: {...}}`, fields in the contract's order. */
export function formatCheckJson(problems: readonly CheckProblem[], summary: CheckSummary): string {
  const rows = problems.map((p) => {
    const row: CheckProblem = {
      code: p.code,
      severity: p.severity,
      key: p.key,
      file: p.file,
      line: p.line,
      column: p.column,
      endLine: p.endLine,
      endColumn: p.endColumn,
      message: p.message,
    };
    if (p.suggestion !== undefined) row.suggestion = p.suggestion;
    return row;
  });
  return `${JSON.stringify({ problems: rows, summary }, null, 2)}\n`;
}
