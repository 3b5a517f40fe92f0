/**
 * Shows the server's change alerts (`posthog/flagsChanged`) as notifications
 * with *Show Usages* and *Open in PostHog*. Which notifications, and how
 * many, is change-notices.ts's decision; this file only shows them and runs
 * the chosen action. Every change is also written to the output channel.
 * The server is told (initializationOptions.clientShowsChangeAlerts) so it
 * sends no second, plain warning for the same change.
 */
import * as vscode from 'vscode';
import { ClientCommand, CONFIG_SECTION } from './constants';
import { ChangeNoticeFilter, changeLine, type ChangeNotice } from './change-notices';
import type { Ctx } from './context';
import type { FlagsChangedParams } from './protocol';

export function registerChangeAlerts(ctx: Ctx): void {
  const filter = new ChangeNoticeFilter();
  ctx.push(
    ctx.onDidChangeFlags((params: FlagsChangedParams) => {
      for (const c of params.changes ?? []) ctx.output.info(`[flags changed] ${changeLine(c)}`);
      const enabled = vscode.workspace.getConfiguration(CONFIG_SECTION).get<boolean>('changeAlerts', true);
      const notices = filter.decide(params, enabled);
      ctx.lastChangeNotices = notices;
      for (const notice of notices) void show(ctx, notice);
    }),
  );
}

async function show(ctx: Ctx, notice: ChangeNotice): Promise<void> {
  const showMessage = notice.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const choice = await showMessage(notice.message, ...notice.actions);
  if (choice === 'Show Usages' && notice.key) await vscode.commands.executeCommand(ClientCommand.showFlagUsages, { key: notice.key });
  else if (choice === 'Open in PostHog' && notice.key) await vscode.commands.executeCommand(ClientCommand.openInPostHog, { key: notice.key });
  else if (choice === 'Show All Changes') ctx.output.show(true);
}
