/**
 * The client's commands. The ones that change PostHog confirm first, then
 * call the server's `workspace/executeCommand` ids (ServerCommand).
 */
import * as vscode from 'vscode';
import { ClientCommand, ENV_AUTO_CONFIRM, ServerCommand } from './constants';
import { errorText, type Ctx } from './context';
import { selectProject, signIn, signOut, type SignInArgs } from './auth';
import { rolloutConfirmation, toggleConfirmation } from './confirm-text';
import { useFlagsFile } from './first-run';
import { activeFromArgs, flagKeyFromArgs, flagSearchUrl, rolloutFromArgs } from './flag-args';
import { REPORT_REQUEST, type ReportFlag, type ReportResult } from './protocol';
import { validateNewFlagKey, validateRolloutPercentage } from './validation';
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
  register(ClientCommand.changeRollout, (...args) => changeRollout(ctx, args));
  register(ClientCommand.useFlagsFile, (file) => useFlagsFile(ctx, file instanceof vscode.Uri ? file : undefined));
}

/**
 * Writes work only with the API and a key (a snapshot file wins over a key).
 * Menus hide them otherwise (`posthogFlags.canWrite`); a hover link or a
 * stray call lands here and is told why, with the way out.
 */
function writesAvailable(ctx: Ctx, what: string): boolean {
  if (ctx.canWrite()) return true;
  const file = ctx.source.kind === 'file';
  const message = file
    ? `PostHog: flags come from the snapshot file ${vscode.workspace.asRelativePath(ctx.source.flagsFile ?? '')}, which is read-only: to ${what}, sign in and clear the posthog.flagsFile setting.`
    : `PostHog: to ${what}, sign in with a personal API key.`;
  const action = file ? 'Open Settings' : 'Sign In';
  // Not awaited: the command ends here whether or not the message is answered.
  void vscode.window.showWarningMessage(message, action).then((choice) => {
    if (choice === 'Sign In') void vscode.commands.executeCommand(ClientCommand.signIn);
    else if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'posthog.flagsFile');
  });
  return false;
}

/** A write the server refused or could not do: PostHog's reason, quoted, after what was tried. */
async function write<R>(ctx: Ctx, what: string, command: string, arg: object): Promise<R> {
  try {
    return await ctx.executeServerCommand<R>(command, arg);
  } catch (error) {
    throw new Error(`could not ${what}: ${errorText(error)}`);
  }
}

/** "project Demo shop" when its name is known, for messages (never "project 2"). */
function inProject(ctx: Ctx): string {
  return ctx.identity?.project.name ? ` in project ${ctx.identity.project.name}` : '';
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
  if (!writesAvailable(ctx, 'enable or disable a flag')) return undefined;
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
  const text = toggleConfirmation(
    { key: target.key, name: flag?.name, rollout: flag?.rollout ?? 'its release conditions', releasedToEveryone: flag?.releasedToEveryone ?? false, reachesEveryoneWhenEnabled: flag?.reachesEveryoneWhenEnabled },
    active,
  );
  if (!(await ctx.confirm(text))) return undefined;
  const result = await write<{ key: string; active: boolean; version?: number }>(ctx, `${active ? 'enable' : 'disable'} "${target.key}"`, ServerCommand.toggleFlag, { key: target.key, active });
  void vscode.window.showInformationMessage(`PostHog: "${target.key}" is now ${result?.active ?? active ? 'enabled' : 'disabled'}${inProject(ctx)}.`);
  return result;
}

async function createFlag(ctx: Ctx, args: readonly unknown[]): Promise<unknown> {
  if (!writesAvailable(ctx, 'create a flag')) return undefined;
  const given = flagKeyFromArgs(args);
  // Keys the project has: the first step says at once that a key is taken (the server refuses it too).
  const existing = new Set((await report(ctx)).filter((f) => f.inPostHog).map((f) => f.key));
  const projectName = ctx.identity?.project.name || undefined;
  const checkKey = (value: string) => validateNewFlagKey(value, existing, projectName);
  const options = (args.find((a) => a && typeof a === 'object') ?? {}) as { name?: string; rolloutPercentage?: number; active?: boolean };
  // Test runs (ENV_AUTO_CONFIRM=yes) take a given key as typed and skip the prompts.
  const auto = process.env[ENV_AUTO_CONFIRM] === 'yes' && given !== undefined;
  const typed = auto
    ? given
    : await vscode.window.showInputBox({
        title: 'PostHog: create feature flag (1/3): key',
        value: given ?? '',
        prompt: 'Letters, numbers, "-" and "_"; at most 400 characters; not a key the project has.',
        validateInput: checkKey,
        ignoreFocusOut: true,
      });
  const finalKey = typed?.trim();
  if (!finalKey) return undefined;
  const keyProblem = checkKey(finalKey);
  if (keyProblem) {
    void vscode.window.showWarningMessage(`PostHog: ${keyProblem}`);
    return undefined;
  }

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
  const created = await write<unknown>(ctx, `create "${finalKey}"`, ServerCommand.createFlag, {
    key: finalKey,
    ...(name ? { name } : {}),
    ...(active !== undefined ? { active } : {}),
    ...(rolloutPercentage !== undefined ? { rolloutPercentage } : {}),
  });
  void vscode.window.showInformationMessage(`PostHog: created flag "${finalKey}"${inProject(ctx)} (${active ? `enabled for ${rolloutPercentage ?? 0}%` : 'disabled'}).`);
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

/**
 * *Change Rollout…*: the percentage of a flag with one release condition.
 * Asks the new percentage, confirms (100% loudly), then the server's
 * `posthog.changeRollout` re-reads the flag and PATCHes it.
 */
async function changeRollout(ctx: Ctx, args: readonly unknown[]): Promise<unknown> {
  if (!writesAvailable(ctx, 'change a rollout')) return undefined;
  const target = await resolveKey(ctx, args, 'change the rollout of', (f) => f.inPostHog && f.conditions?.length === 1);
  if (!target) return undefined;
  const flag = target.flag;
  if (!flag?.inPostHog) {
    void vscode.window.showWarningMessage(`PostHog: "${target.key}" is not a flag${inProject(ctx) || ' in this project'}.`);
    return undefined;
  }
  const conditions = flag.conditions ?? [];
  if (conditions.length !== 1) {
    const open = 'Open in PostHog';
    const choice = await vscode.window.showWarningMessage(
      `PostHog: "${target.key}" has ${conditions.length === 0 ? 'no release conditions' : `${conditions.length} release conditions`}; Change Rollout works on a flag with one. Change it in PostHog.`,
      open,
    );
    if (choice === open) await vscode.commands.executeCommand(ClientCommand.openInPostHog, { key: target.key });
    return undefined;
  }
  const from = conditions[0].rolloutPercentage;
  const given = rolloutFromArgs(args);
  const typed =
    given !== undefined
      ? String(given)
      : await vscode.window.showInputBox({
          title: `PostHog: rollout of "${target.key}"`,
          prompt: `Percentage of ${conditions[0].filtered ? 'the users matching its condition' : 'users'} who get the flag (now ${from}%).`,
          value: String(from),
          validateInput: validateRolloutPercentage,
          ignoreFocusOut: true,
        });
  if (typed === undefined) return undefined;
  const problem = validateRolloutPercentage(typed);
  if (problem) {
    // Only a percentage passed as an argument gets here (the input box refuses it while typed).
    void vscode.window.showWarningMessage(`PostHog: the rollout of "${target.key}" cannot be set to ${typed}%: ${problem}`);
    return undefined;
  }
  const to = Number(typed.trim());
  if (to === from) {
    void vscode.window.showInformationMessage(`PostHog: "${target.key}" is already at ${from}%.`);
    return undefined;
  }
  const text = rolloutConfirmation({ key: target.key, name: flag.name, from, to, filtered: conditions[0].filtered, active: flag.state === 'active' });
  if (!(await ctx.confirm(text))) return undefined;
  const result = await write<{ key: string; rolloutPercentage: number; version?: number }>(ctx, `change the rollout of "${target.key}"`, ServerCommand.changeRollout, { key: target.key, rolloutPercentage: to });
  void vscode.window.showInformationMessage(`PostHog: "${target.key}" now rolls out to ${result?.rolloutPercentage ?? to}%${inProject(ctx)}.`);
  return result;
}

