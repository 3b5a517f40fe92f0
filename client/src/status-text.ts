/** What the status bar says for each state. Pure: no `vscode` import. */
import type { StatusParams } from './protocol';

type Status = StatusParams | { state: 'starting' | 'signedOut' | 'stopped'; message?: string; flagCount?: number };

export interface StatusPresentation {
  text: string;
  tooltip: string;
  /** What clicking does. */
  action: 'signIn' | 'refresh' | 'showOutput' | 'explorer' | 'restart' | 'unknown';
  /** Command links for the tooltip (markdown), beyond the click. */
  links?: Array<{ title: string; action: 'restart' | 'showOutput' }>;
  severity: 'none' | 'warning' | 'error';
}

export function statusPresentation(status: Status, projectName: string | undefined): StatusPresentation {
  const project = projectName ? ` ${projectName}` : '';
  const reason = status.message ? `\n\n${status.message}` : '';
  const count = status.flagCount === undefined ? '' : ` · ${status.flagCount} flag${status.flagCount === 1 ? '' : 's'}`;
  switch (status.state) {
    case 'ok':
      return { text: `$(flag) PostHog${project}${count}`, tooltip: `PostHog flags are up to date.${reason}\n\nClick to open the Flag Explorer.`, action: 'explorer', severity: 'none' };
    case 'unauthenticated':
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
