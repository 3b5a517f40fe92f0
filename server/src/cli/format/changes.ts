/**
 * `check --since SNAPSHOT`: the changes of the flags the code uses, as text,
 * GitHub annotations and one Slack incoming-webhook message. What changed and
 * its words come from core/flags/changes.ts (the editor's change alerts say
 * the same); only the layout lives here.
 */
import type { FlagChange } from '../../core/flags/changes';
import { escapeData, escapeProperty } from './github';
import { paint, plural } from './color';

/** Where the comparison started: the snapshot file and when it was fetched. */
export interface SinceInfo {
  file: string;
  fetchedAt: string;
}

const usages = (c: FlagChange) => plural(c.usageCount, 'usage');

/** A block of lines after the problems: one line per change, warnings marked ⚠. */
export function formatChangesText(changes: readonly FlagChange[], since: SinceInfo, opts: { color: boolean }): string {
  const p = paint(opts.color);
  if (!changes.length) return `${p.dim(`No changes to the flags used here since ${since.fetchedAt} (${since.file}).`)}\n`;
  const width = Math.max(...changes.map((c) => c.key.length));
  const lines = [p.bold(`${plural(changes.length, 'flag')} used here changed since ${since.fetchedAt} (${since.file}):`)];
  for (const c of changes) {
    const mark = c.warning ? p.yellow('⚠') : ' ';
    lines.push(`  ${mark} ${c.key.padEnd(width)}  ${c.summary}  ${p.dim(`(${usages(c)})`)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One annotation per change: `::warning` for released / disabled / deleted, `::notice` otherwise. */
export function formatChangesGithub(changes: readonly FlagChange[]): string {
  return changes.map((c) => `::${c.warning ? 'warning' : 'notice'} title=${escapeProperty(`flag changed: ${c.key}`)}::${escapeData(`${c.key}: ${c.summary} (${usages(c)})`)}\n`).join('');
}

/** Slack's incoming-webhook body: `text` (the notification and fallback) and `blocks`. */
export interface SlackMessage {
  text: string;
  blocks: Array<{ type: 'section'; text: { type: 'mrkdwn'; text: string } } | { type: 'context'; elements: Array<{ type: 'mrkdwn'; text: string }> }>;
}

/** Slack's mrkdwn needs only &, < and > escaped. */
const escapeSlack = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack's limits: 3,000 characters per section text, 50 blocks per message. */
const SECTION_MAX = 2900;
const MAX_BLOCKS = 50;

/**
 * One message for all the changes: a header line naming the folder and the
 * snapshot time, then a line per change (⚠ for released / disabled / deleted),
 * split over sections to stay within Slack's limits.
 */
export function slackMessage(changes: readonly FlagChange[], opts: { folder: string; since: SinceInfo }): SlackMessage {
  const header = `*${plural(changes.length, 'feature flag')} used in \`${escapeSlack(opts.folder)}\` changed in PostHog* since ${escapeSlack(opts.since.fetchedAt)}`;
  const lines = changes.map((c) => `${c.warning ? ':warning:' : '•'} \`${escapeSlack(c.key)}\`: ${escapeSlack(c.summary)} (${usages(c)})`);
  const blocks: SlackMessage['blocks'] = [{ type: 'section', text: { type: 'mrkdwn', text: header } }];
  let chunk = '';
  let left = lines.length;
  for (const line of lines) {
    const piece = line.length > SECTION_MAX ? `${line.slice(0, SECTION_MAX - 1)}…` : line;
    if (chunk && chunk.length + 1 + piece.length > SECTION_MAX) {
      if (blocks.length >= MAX_BLOCKS - 2) break;
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${piece}` : piece;
    left--;
  }
  if (chunk) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
  if (left > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${plural(left, 'more change')}; \`posthog-flags check --since\` lists them all.` }] });
  const text = [header, ...lines].join('\n');
  return { text: text.length > 39000 ? `${text.slice(0, 38999)}…` : text, blocks };
}
