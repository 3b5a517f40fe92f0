import type { FlagChange } from '../../core/flags/changes';
import type { CheckProblem, CheckSummary } from '../../core/report/check';
import type { SinceInfo } from './changes';

/**
 * `check --format json`: `{problems: [...], summary: {...}}`, fields in the
 * contract's order; with `--since`, two added fields: `since` ({file,
 * fetchedAt}) and `changes` (the changes of used flags, as `posthog/flagsChanged`).
 */
export function formatCheckJson(problems: readonly CheckProblem[], summary: CheckSummary, since?: { changes: readonly FlagChange[]; since: SinceInfo }): string {
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
  const body = since ? { problems: rows, summary, since: since.since, changes: since.changes } : { problems: rows, summary };
  return `${JSON.stringify(body, null, 2)}\n`;
}
