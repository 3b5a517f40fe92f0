import { describeAdded, describeRemoved, type ScanDiff } from '../../core/report/diff';
import { paint, plural } from './color';
import { mdCell, mdCode } from './report-formats';

/** `diff --format json`: exactly the contract's object (with the extras diffScans adds). */
export function formatDiffJson(diff: ScanDiff): string {
  return `${JSON.stringify({ base: diff.base, head: diff.head, added: diff.added, removed: diff.removed }, null, 2)}\n`;
}

export function formatDiffText(diff: ScanDiff, opts: { color: boolean }): string {
  const p = paint(opts.color);
  const out = [p.bold(`Flag usages from ${diff.base} to ${diff.head}`)];
  if (!diff.added.length && !diff.removed.length) {
    out.push('no flag usages added or removed');
    return `${out.join('\n')}\n`;
  }
  for (const a of diff.added) {
    const warn = a.state === 'disabled' || a.state === 'missing' || a.state === 'deleted';
    out.push(`${p.green('+')} ${warn ? p.yellow(describeAdded(a)) : describeAdded(a)}`);
    for (const u of a.usages) out.push(`    ${p.dim(`${u.file}:${u.line}:${u.column}`)}`);
  }
  for (const r of diff.removed) {
    out.push(`${p.red('-')} ${describeRemoved(r)}`);
    for (const f of r.files) out.push(`    ${p.dim(f)}`);
  }
  out.push('', summary(diff));
  return `${out.join('\n')}\n`;
}

/**
 * A Markdown block for a pull-request comment: a heading, a line per change
 * with PostHog's view, and usage locations in a collapsed details block.
 */
export function formatDiffMarkdown(diff: ScanDiff): string {
  const out = [`### PostHog feature flags: \`${mdCode(diff.base)}\` → \`${mdCode(diff.head)}\``, ''];
  if (!diff.added.length && !diff.removed.length) {
    out.push('No flag usages added or removed.');
    return `${out.join('\n')}\n`;
  }
  const icon = (state?: string) => (state === 'disabled' || state === 'missing' || state === 'deleted' ? '⚠️' : '');
  if (diff.added.length) {
    out.push('**Added usages**', '');
    for (const a of diff.added) {
      const where = a.usages.map((u) => `${mdCell(u.file)}:${u.line}`).join(', ');
      out.push(`- ${[icon(a.state), mdText(describeAdded(a))].filter(Boolean).join(' ')}${where ? ` — ${where}` : ''}`);
    }
    out.push('');
  }
  if (diff.removed.length) {
    out.push('**Removed usages**', '');
    for (const r of diff.removed) {
      const ok = r.lastUsageRemoved && (r.state === 'active' || r.state === 'disabled') ? '🧹' : '';
      out.push(`- ${[ok, mdText(describeRemoved(r))].filter(Boolean).join(' ')} — ${r.files.map(mdCell).join(', ')}`);
    }
    out.push('');
  }
  out.push(`<sub>${summary(diff)} · posthog-flags diff</sub>`);
  return `${out.join('\n')}\n`;
}

function summary(diff: ScanDiff): string {
  const newKeys = diff.added.filter((a) => a.newKey).length;
  const gone = diff.removed.filter((r) => r.lastUsageRemoved).length;
  return `${plural(diff.added.length, 'flag')} with added usages (${newKeys} new), ${plural(diff.removed.length, 'flag')} with removed usages (${gone} no longer used)`;
}

/** A sentence with flag keys in quotes → keys as code spans, the rest escaped. */
function mdText(s: string): string {
  return s
    .split(/'([^']*)'/)
    .map((part, i) => (i % 2 ? `\`${mdCode(part)}\`` : mdCell(part)))
    .join('');
}
