/** What the status bar says for each state. Pure: no `vscode` import. */
import type { StatusParams } from './protocol';

type Status = StatusParams | { state: 'starting' | 'signedOut' | 'stopped'; message?: string; flagCount?: number; fetchedAt?: string };

export interface StatusPresentation {
  text: string;
  tooltip: string;
  /** What clicking does. */
  action: 'signIn' | 'refresh' | 'showOutput' | 'explorer' | 'restart' | 'unknown';
  /** Command links for the tooltip (markdown), beyond the click. */
  links?: Array<{ title: string; action: 'restart' | 'showOutput' }>;
  severity: 'none' | 'warning' | 'error';
}

/** Where the flags come from, for the tooltip. Every field is optional: only what is known is said. */
export interface StatusDetails {
  /** The PostHog host the server reads from (and sends the key to). */
  host?: string;
  /** The signed-in user's email. */
  user?: string;
  /** The project's id, shown after its name. */
  projectId?: string | number;
  /** The snapshot file the flags come from, instead of the API. */
  flagsFile?: string;
  /** When the flags in hand were fetched (ISO time, `posthog/status` `fetchedAt`). */
  fetchedAt?: string;
  /** No key and no snapshot: a server's `unauthenticated` then means "not signed in", never a rejected key. */
  noFlagSource?: boolean;
  /** The clock, for "today" (tests pass a fixed one). */
  now?: Date;
}

export function statusPresentation(status: Status, projectName: string | undefined, details: StatusDetails = {}): StatusPresentation {
  const project = projectName ? ` ${projectName}` : '';
  // Only a running server's status says where its flags come from (while starting or stopped nothing is current).
  const running = status.state === 'ok' || status.state === 'offline' || status.state === 'error' || status.state === 'unauthenticated';
  const about = running ? sourceLines(projectName, { ...details, fetchedAt: details.fetchedAt ?? status.fetchedAt }) : '';
  const reason = `${status.message ? `\n\n${status.message}` : ''}${about ? `\n\n${about}` : ''}`;
  const count = status.flagCount === undefined ? '' : ` · ${status.flagCount} flag${status.flagCount === 1 ? '' : 's'}`;
  switch (status.state) {
    case 'ok':
      return { text: `$(flag) PostHog${project}${count}`, tooltip: `PostHog flags are up to date.${reason}\n\nClick to open the Flag Explorer.`, action: 'explorer', severity: 'none' };
    case 'unauthenticated':
      if (details.noFlagSource) {
        return { text: '$(sign-in) PostHog: sign in', tooltip: `Not signed in to PostHog, and no flags file.${reason}\n\nClick to sign in.`, action: 'signIn', severity: 'none' };
      }
      return { text: '$(sign-in) PostHog: sign in', tooltip: `PostHog rejected the key or none is set.${reason}\n\nClick to sign in.`, action: 'signIn', severity: 'warning' };
    case 'signedOut':
      return { text: '$(sign-in) PostHog: sign in', tooltip: `Not signed in to PostHog.${reason}\n\nClick to sign in.`, action: 'signIn', severity: 'none' };
    case 'offline':
      return { text: `$(debug-disconnect) PostHog offline${count}`, tooltip: `PostHog cannot be reached; showing the last known flags.${reason}\n\nClick to retry.`, action: 'refresh', severity: 'warning' };
    case 'error':
      return { text: `$(error) PostHog error${count}`, tooltip: `PostHog answered with an error.${reason}\n\nClick to show the log.`, action: 'showOutput', severity: 'error' };
    case 'starting':
      // Never a flag count: while the server (re)starts, no count is known to be true.
      return { text: '$(sync~spin) PostHog', tooltip: `Starting the PostHog language server…${reason}`, action: 'showOutput', severity: status.message ? 'warning' : 'none' };
    case 'stopped':
      // The server is down: hovers, diagnostics and the explorer are gone, so no flag count either.
      return {
        text: '$(circle-slash) PostHog: server stopped',
        tooltip: `The PostHog language server is not running: no hovers, diagnostics or flag explorer.${reason}\n\nClick to restart.`,
        action: 'restart',
        severity: status.message ? 'error' : 'warning',
        links: [
          { title: 'Restart', action: 'restart' },
          { title: 'Show Log', action: 'showOutput' },
        ],
      };
    default:
      return { text: '$(question) PostHog', tooltip: 'Unknown state.', action: 'unknown', severity: 'none' };
  }
}

/** The tooltip's "where from" lines: host, user, project (by name), snapshot file, last refresh. Markdown, two spaces end a line. */
export function sourceLines(projectName: string | undefined, d: StatusDetails): string {
  const lines: string[] = [];
  if (d.flagsFile) lines.push(`Flags file: ${d.flagsFile}`);
  else {
    if (d.host) lines.push(`Host: ${d.host}`);
    if (d.user) lines.push(`User: ${d.user}`);
    if (projectName) lines.push(`Project: ${projectName}${d.projectId !== undefined && d.projectId !== '' ? ` (${d.projectId})` : ''}`);
  }
  if (d.fetchedAt) {
    const when = refreshTime(d.fetchedAt, d.now ?? new Date());
    if (when) lines.push(`${d.flagsFile ? 'Loaded' : 'Last refresh'}: ${when}`);
  }
  return lines.join('  \n');
}

/** "14:05:09" today, else "2026-11-20 14:05" (local time); undefined for a time that does not parse. */
export function refreshTime(iso: string, now: Date): string | undefined {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return undefined;
  const two = (n: number) => String(n).padStart(2, '0');
  const clock = `${two(t.getHours())}:${two(t.getMinutes())}`;
  const sameDay = t.getFullYear() === now.getFullYear() && t.getMonth() === now.getMonth() && t.getDate() === now.getDate();
  return sameDay ? `${clock}:${two(t.getSeconds())}` : `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())} ${clock}`;
}
