/**
 * Sign in, sign out and project selection. The key is typed once, checked
 * through the server (`posthog/whoami` after a restart with the candidate
 * key), and stored in SecretStorage only when the check passes (or the user
 * keeps it although PostHog could not be reached).
 */
import * as vscode from 'vscode';
import { CONFIG_SECTION, EU_CLOUD, US_CLOUD } from './constants';
import { errorText, type Credentials, type Ctx } from './context';
import { normalizeHost, validateHost, validatePersonalApiKey, validateProjectId } from './validation';

/** Arguments accepted by the sign-in command when the extension runs its own tests. */
export interface SignInArgs {
  host?: string;
  key?: string;
}

async function pickHost(current: string | undefined): Promise<string | undefined> {
  type HostItem = vscode.QuickPickItem & { host?: string };
  const items: HostItem[] = [
    { label: 'US Cloud', description: US_CLOUD, host: US_CLOUD },
    { label: 'EU Cloud', description: EU_CLOUD, host: EU_CLOUD },
    { label: 'Self-hosted or other URL…', description: current && current !== US_CLOUD && current !== EU_CLOUD ? current : undefined },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Sign in to PostHog (1/2): where is your PostHog?', ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.host) return picked.host;
  const typed = await vscode.window.showInputBox({
    title: 'Sign in to PostHog: instance URL',
    prompt: 'The URL you open PostHog at, e.g. https://posthog.example.com',
    value: current && current !== US_CLOUD && current !== EU_CLOUD ? current : 'https://',
    validateInput: validateHost,
    ignoreFocusOut: true,
  });
  return typed === undefined ? undefined : normalizeHost(typed);
}

async function askKey(host: string): Promise<string | undefined> {
  const key = await vscode.window.showInputBox({
    title: 'Sign in to PostHog (2/2): personal API key',
    prompt: `Personal API key for ${host} (PostHog → Settings → Personal API keys; scopes: feature_flag:read, feature_flag:write, project:read, user:read)`,
    placeHolder: 'phx_…',
    password: true,
    ignoreFocusOut: true,
    validateInput: validatePersonalApiKey,
  });
  return key?.trim();
}

export async function signIn(ctx: Ctx, args?: SignInArgs): Promise<boolean> {
  const testing = ctx.extensionContext.extensionMode === vscode.ExtensionMode.Test;
  const given = testing && args ? args : {};
  const previous = await ctx.credentials();
  const host = given.host ? normalizeHost(given.host) : await pickHost(previous?.host ?? ctx.configuredHost());
  if (!host) return false;
  const key = given.key ?? (await askKey(host));
  if (!key || validatePersonalApiKey(key)) return false;
  const candidate: Credentials = { host, key };

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `PostHog: checking the key at ${host}…` },
    async () => {
      // The server only ever gets a key through initializationOptions: restart with the candidate.
      await ctx.confirmHost(host);
      await setHostSetting(host);
      await ctx.useCredentials(candidate, false);
      try {
        return await ctx.whoami();
      } catch (error) {
        return { ok: false as const, message: errorText(error), unchecked: true };
      }
    },
  );

  if (result.ok) {
    await ctx.useCredentials(candidate, true, false); // the server already runs with it
    ctx.identity = result;
    void vscode.window.showInformationMessage(`Signed in as ${result.user.email} — project ${result.project.name}`);
    return true;
  }
  const unchecked = 'unchecked' in result;
  const keep = 'Keep Key Anyway';
  const retry = 'Try Again';
  const choice = testing
    ? undefined
    : await vscode.window.showErrorMessage(
        unchecked ? `PostHog: the key could not be checked (${result.message}).` : `PostHog did not accept the key: ${result.message}`,
        keep,
        retry,
      );
  if (choice === keep) {
    await ctx.useCredentials(candidate, true, false);
    return true;
  }
  await ctx.useCredentials(previous, false);
  if (choice === retry) return signIn(ctx);
  return false;
}

async function setHostSetting(host: string): Promise<void> {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  if (config.inspect<string>('host')?.globalValue !== host) await config.update('host', host, vscode.ConfigurationTarget.Global);
}

export async function signOut(ctx: Ctx): Promise<void> {
  await ctx.useCredentials(undefined, true);
  void vscode.window.showInformationMessage('Signed out of PostHog. The key was removed from this machine.');
}

export async function selectProject(ctx: Ctx, arg?: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  let value: string | undefined = typeof arg === 'string' || typeof arg === 'number' ? String(arg) : undefined;
  if (value === undefined) {
    type Item = vscode.QuickPickItem & { value?: string };
    const items: Item[] = [];
    if (ctx.identity) items.push({ label: ctx.identity.project.name, description: `project ${ctx.identity.project.id} (current for your key)`, value: String(ctx.identity.project.id) });
    items.push({ label: '@current', description: 'whichever project is current for your user in PostHog', value: '@current' });
    items.push({ label: 'Enter a project id…' });
    const picked = await vscode.window.showQuickPick(items, { title: 'PostHog: select project', ignoreFocusOut: true });
    if (!picked) return;
    value = picked.value ?? (await vscode.window.showInputBox({ title: 'PostHog project id', prompt: 'The number in the project URL: /project/12345', validateInput: validateProjectId, ignoreFocusOut: true }))?.trim();
  }
  if (value === undefined || validateProjectId(value)) return;
  const stored: string | number = /^\d+$/.test(value) ? Number(value) : value;
  // Per workspace when the workspace is trusted (its own project), else for the user.
  const target = vscode.workspace.isTrusted && vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('projectId', stored, target);
}
