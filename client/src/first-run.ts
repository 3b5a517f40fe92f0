/**
 * First run: with no key and no snapshot there is no flag source. The Flag
 * Explorer's welcome view (package.json `viewsWelcome`) offers *Sign In* and
 * *Use a Flags File*; a `posthog-flags.json` at a workspace folder's root
 * is offered once per workspace (a notification) as the flag source.
 */
import * as vscode from 'vscode';
import { ClientCommand, CONFIG_SECTION, STATE_SNAPSHOT_OFFERED } from './constants';
import type { Ctx } from './context';
import { flagsFileSettingValue, snapshotTextProblem, WORKSPACE_SNAPSHOT_NAME } from './flags-file';

/**
 * Sets `posthog.flagsFile` as the settings allow: in the workspace when it
 * is trusted and has a folder (its own snapshot), else for the user (an
 * untrusted workspace's value would be ignored) — after asking, since a
 * snapshot wins over a key in every window. The configuration change
 * restarts the server with the file. False: the user declined.
 */
async function setFlagsFile(file: vscode.Uri): Promise<boolean> {
  const first = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const workspace = vscode.workspace.isTrusted && vscode.workspace.workspaceFolders?.length;
  if (!workspace) {
    const everywhere = 'Use in All Windows';
    const answer = await vscode.window.showWarningMessage(
      'PostHog: this window has no trusted workspace folder, so the flags file can only be set for all your windows, where it replaces the flags of your key (read-only). Continue?',
      { modal: true },
      everywhere,
    );
    if (answer !== everywhere) return false;
  }
  const target = workspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(CONFIG_SECTION).update('flagsFile', flagsFileSettingValue(file.fsPath, workspace ? first : undefined), target);
  return true;
}

/** Reads `file` and says why it cannot be a snapshot, or undefined. */
async function snapshotProblem(file: vscode.Uri): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(file);
  } catch (error) {
    return `it cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
  return snapshotTextProblem(new TextDecoder().decode(bytes));
}

/** The *Use a Flags File* command: pick a JSON snapshot and make it the flag source. */
export async function useFlagsFile(ctx: Ctx, given?: vscode.Uri): Promise<boolean> {
  const picked =
    given ??
    (
      await vscode.window.showOpenDialog({
        title: 'PostHog: use a flags file (a snapshot written by posthog-flags pull)',
        canSelectFiles: true,
        canSelectFolders: false,
        canSelectMany: false,
        filters: { 'Flags snapshot': ['json'] },
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
        openLabel: 'Use as Flag Source',
      })
    )?.[0];
  if (!picked) return false;
  const problem = await snapshotProblem(picked);
  if (problem) {
    // Nothing changes: the setting keeps its value.
    void vscode.window.showErrorMessage(`PostHog: ${vscode.workspace.asRelativePath(picked)} cannot be a flags snapshot: ${problem}.`);
    return false;
  }
  if (!(await setFlagsFile(picked))) return false;
  ctx.output.appendLine(`[client] flag source: ${picked.fsPath}`);
  void vscode.window.showInformationMessage(`PostHog: flags now come from ${vscode.workspace.asRelativePath(picked)} (read-only; sign in and clear posthog.flagsFile to use PostHog itself).`);
  return true;
}

/**
 * With no flag source, a `posthog-flags.json` at a workspace folder's root
 * is offered as the source, once per workspace (remembered in
 * workspaceState whatever the answer). Not in an untrusted workspace: the
 * setting it writes would be ignored there.
 */
export async function offerWorkspaceSnapshot(ctx: Ctx): Promise<void> {
  if (ctx.source.kind !== 'none' || !vscode.workspace.isTrusted) return;
  if (ctx.extensionContext.workspaceState.get<boolean>(STATE_SNAPSHOT_OFFERED)) return;
  let found: vscode.Uri | undefined;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const candidate = vscode.Uri.joinPath(folder.uri, WORKSPACE_SNAPSHOT_NAME);
    const stat = await Promise.resolve(vscode.workspace.fs.stat(candidate)).catch(() => undefined);
    if (stat && stat.type & vscode.FileType.File) {
      found = candidate;
      break;
    }
  }
  if (!found) return;
  await ctx.extensionContext.workspaceState.update(STATE_SNAPSHOT_OFFERED, true);
  const use = `Use ${WORKSPACE_SNAPSHOT_NAME}`;
  const signIn = 'Sign In';
  const choice = await vscode.window.showInformationMessage(
    `PostHog: this workspace has a flags snapshot, ${vscode.workspace.asRelativePath(found)}. Use it as the flag source (offline, read-only; to use PostHog itself later, sign in and clear posthog.flagsFile)?`,
    use,
    signIn,
  );
  // The toast can outlive the question (signed in meanwhile): a snapshot would then replace the key's flags.
  if (choice && ctx.source.kind !== 'none') {
    void vscode.window.showInformationMessage(`PostHog: flags already come from ${ctx.source.kind === 'api' ? 'PostHog' : 'a flags file'}; ${WORKSPACE_SNAPSHOT_NAME} was not used.`);
  } else if (choice === use) await useFlagsFile(ctx, found);
  else if (choice === signIn) await vscode.commands.executeCommand(ClientCommand.signIn);
}
