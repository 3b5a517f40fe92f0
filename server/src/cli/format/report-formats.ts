import { reportTotals, totalsText, type ReportRow } from '../../core/report/report';
import { paint, plural } from './color';

/** `report --format json`: `{flags: [...], totals: {...}}`; each row has the contract's fields first. */
export function formatReportJson(rows: readonly ReportRow[], meta: { ref?: string; commit?: string; unresolvedUsages?: number }): string {
  const out: Record<string, unknown> = { flags: rows, totals: reportTotals(rows), unresolvedUsages: meta.unresolvedUsages ?? 0 };
  if (meta.ref !== undefined) out.ref = meta.ref;
  if (meta.commit !== undefined) out.commit = meta.commit;
  return `${JSON.stringify(out, null, 2)}\n`;
}

const CSV_COLUMNS: (keyof ReportRow)[] = [
  'key', 'state', 'inPostHog', 'inCode', 'usageCount', 'files', 'rollout', 'releasedToEveryone', 'stale',
  'name', 'id', 'staleReason', 'url', 'variants', 'tags', 'lastCalledAt',
];

/** RFC 4180 CSV with a header; list fields joined with `;`. Cells that a spreadsheet would run as a formula are prefixed with `'`. */
export function formatReportCsv(rows: readonly ReportRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(';') : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A Markdown table (GitHub flavour) plus a totals line. */
export function formatReportMarkdown(rows: readonly ReportRow[], meta: { ref?: string; unresolvedUsages?: number }): string {
  const unsure = meta.unresolvedUsages ?? 0;
  const t = reportTotals(rows);
  const out = [`### PostHog feature flags${meta.ref ? ` at \`${mdCode(meta.ref)}\`` : ''}`, ''];
  out.push(
    `${plural(t.flags, 'flag')}: ${totalsText(t, unsure)}.`,
    '',
  );
  out.push('| Flag | State | In code | Usages | Rollout | Stale |', '| --- | --- | --- | ---: | --- | --- |');
  for (const r of rows) {
    const key = r.url ? `[\`${mdCode(r.key)}\`](${r.url})` : `\`${mdCode(r.key)}\``;
    const files = r.files.length ? ` (${plural(r.files.length, 'file')})` : '';
    out.push(
      `| ${key} | ${r.state} | ${inCodeCell(r, unsure)} | ${r.usageCount}${files} | ${mdCell(r.rollout ?? '—')} | ${r.stale ? 'stale' : ''} |`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** Aligned columns for a terminal, coloured only when asked. */
export function formatReportText(rows: readonly ReportRow[], opts: { color: boolean; ref?: string; unresolvedUsages?: number }): string {
  const unsure = opts.unresolvedUsages ?? 0;
  const p = paint(opts.color);
  const header = ['FLAG', 'STATE', 'IN CODE', 'USAGES', 'STALE', 'ROLLOUT'];
  const cells = rows.map((r) => [
    r.key,
    r.state,
    inCodeCell(r, unsure),
    String(r.usageCount),
    r.stale ? 'stale' : '',
    r.rollout ?? (r.inPostHog ? '' : 'not in PostHog'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]))).join('  ').trimEnd();
  const stateColor = (s: string, text: string) =>
    s === 'active' ? p.green(text) : s === 'disabled' ? p.yellow(text) : p.red(text);
  const out = [p.bold(line(header))];
  rows.forEach((r, i) => {
    const c = cells[i];
    const padded = c.map((x, j) => (j === c.length - 1 ? x : x.padEnd(widths[j])));
    padded[1] = stateColor(r.state, padded[1]);
    if (r.stale) padded[4] = p.yellow(padded[4]);
    out.push(padded.join('  ').trimEnd());
  });
  const t = reportTotals(rows);
  out.push(
    '',
    `${plural(t.flags, 'flag')}${opts.ref ? ` at ${opts.ref}` : ''}: ${totalsText(t, unsure)}`,
  );
  return `${out.join('\n')}\n`;
}

/** `yes`, or `no` only when every usage was resolved (else `not found`). */
function inCodeCell(r: ReportRow, unresolved: number): string {
  return r.inCode ? 'yes' : unresolved ? 'not found' : 'no';
}

/** Text inside a Markdown code span: backticks cannot be escaped there, so they become ˋ. */
export function mdCode(s: string): string {
  return s.replace(/`/g, 'ˋ').replace(/[\r\n]+/g, ' ');
}

/** Text inside a Markdown table cell. */
export function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/([<>*_[\]`])/g, '\\$1');
}
