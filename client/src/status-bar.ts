/** The status bar item: project, flag count and state; the natural action on click. */
import * as vscode from 'vscode';
import { ClientCommand, FLAG_EXPLORER_VIEW, OUTPUT_CHANNEL_NAME } from './constants';
import type { ClientStatus, Ctx } from './context';
import { statusPresentation } from './status-text';

export function createStatusBar(ctx: Ctx): void {
  const item = vscode.window.createStatusBarItem('posthogFlags.status', vscode.StatusBarAlignment.Left, 10);
  item.name = OUTPUT_CHANNEL_NAME;
  const render = (status: ClientStatus) => {
    const view = statusPresentation(status, ctx.identity?.project.name);
    item.text = view.text;
    item.tooltip = new vscode.MarkdownString(view.tooltip);
    item.command = { unknown: undefined, signIn: ClientCommand.signIn, refresh: ClientCommand.refresh, showOutput: ClientCommand.showOutput, explorer: `${FLAG_EXPLORER_VIEW}.focus` }[view.action];
    item.backgroundColor = view.severity === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : view.severity === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  render(ctx.status);
  ctx.push(item, ctx.onDidChangeStatus(render));
}
