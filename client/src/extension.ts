/**
 * Entry point of the VS Code extension. Thin: everything lives in the `Ctx`
 * (context.ts), which owns the LanguageClient and every disposable.
 */
import * as vscode from 'vscode';
import { registerChangeAlerts } from './change-alerts';
import { registerCommands } from './commands';
import { Ctx } from './context';
import { registerDebugPerson } from './debug-person';
import { createFlagExplorer } from './flag-explorer';
import { offerWorkspaceSnapshot } from './first-run';
import { createStatusBar } from './status-bar';

let ctx: Ctx | undefined;

/** What `activate` returns: for the extension's own tests (extension mode Test) only. */
export interface TestApi {
  ctx: Ctx;
}

export async function activate(context: vscode.ExtensionContext): Promise<TestApi | undefined> {
  const current = new Ctx(context);
  ctx = current;
  context.subscriptions.push(current);
  registerCommands(current);
  registerChangeAlerts(current);
  createStatusBar(current);
  createFlagExplorer(current);
  registerDebugPerson(current);
  current.push(
    vscode.workspace.onDidChangeConfiguration((e) => void current.onConfigurationChanged(e)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void current.restart()),
    context.secrets.onDidChange((e) => {
      // Another window signed in or out: follow it.
      if (e.key.startsWith('posthog.')) void current.reloadCredentialsIfChanged();
    }),
  );
  await current.start();
  // No flag source (first run, or after signing out): offer the workspace's snapshot, once.
  current.push(current.onDidChangeStatus((s) => s.state === 'signedOut' && void offerWorkspaceSnapshot(current)));
  void offerWorkspaceSnapshot(current);
  return context.extensionMode === vscode.ExtensionMode.Test ? { ctx: current } : undefined;
}

export async function deactivate(): Promise<void> {
  const current = ctx;
  ctx = undefined;
  await current?.stop();
}
