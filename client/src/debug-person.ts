/**
 * *PostHog: Debug as Person…*: asks for a distinct id (recent choices of
 * this workspace first) and optional person properties as JSON (checked as
 * they are typed), then sends `posthog.evaluateFor`; hovers and inlay hints
 * then show that person's values. A status bar item shows who is being
 * debugged (from `posthog/status`'s `debugging`); clicking it stops.
 */
import * as vscode from 'vscode';
import { ClientCommand, ServerCommand, STATE_DEBUG_CHOICES } from './constants';
import { registerCommand } from './commands';
import type { ClientStatus, Ctx } from './context';
import { debuggingPresentation, describeChoice, readChoices, rememberChoice, validateDistinctId, validatePersonProperties, type DebugChoice } from './debug-choices';
import type { EvaluateForResult } from '../../server/src/shared';

export function registerDebugPerson(ctx: Ctx): void {
  const item = vscode.window.createStatusBarItem('posthogFlags.debugging', vscode.StatusBarAlignment.Left, 9);
  item.name = 'PostHog: Debug as Person';
  item.command = ClientCommand.stopDebugging;
  let shown: string | undefined;
  /** The person chosen in this window, kept across server restarts until stopped. */
  let active: DebugChoice | undefined;
  let resending = false;
  const render = (status: ClientStatus) => {
    const id = 'debugging' in status ? status.debugging : undefined;
    // A restarted server (sign-in, a changed setting) knows no person: set the one still chosen again.
    if (active && id === undefined && status.state === 'ok' && !resending) {
      resending = true;
      void ctx
        .executeServerCommand<EvaluateForResult>(ServerCommand.evaluateFor, evaluateForArgs(active))
        .catch(() => (active = undefined))
        .finally(() => (resending = false));
    }
    if (id === shown) return;
    shown = id;
    void vscode.commands.executeCommand('setContext', 'posthogFlags.debugging', id !== undefined);
    if (id === undefined) {
      item.hide();
      return;
    }
    const view = debuggingPresentation(id);
    item.text = view.text;
    item.tooltip = view.tooltip;
    item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    item.show();
  };
  render(ctx.status);
  ctx.push(item, ctx.onDidChangeStatus(render));
  registerCommand(ctx, ClientCommand.debugAsPerson, (arg) => debugAsPerson(ctx, arg, (choice) => (active = choice)));
  registerCommand(ctx, ClientCommand.stopDebugging, () => {
    active = undefined;
    return ctx.executeServerCommand<EvaluateForResult>(ServerCommand.evaluateFor, {});
  });
}

function evaluateForArgs(choice: DebugChoice): { distinctId: string; personProperties?: Record<string, unknown> } {
  return { distinctId: choice.distinctId, ...(choice.personProperties ? { personProperties: choice.personProperties } : {}) };
}

/** The command. An argument `{distinctId, personProperties?}` skips the prompts (other extensions, tests). */
async function debugAsPerson(ctx: Ctx, arg: unknown, chosen: (choice: DebugChoice) => void): Promise<EvaluateForResult | undefined> {
  const state = ctx.extensionContext.workspaceState;
  const recent = readChoices(state.get(STATE_DEBUG_CHOICES));
  const given = readChoices([arg])[0];
  const choice = given ?? (await ask(recent));
  if (!choice) return undefined;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `PostHog: evaluating flags for ${choice.distinctId}` },
    () => ctx.executeServerCommand<EvaluateForResult>(ServerCommand.evaluateFor, evaluateForArgs(choice)),
  );
  if (result) chosen(choice);
  await state.update(STATE_DEBUG_CHOICES, rememberChoice(recent, choice));
  const notes = result?.notes ?? [];
  if (notes.length) void vscode.window.showWarningMessage(`PostHog: debugging as ${choice.distinctId}: ${notes.join('; ')}.`);
  else vscode.window.setStatusBarMessage(`PostHog: hovers show the flags of ${choice.distinctId}`, 4000);
  return result;
}

/** Distinct id (a remembered one, or typed), then the properties (the remembered ones offered). */
async function ask(recent: DebugChoice[]): Promise<DebugChoice | undefined> {
  const picked = await pickDistinctId(recent);
  if (!picked) return undefined;
  const remembered = recent.find((c) => c.distinctId === picked);
  const typed = await vscode.window.showInputBox({
    title: `PostHog: Debug as ${picked} (2/2): person properties`,
    prompt: 'Person properties as a JSON object, e.g. {"email": "dev@acme.com"}. Leave empty to read them from PostHog.',
    value: remembered?.personProperties ? JSON.stringify(remembered.personProperties) : '',
    validateInput: validatePersonProperties,
    ignoreFocusOut: true,
  });
  if (typed === undefined) return undefined;
  const personProperties = typed.trim() ? (JSON.parse(typed) as Record<string, unknown>) : undefined;
  return { distinctId: picked, ...(personProperties ? { personProperties } : {}) };
}

/** A quick pick of the recent ids; what is typed is offered as a new one when it is a valid id. */
function pickDistinctId(recent: DebugChoice[]): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { distinctId: string };
  const remembered: Item[] = recent.map((c) => ({ ...describeChoice(c), distinctId: c.distinctId }));
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'PostHog: Debug as Person (1/2): distinct id';
  qp.placeholder = recent.length ? 'Type a distinct id, or pick a recent one' : 'Type the distinct id of the person (as your code passes it to PostHog)';
  qp.ignoreFocusOut = true;
  qp.items = remembered;
  qp.onDidChangeValue((value) => {
    const id = value.trim();
    const known = remembered.some((i) => i.distinctId === id);
    const typed: Item[] = id && !known && !validateDistinctId(id) ? [{ label: id, description: 'new', distinctId: id, alwaysShow: true }] : [];
    qp.items = [...typed, ...remembered];
  });
  return new Promise((resolve) => {
    let done = false;
    qp.onDidAccept(() => {
      const selected = qp.selectedItems[0] ?? qp.activeItems[0];
      if (!selected) return;
      done = true;
      resolve(selected.distinctId);
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}
