import type { ScanResult, Usage } from '../core/types';

import { plural } from '../core/words';

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byPosition(a: { file: string; line: number; column: number }, b: { file: string; line: number; column: number }): number {
  return compare(a.file, b.file) || a.line - b.line || a.column - b.column;
}

/**
 * The human report of `scan`: usages grouped by key (keys sorted, each with
 * its count and locations `file:line:col  kind  call`), then unresolved
 * calls, then skipped files by reason, then a one-line summary.
 */
export function formatScanText(result: ScanResult): string {
  const out: string[] = [];
  const byKey = new Map<string, Usage[]>();
  for (const u of result.usages) {
    const list = byKey.get(u.key);
    if (list) list.push(u);
    else byKey.set(u.key, [u]);
  }
  const keys = [...byKey.keys()].sort(compare);
  for (const key of keys) {
    const usages = byKey.get(key)!.sort(byPosition);
    out.push(`${key}  (${plural(usages.length, 'usage')})`);
    const where = usages.map((u) => `${u.file}:${u.line}:${u.column}`);
    const width = Math.max(...where.map((w) => w.length));
    usages.forEach((u, i) => out.push(`  ${where[i].padEnd(width)}  ${u.kind.padEnd(8)}  ${u.call}`));
  }
  if (result.unresolved.length) {
    if (out.length) out.push('');
    out.push(`Unresolved keys (${result.unresolved.length}): the key is not known statically`);
    const list = [...result.unresolved].sort(byPosition);
    const where = list.map((u) => `${u.file}:${u.line}:${u.column}`);
    const width = Math.max(...where.map((w) => w.length));
    const why = (u: (typeof list)[number]) => (u.reason === 'import' ? `  (import '${u.module}' could not be followed)` : u.reason && u.reason !== 'dynamic' ? `  (${u.reason})` : '');
    list.forEach((u, i) => out.push(`  ${where[i].padEnd(width)}  ${u.call}(${u.expression})${why(u)}`));
  }
  if (result.skipped.length) {
    if (out.length) out.push('');
    out.push(`Skipped files (${result.skipped.length}):`);
    const reasons = new Map<string, string[]>();
    for (const s of result.skipped) reasons.set(s.reason, [...(reasons.get(s.reason) ?? []), s.detail ? `${s.file} (${s.detail})` : s.file]);
    for (const reason of [...reasons.keys()].sort(compare)) {
      const files = reasons.get(reason)!.sort(compare);
      out.push(`  ${reason} (${files.length}):`);
      for (const f of files) out.push(`    ${f}`);
    }
  }
  if (out.length) out.push('');
  const files = new Set(result.usages.map((u) => u.file)).size;
  out.push(
    `${plural(keys.length, 'flag')}, ${plural(result.usages.length, 'usage')} in ${plural(files, 'file')}` +
      ` (${plural(result.filesScanned, 'file')} scanned), ${result.unresolved.length} unresolved, ${result.skipped.length} skipped`,
  );
  return `${out.join('\n')}\n`;
}

/** `scan --json`: exactly the contract's shape, fields in the contract's order. */
export function scanJson(result: ScanResult): string {
  const json = {
    root: result.root,
    filesScanned: result.filesScanned,
    usages: result.usages,
    unresolved: result.unresolved,
    skipped: result.skipped,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
