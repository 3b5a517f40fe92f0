import { CodeActionKind, type CodeAction, type CodeActionParams, type Command, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import { closestKeys } from '../core/flags/closest';
import { flagState } from '../core/flags/state';
import type { Usage } from '../core/types';
import { toRange } from '../lsp/positions';
import { locate, uriOfFile, type FolderState, type ServerState } from '../lsp/state';
import { cleanupActions } from './cleanup-action';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { sameSpan } from './navigation';
import { ClientCommand, ServerCommand } from '../shared/commands';

/**
 * Code actions on flag keys in the requested range:
 * - missing flag: "Create feature flag 'x' in PostHog" (quick fix) and
 *   "Change to 'closest-key'" (a WorkspaceEdit on the key's literal);
 * - existing flag: "Open 'x' in PostHog", and "Enable"/"Disable" (a quick
 *   fix on inactive-flag);
 * - a flag released to everyone, disabled or deleted: "Remove flag 'x' from
 *   the code" (cleanup-action.ts).
 * Actions that change PostHog go through the VS Code client's commands when
 * it has them (it asks for confirmation first); other editors get the
 * server's commands directly. They are offered only when the flag source
 * can write (the API with a personal key, not a snapshot file).
 */
export function codeActions(state: ServerState, params: CodeActionParams): Array<CodeAction | Command> {
  const where = locate(state, params.textDocument.uri);
  if (!where) return [];
  const snapshot = state.flags.snapshot;
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const usages = usagesInRange(where.folder, where.file, params);
  const actions: CodeAction[] = [];
  const done = new Set<string>();
  const writable = state.flagSource === 'api';
  for (const usage of usages) {
    const diagnostics = params.context.diagnostics.filter(
      (d) => d.source === DIAGNOSTIC_SOURCE && sameSpan(fromRange(d.range), usage),
    );
    const status = snapshot ? flagState(usage.key, snapshot) : undefined;
    if (status === 'missing' || status === 'deleted') {
      if (writable && !done.has(`create:${usage.key}`) && wants(CodeActionKind.QuickFix)) {
        done.add(`create:${usage.key}`);
        actions.push({
          title: `Create feature flag '${usage.key}' in PostHog`,
          kind: CodeActionKind.QuickFix,
          diagnostics: diagnostics.filter((d) => d.code === 'missing-flag' || d.code === 'deleted-flag'),
          command: state.clientCommands
            ? { title: 'Create feature flag', command: ClientCommand.createFlag, arguments: [{ key: usage.key }] }
            : { title: 'Create feature flag', command: ServerCommand.createFlag, arguments: [{ key: usage.key }] },
        });
      }
      if (snapshot && wants(CodeActionKind.QuickFix)) {
        const edited = editSiteOf(usage);
        const suggestion = diagnostics.map((d) => (d.data as { suggestion?: string } | undefined)?.suggestion).find(Boolean);
        const close = closestKeys(usage.key, snapshot.byKey.keys(), 3);
        if (suggestion && !close.includes(suggestion)) close.unshift(suggestion);
        close.forEach((key, i) => {
          const edit: TextEdit = { range: toRange(edited), newText: key };
          actions.push({
            title: `Change to '${key}'`,
            kind: CodeActionKind.QuickFix,
            diagnostics: diagnostics.filter((d) => d.code === 'missing-flag'),
            isPreferred: i === 0 && state.support.codeActionLiterals ? true : undefined,
            edit: { changes: { [uriOfFile(where.folder, edited.file)]: [edit] } },
          });
        });
      }
    } else if (snapshot && status && !done.has(`flag:${usage.key}`)) {
      done.add(`flag:${usage.key}`);
      const flag = snapshot.byKey.get(usage.key)!;
      const inactive = diagnostics.filter((d) => d.code === 'inactive-flag');
      const toggleKind = !flag.active && inactive.length ? CodeActionKind.QuickFix : CodeActionKind.Empty;
      if (writable && (wants(toggleKind) || (toggleKind === CodeActionKind.Empty && !only))) {
        const active = !flag.active;
        actions.push({
          title: `${active ? 'Enable' : 'Disable'} feature flag '${usage.key}' in PostHog`,
          kind: toggleKind,
          diagnostics: active ? inactive : undefined,
          command: state.clientCommands
            ? { title: active ? 'Enable' : 'Disable', command: ClientCommand.toggleFlag, arguments: [{ key: usage.key, active }] }
            : { title: active ? 'Enable' : 'Disable', command: ServerCommand.toggleFlag, arguments: [{ key: usage.key, active }] },
        });
      }
      if (!only) {
        actions.push({
          title: `Open '${usage.key}' in PostHog`,
          kind: CodeActionKind.Empty,
          command: state.clientCommands
            ? { title: 'Open in PostHog', command: ClientCommand.openInPostHog, arguments: [{ key: usage.key }] }
            : { title: 'Open in PostHog', command: ServerCommand.openInPostHog, arguments: [{ key: usage.key }] },
        });
      }
    }
  }
  for (const usage of usages) {
    if (!state.support.codeActionLiterals || done.has(`cleanup:${usage.key}`) || !usage.call) continue;
    done.add(`cleanup:${usage.key}`);
    const diagnostics = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && sameSpan(fromRange(d.range), usage));
    actions.push(...cleanupActions(state, where.folder, usage, diagnostics, wants));
  }
  if (!state.support.codeActionLiterals) return actions.flatMap((a) => (a.command ? [a.command] : []));
  return actions;
}

/** Usages in the file overlapping the range (or under the cursor), plus the key under the cursor at a definition site. */
function usagesInRange(folder: FolderState, file: string, params: CodeActionParams): Usage[] {
  const r = params.range;
  const out = folder.index.usagesInFile(file).filter((u) => {
    const range = toRange(u);
    const startsBeforeEnd = range.start.line < r.end.line || (range.start.line === r.end.line && range.start.character <= r.end.character);
    const endsAfterStart = range.end.line > r.start.line || (range.end.line === r.start.line && range.end.character >= r.start.character);
    return startsBeforeEnd && endsAfterStart;
  });
  if (out.length) return out;
  const symbol = folder.index.symbolAt(file, r.start.line + 1, r.start.character + 1);
  if (symbol?.usage) return [symbol.usage];
  if (symbol) return [{ file, key: symbol.key, kind: 'literal', call: '', language: '', ...symbol.span }];
  return [];
}

/** Where to edit the key text of a usage: the literal itself, or the constant's/wrapper argument's literal. */
function editSiteOf(usage: Usage) {
  if (usage.kind === 'literal' || !usage.keySite) return usage;
  return usage.keySite;
}

function fromRange(r: Diagnostic['range']) {
  return { line: r.start.line + 1, column: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}
