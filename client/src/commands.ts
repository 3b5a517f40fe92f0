/**
 * The client's commands. The ones that change PostHog confirm first, then
 * call the server's `workspace/executeCommand` ids (ServerCommand).
 */
import * as vscode from 'vscode';
import { ClientCommand, ENV_AUTO_CONFIRM, ServerCommand } from './constants';
import { errorText, type Ctx } from './context';
import { selectProject, signIn, signOut, type SignInArgs } from './auth';
import { toggleConfirmation } from './confirm-text';
import { activeFromArgs, flagKeyFromArgs, flagSearchUrl } from './flag-args';
import { REPORT_REQUEST, type ReportFlag, type ReportResult } from './protocol';
import { validateFlagKey, validateRolloutPercentage } from './validation';
import type { Location as LspLocation } from 'vscode-languageclient/node';

/** Registers a command whose failure is logged and shown as an error message (never thrown at VS Code). */
export function registerCommand(ctx: Ctx, id: string, run: (...args: unknown[]) => unknown): void {
  ctx.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (error) {
        ctx.output.appendLine(`[client] ${id}: ${errorText(error)}`);
        void vscode.window.showErrorMessage(`PostHog: ${errorText(error)}`);
        return undefined;
      }
    }),
  );
}

export function registerCommands(ctx: Ctx): void {
  const register = (id: string, run: (...args: unknown[]) => unknown) => registerCommand(ctx, id, run);

  register(ClientCommand.signIn, (args) => signIn(ctx, args as SignInArgs | undefined));
  register(ClientCommand.signOut, () => signOut(ctx));
  register(ClientCommand.selectProject, (arg) => selectProject(ctx, arg));
  register(ClientCommand.refresh, () => refresh(ctx));
  register(ClientCommand.showOutput, () => ctx.output.show(true));
  register(ClientCommand.restartServer, () => ctx.restartByUser());
  register(ClientCommand.toggleFlag, (...args) => toggleFlag(ctx, args));
  register(ClientCommand.createFlag, (...args) => createFlag(ctx, args));
  register(ClientCommand.openInPostHog, (...args) => openInPostHog(ctx, args));
  register(ClientCommand.showFlagUsages, (...args) => showFlagUsages(ctx, args));
  register(ClientCommand.copyKey, (...args) => copyKey(ctx, args));
}

async function refresh(ctx: Ctx): Promise<void> {
  if (!ctx.client?.isRunning()) {
    await ctx.restart();
    return;
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'PostHog: refreshing flags' }, () =>
    ctx.executeServerCommand(ServerCommand.refresh, {}),
  );
}

async function report(ctx: Ctx): Promise<ReportFlag[]> {
  try {
    return (await ctx.sendRequest<ReportResult>(REPORT_REQUEST, {})).flags ?? [];
  } catch (error) {
    ctx.output.appendLine(`[client] ${REPORT_REQUEST}: ${errorText(error)}`);
    return [];
  }
}

/** The key the command is about: from its arguments, the word under the cursor, or a pick. */
async function resolveKey(ctx: Ctx, args: readonly unknown[], purpose: string, filter?: (f: ReportFlag) => boolean): Promise<{ key: string; flag?: ReportFlag } | undefined> {
  const flags = await report(ctx);
  const byKey = new Map(flags.map((f) => [f.key, f]));
  const given = flagKeyFromArgs(args);
  if (given) return { key: given, flag: byKey.get(given) };
  const editor = vscode.window.activeTextEditor;
  if (editor) {
    const range = editor.document.getWordRangeAtPosition(editor.selection.active, /[A-Za-z0-9_-]+/);
    const word = range ? editor.document.getText(range) : undefined;
    if (word && byKey.has(word)) return { key: word, flag: byKey.get(word) };
  }
  const candidates = flags.filter(filter ?? (() => true));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`PostHog: no flag to ${purpose}. Put the cursor on a flag key, or refresh.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((f) => ({ label: f.key, description: f.name && f.name !== f.key ? f.name : undefined, detail: `${f.state} · ${f.rollout}`, flag: f })),
    { title: `PostHog: flag to ${purpose}`, matchOnDescription: true },
  );
  return picked ? { key: picked.flag.key, flag: picked.flag } : undefined;
}

async function toggleFlag(ctx: Ctx, args: readonly unknown[]): Promise<unknown> {
  const target = await resolveKey(ctx, args, 'enable or disable', (f) => f.inPostHog);
  if (!target) return undefined;
  const flag = target.flag;
  if (flag && !flag.inPostHog) {
    void vscode.window.showWarningMessage(`PostHog: "${target.key}" is not a flag in this project.`);
    return undefined;
  }
  const active = activeFromArgs(args) ?? (flag ? flag.state !== 'active' : undefined);
  if (active === undefined) {
    void vscode.window.showWarningMessage(`PostHog: the state of "${target.key}" is not known yet. Refresh and try again.`);
    return undefined;
  }
  const text = toggleConfirmation({ key: target.key, name: flag?.name, rollout: flag?.rollout ?? 'its release conditions', releasedToEveryone: flag?.releasedToEveryone ?? false }, active);
  if (!(await ctx.confirm(text))) return undefined;
  const result = await ctx.executeServerCommand<{ key: string; active: boolean; version?: number }>(ServerCommand.toggleFlag, { key: target.key, active });
  void vscode.window.showInformationMessage(`PostHog: "${target.key}" is now ${result?.active ?? active ? 'enabled' : 'disabled'}.`);
  return result;
}

async function createFlag(ctx: Ctx, args: readonly unknown[]): Promise<unknown> {
  const given = flagKeyFromArgs(args);
  const options = (args.find((a) => a && typeof a === 'object') ?? {}) as { name?: string; rolloutPercentage?: number; active?: boolean };
  // Test runs (ENV_AUTO_CONFIRM=yes) take a given key as typed and skip the prompts.
  const auto = process.env[ENV_AUTO_CONFIRM] === 'yes' && given !== undefined;
  const typed = auto
    ? given
    : await vscode.window.showInputBox({
        title: 'PostHog: create feature flag (1/3): key',
        value: given ?? '',
        prompt: 'Letters, numbers, "-" and "_"; at most 400 characters.',
        validateInput: validateFlagKey,
        ignoreFocusOut: true,
      });
  const finalKey = typed?.trim();
  if (!finalKey || validateFlagKey(finalKey)) return undefined;

  let name = options.name;
  let active = options.active;
  let rolloutPercentage = options.rolloutPercentage;
  if (!auto) {
    const typedName = await vscode.window.showInputBox({ title: 'PostHog: create feature flag (2/3): name', value: name ?? '', prompt: 'A description shown in PostHog (optional).', ignoreFocusOut: true });
    if (typedName === undefined) return undefined;
    name = typedName.trim() || undefined;
    const state = await vscode.window.showQuickPick(
      [
        { label: 'Disabled', description: 'safe default: nobody gets it until you enable it', active: false },
        { label: 'Enabled for a percentage of users…', active: true },
      ],
      { title: 'PostHog: create feature flag (3/3): initial state', ignoreFocusOut: true },
    );
    if (!state) return undefined;
    active = state.active;
    if (active) {
      const pct = await vscode.window.showInputBox({ title: 'Roll out to what percentage of users?', value: '0', validateInput: validateRolloutPercentage, ignoreFocusOut: true });
      if (pct === undefined) return undefined;
      rolloutPercentage = Number(pct.trim());
    }
  }
  if (active && rolloutPercentage === 100) {
    const ok = await ctx.confirm({
      message: `Create "${finalKey}" enabled for EVERYONE?`,
      detail: 'The flag will be on for 100% of users as soon as it is created.',
      confirmLabel: 'Create for Everyone',
      loud: true,
    });
    if (!ok) return undefined;
  }
  const created = await ctx.executeServerCommand<unknown>(ServerCommand.createFlag, {
    key: finalKey,
    ...(name ? { name } : {}),
    ...(active !== undefined ? { active } : {}),
    ...(rolloutPercentage !== undefined ? { rolloutPercentage } : {}),
  });
  void vscode.window.showInformationMessage(`PostHog: created flag "${finalKey}" (${active ? `enabled for ${rolloutPercentage ?? 0}%` : 'disabled'}).`);
  return created;
}

async function openInPostHog(ctx: Ctx, args: readonly unknown[]): Promise<void> {
  const target = await resolveKey(ctx, args, 'open in PostHog', (f) => f.inPostHog);
  if (!target) return;
  const url = target.flag?.url ?? flagSearchUrl((await ctx.keyHost()).host, ctx.identity?.project.id ?? ctx.projectId(), target.key);
  await vscode.env.openExternal(vscode.Uri.parse(url));
}

async function showFlagUsages(ctx: Ctx, args: readonly unknown[]): Promise<void> {
  const target = await resolveKey(ctx, args, 'find usages of', (f) => f.inCode);
  if (!target || !ctx.client) return;
  const lspLocations = (await ctx.executeServerCommand<LspLocation[]>(ServerCommand.flagUsages, { key: target.key })) ?? [];
  const converter = ctx.client.protocol2CodeConverter;
  const locations = await Promise.all(lspLocations.map((l) => converter.asLocation(l)));
  if (locations.length === 0) {
    void vscode.window.showInformationMessage(`PostHog: no usages of "${target.key}" in this workspace.`);
    return;
  }
  const editor = vscode.window.activeTextEditor;
  const anchor = editor ? { uri: editor.document.uri, position: editor.selection.active } : { uri: locations[0].uri, position: locations[0].range.start };
  await vscode.commands.executeCommand('editor.action.showReferences', anchor.uri, anchor.position, locations);
}

async function copyKey(ctx: Ctx, args: readonly unknown[]): Promise<void> {
  const target = await resolveKey(ctx, args, 'copy');
  if (!target) return;
  await vscode.env.clipboard.writeText(target.key);
  vscode.window.setStatusBarMessage(`Copied "${target.key}"`, 2000);
}
