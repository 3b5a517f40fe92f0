/**
 * "Remove flag 'KEY' from the code": the cleanup code action (contract:
 * "Cleanup" in ../shared/docs/interfaces.md). Offered on a usage of a flag
 * that is released to everyone (keep the enabled code, or the variant
 * everyone gets), disabled or deleted (keep the disabled code); kind
 * `refactor.rewrite`, and as a quick fix on the usage's rollout-100,
 * stale-flag, inactive-flag or deleted-flag diagnostic. Its edit is the one
 * `cleanup --write` makes, for the whole folder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { planCleanup, type KeepValue } from '../core/cleanup';
import { everyoneGets } from '../core/flags/rollout';
import type { FlagSnapshot } from '../core/flags/types';
import { decodeSource } from '../core/index';
import { LineMap } from '../core/text';
import type { Usage } from '../core/types';
import { treeSitterRuntime } from '../lsp/index-factory';
import { uriOfFile, type FolderState, type ServerState } from '../lsp/state';

const CLEANUP_CODES = new Set(['rollout-100', 'stale-flag', 'inactive-flag', 'deleted-flag']);
const CLEANUP_ANNOTATION = 'posthog.cleanup';

/** The value the code can keep for a flag in PostHog's state now, or undefined when the flag still varies. */
export function keptValue(key: string, snapshot: FlagSnapshot): { keep: KeepValue; label: string } | undefined {
  const flag = snapshot.byKey.get(key);
  if (!flag) return snapshot.deletedKeys.has(key) ? { keep: 'disabled', label: 'keep the disabled code' } : undefined;
  if (flag.deleted || !flag.active) return { keep: 'disabled', label: 'keep the disabled code' };
  const everyone = everyoneGets(flag);
  if (!everyone) return undefined;
  return everyone.value === true ? { keep: 'enabled', label: 'keep the enabled code' } : { keep: everyone.value, label: `keep the code of variant '${everyone.value}'` };
}

/** The cleanup actions for one usage (refactor and, with a matching diagnostic, quick fix). */
export function cleanupActions(state: ServerState, folder: FolderState, usage: Usage, diagnostics: Diagnostic[], wants: (kind: string) => boolean): CodeAction[] {
  const snapshot = state.flags.snapshot;
  if (!snapshot) return [];
  const kept = keptValue(usage.key, snapshot);
  if (!kept) return [];
  const fixes = diagnostics.filter((d) => CLEANUP_CODES.has(String(d.code)));
  const kinds = [CodeActionKind.RefactorRewrite, ...(fixes.length ? [CodeActionKind.QuickFix] : [])].filter(wants);
  if (!kinds.length) return [];
  const title = `Remove flag '${usage.key}' from the code (${kept.label})`;
  const edit = cleanupEdit(state, folder, usage.key, kept.keep, title);
  if (!edit) return [];
  return kinds.map((kind) => ({ title, kind, edit, diagnostics: kind === CodeActionKind.QuickFix ? fixes : undefined }));
}

/**
 * The WorkspaceEdit of `cleanup KEY --keep VALUE --write` for the folder (undefined: nothing to change).
 * Where the client supports change annotations, every edit carries one that needs confirmation, so an
 * editor shows the whole rewrite (VS Code: its refactor preview) before applying it.
 */
export function cleanupEdit(state: ServerState, folder: FolderState, key: string, keep: KeepValue, label = `Remove flag '${key}' from the code`): WorkspaceEdit | undefined {
  const textOf = (file: string): string | undefined => {
    const open = state.documents.get(uriOfFile(folder, file));
    if (open) return open.getText();
    try {
      const decoded = decodeSource(file, readFileSync(folder.loose ? `/${file}` : join(folder.root, file)));
      return decoded.ok ? decoded.text : undefined;
    } catch {
      return undefined;
    }
  };
  const plan = planCleanup(folder.index, key, keep, textOf, { treeSitter: treeSitterRuntime() });
  if (!plan.files.length) return undefined;
  if (state.support.documentChanges && state.support.changeAnnotations) {
    return {
      documentChanges: plan.files.map((f) => ({
        textDocument: { uri: uriOfFile(folder, f.file), version: null },
        edits: [{ ...changedRegion(f.before, f.after), annotationId: CLEANUP_ANNOTATION }],
      })),
      changeAnnotations: { [CLEANUP_ANNOTATION]: { label, needsConfirmation: true, description: `${plan.files.length === 1 ? '1 file' : `${plan.files.length} files`}; review before applying` } },
    };
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const f of plan.files) changes[uriOfFile(folder, f.file)] = [changedRegion(f.before, f.after)];
  return { changes };
}

/** One edit covering what differs between the texts (common start and end left out, whole lines). */
function changedRegion(before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  const lines = new LineMap(before);
  const a = lines.position(start);
  const b = lines.position(before.length - end);
  return {
    range: { start: { line: a.line - 1, character: a.column - 1 }, end: { line: b.line - 1, character: b.column - 1 } },
    newText: after.slice(start, after.length - end),
  };
}
