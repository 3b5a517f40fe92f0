/**
 * A flag as Markdown, for hovers and completion documentation. Everything a
 * user needs to decide about a check: state, rollout in words, variants,
 * payloads, tags, who created it and when, last called, stale verdict, how
 * often the workspace uses it, and a link to PostHog. "Released to
 * everyone" is a loud first line.
 *
 * The action links (Open in PostHog, Enable/Disable, Show usages, Create)
 * come right after the title: a long hover scrolls, and the links must not
 * scroll out of sight. Links that change PostHog appear only when the flag
 * source can write (`writable`: the API with a personal key).
 */
import { closestKeys } from '../core/flags/closest';
import { everyoneGets } from '../core/flags/rollout';
import { staleness } from '../core/flags/stale';
import { flagState } from '../core/flags/state';
import { formatPercent, payloadPreview, summarizeRollout } from '../core/flags/summary';
import type { Flag, FlagSnapshot, FlagState } from '../core/flags/types';
import { flagUrl, type ServerState } from '../lsp/state';
import { NO_FLAG_SOURCE } from '../lsp/flag-source';
import { ClientCommand } from '../shared/commands';
import { plural } from '../core/words';

export const STATE_BADGES: Record<FlagState, string> = {
  active: '🟢 Active',
  disabled: '⚪ Disabled',
  deleted: '🗑️ Deleted',
  missing: '❓ Not in PostHog',
};

export interface FlagMarkdownOptions {
  /** Usages in the workspace (count and files), when known. */
  usages?: { count: number; files: number };
  /** Include command links for the VS Code client (`posthogFlags.*`). */
  commandLinks: boolean;
  /** False: no links at all (inlay hint tooltips). Default true. */
  links?: boolean;
  /** The flag source can write to PostHog (else no Create/Enable/Disable link). Default false. */
  writable?: boolean;
  /** Shorter text (completion documentation). */
  brief?: boolean;
}

/** Markdown for `key` against `snapshot` (undefined: flags not loaded yet). */
export function flagMarkdown(state: ServerState, key: string, snapshot: FlagSnapshot | undefined, opts: FlagMarkdownOptions): string {
  const lines: string[] = [];
  if (!snapshot) {
    lines.push(`**\`${key}\`** · PostHog feature flag`);
    lines.push('');
    const s = state.flags.status;
    // First run without a key or a snapshot: say how to get one (never that PostHog rejected a key that was never given).
    if (state.flagSource === 'none') lines.push(`_${escapeMarkdown(s?.message ?? NO_FLAG_SOURCE)}_`);
    else lines.push(`_Flags are not loaded yet${statusSuffix(state)}._`);
    appendUsages(lines, opts);
    return lines.join('\n');
  }
  const flag = snapshot.byKey.get(key);
  const status = flagState(key, snapshot);
  lines.push(`**\`${key}\`** · ${STATE_BADGES[status]}`);
  if (!flag) {
    if (opts.links !== false && opts.commandLinks && opts.writable && status === 'missing') lines.push('', `[Create '${key}' in PostHog](${commandLink(ClientCommand.createFlag, { key })})`);
    lines.push('');
    if (status === 'deleted') lines.push(`This flag was **deleted** in PostHog: the code behind it never runs.`);
    else lines.push(`There is **no flag** with this key in ${snapshot.projectId !== undefined ? `PostHog project ${snapshot.projectId}` : 'the PostHog project'}.`);
    const close = closestKeys(key, snapshot.byKey.keys(), 3);
    if (close.length) lines.push('', `Did you mean ${close.map((k) => `\`${k}\``).join(', ')}?`);
    appendUsages(lines, opts);
    appendFreshness(lines, state);
    return lines.join('\n');
  }
  const links: string[] = [];
  const url = opts.links === false ? undefined : flagUrl(state, snapshot, flag.id);
  if (url) links.push(`[Open in PostHog](${url})`);
  if (opts.links !== false && opts.commandLinks) {
    if (opts.writable) links.push(`[${flag.active ? 'Disable' : 'Enable'}](${commandLink(ClientCommand.toggleFlag, { key, active: !flag.active })})`);
    links.push(`[Show usages](${commandLink(ClientCommand.showFlagUsages, { key })})`);
  }
  if (links.length) lines.push('', links.join(' · '));
  const everyone = everyoneGets(flag);
  if (everyone) {
    lines.push('');
    lines.push(
      everyone.value === true
        ? '⚠️ **RELEASED TO EVERYONE** — this check is always true: the flag can be removed from the code.'
        : `⚠️ **RELEASED TO EVERYONE** with variant \`${everyone.value}\` — the other branches never run.`,
    );
  }
  if (flag.name) lines.push('', escapeMarkdown(flag.name));
  const summary = summarizeRollout(flag, { cohorts: snapshot.cohorts, groupTypes: snapshot.groupTypes, byId: snapshot.byId });
  lines.push('', '**Rollout**');
  if (summary.conditions.length === 0) lines.push(`- ${flag.active ? '' : 'Disabled: '}no release conditions (matches no one)`);
  for (const c of summary.conditions) lines.push(`- ${flag.active && !flag.archived ? '' : 'Disabled: '}${escapeMarkdown(c)}`);
  if (flag.filters.variants.length) {
    lines.push('', '**Variants**');
    for (const v of flag.filters.variants) lines.push(`- \`${v.key}\` ${formatPercent(v.rolloutPercentage)}%${v.name ? ` — ${escapeMarkdown(v.name)}` : ''}`);
  }
  const payloads = Object.entries(flag.filters.payloads);
  if (payloads.length && !opts.brief) {
    lines.push('', '**Payload**');
    for (const [k, v] of payloads.slice(0, 5)) lines.push(`- ${k === 'true' ? '' : `\`${k}\`: `}\`${payloadPreview(v).replace(/`/g, "'")}\``);
  }
  if (!opts.brief) {
    const meta: string[] = [];
    if (flag.tags.length) meta.push(`Tags: ${flag.tags.map((t) => `\`${t}\``).join(' ')}`);
    const by = flag.createdBy?.email ?? flag.createdBy?.firstName;
    if (flag.createdAt || by) meta.push(`Created${by ? ` by ${escapeMarkdown(by)}` : ''}${flag.createdAt ? ` on ${day(flag.createdAt)}` : ''}`);
    meta.push(`Last called: ${flag.lastCalledAt ? day(flag.lastCalledAt) : 'no usage data'}`);
    lines.push('', meta.join(' · '));
  }
  const stale = staleness(flag, state.now());
  lines.push('', stale.stale ? `🧹 **Stale**: ${escapeMarkdown(stale.reason)}` : `Not stale: ${escapeMarkdown(stale.reason)}`);
  appendUsages(lines, opts);
  appendFreshness(lines, state);
  return lines.join('\n');
}

function appendUsages(lines: string[], opts: FlagMarkdownOptions): void {
  if (!opts.usages) return;
  const { count, files } = opts.usages;
  lines.push('', `Used ${plural(count, 'time')} in ${plural(files, 'file')} in this workspace`);
}

/** A note when the flags shown are the last good ones (PostHog currently failing). */
function appendFreshness(lines: string[], state: ServerState): void {
  const s = state.flags.status;
  if (!s || s.state === 'ok' || !state.flags.snapshot) return;
  lines.push('', `_Flags as of ${time(state.flags.snapshot.fetchedAt)}${statusSuffix(state)}_`);
}

function statusSuffix(state: ServerState): string {
  const s = state.flags.status;
  if (!s || s.state === 'ok') return '';
  if (state.flagSource === 'none') return ` — ${escapeMarkdown(s.message ?? NO_FLAG_SOURCE)}`;
  const what = s.state === 'offline' ? 'PostHog is unreachable' : s.state === 'unauthenticated' ? 'PostHog rejected the key' : 'PostHog returned an error';
  return ` — ${what}${s.message ? `: ${escapeMarkdown(s.message)}` : ''}`;
}

export function commandLink(command: string, arg: unknown): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([arg]))}`;
}


function day(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 10);
}

function time(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]<>#|])/g, '\\$1');
}

/** Is `flag` there and what is its state (for completion `detail`). */
export function stateDetail(key: string, snapshot: FlagSnapshot | undefined, flag?: Flag): string {
  if (!snapshot) return 'PostHog flag';
  const s = flagState(key, snapshot);
  const f = flag ?? snapshot.byKey.get(key);
  const everyone = f && everyoneGets(f) ? ' · released to everyone' : '';
  return `${STATE_BADGES[s]}${everyone}${f?.name ? ` · ${f.name}` : ''}`;
}
