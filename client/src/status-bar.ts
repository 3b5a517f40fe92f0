/** The status bar item: project, flag count and state; the natural action on click. */
import * as vscode from 'vscode';
import { ClientCommand, FLAG_EXPLORER_VIEW, OUTPUT_CHANNEL_NAME } from './constants';
import type { ClientStatus, Ctx } from './context';
import { statusPresentation } from './status-text';

export function createStatusBar(ctx: Ctx): void {
  const item = vscode.window.createStatusBarItem('posthogFlags.status', vscode.StatusBarAlignment.Left, 10);
  item.name = OUTPUT_CHANNEL_NAME;
  const render = (status: ClientStatus) => {
    const { source, identity } = ctx;
    const view = statusPresentation(status, identity?.project.name || undefined, {
      host: source.kind === 'api' ? source.host : undefined,
      user: identity?.user.email || undefined,
      projectId: identity?.project.id,
      flagsFile: source.flagsFile ? vscode.workspace.asRelativePath(source.flagsFile) : undefined,
      noFlagSource: source.kind === 'none',
    });
    item.text = view.text;
    const commandOf = { unknown: undefined, signIn: ClientCommand.signIn, refresh: ClientCommand.refresh, showOutput: ClientCommand.showOutput, restart: ClientCommand.restartServer, explorer: `${FLAG_EXPLORER_VIEW}.focus` };
    const links = view.links?.map((l) => `[${l.title}](command:${commandOf[l.action]})`).join(' · ');
    const tooltip = new vscode.MarkdownString(links ? `${view.tooltip}\n\n${links}` : view.tooltip, true);
    if (view.links) tooltip.isTrusted = { enabledCommands: view.links.map((l) => commandOf[l.action]) };
    item.tooltip = tooltip;
    item.command = commandOf[view.action];
    item.backgroundColor = view.severity === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : view.severity === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  render(ctx.status);
  ctx.push(item, ctx.onDidChangeStatus(render));
}
