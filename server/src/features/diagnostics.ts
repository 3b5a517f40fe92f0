import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { problemsFor, type ProblemCode, type Severity } from '../core/flags/problems';
import type { FlagSnapshot } from '../core/flags/types';
import type { Usage } from '../core/types';
import { toRange } from '../lsp/positions';
import type { ResourceSettings } from '../lsp/settings';
import { uriOfFile, usagesOfKeyEverywhere, type FolderState, type ServerState } from '../lsp/state';

export const DIAGNOSTIC_SOURCE = 'posthog';
const MAX_RELATED = 10;

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Extra data on each diagnostic (code actions read it when the client sends it back). */
export interface DiagnosticData {
  key: string;
  suggestion?: string;
}

/**
 * Diagnostics of one file: one per usage at most, by the shared rules
 * (core/flags/problems.ts), ranged on the key's content (without quotes)
 * for a literal and on the argument otherwise, with related information
 * pointing at the key's other usages. Calls whose key is computed at run
 * time get no diagnostic: nothing can be said about them statically, and a
 * hint on every dynamic call would be noise.
 *
 * Without flags (nothing fetched yet) there are no diagnostics: a key is not
 * "missing" just because PostHog has not answered.
 */
export function fileDiagnostics(
  state: ServerState,
  folder: FolderState,
  file: string,
  snapshot: FlagSnapshot | undefined,
  settings: ResourceSettings,
): Diagnostic[] {
  if (!snapshot) return [];
  const now = state.now();
  const out: Diagnostic[] = [];
  const relatedCache = new Map<string, Array<{ folder: FolderState; usage: Usage }>>();
  for (const usage of folder.index.usagesInFile(file)) {
    const problem = problemsFor(usage, snapshot, { now, severities: settings.severities as Partial<Record<ProblemCode, Severity | 'off'>> });
    if (!problem) continue;
    const diagnostic: Diagnostic = {
      range: toRange(usage),
      severity: LSP_SEVERITY[problem.severity],
      code: problem.code,
      source: DIAGNOSTIC_SOURCE,
      message: problem.message,
      data: { key: usage.key, ...(problem.suggestion ? { suggestion: problem.suggestion } : {}) } satisfies DiagnosticData,
    };
    if (state.support.relatedInformation) {
      let others = relatedCache.get(usage.key);
      if (!others) relatedCache.set(usage.key, (others = usagesOfKeyEverywhere(state, usage.key)));
      const related: DiagnosticRelatedInformation[] = [];
      for (const other of others) {
        if (other.folder === folder && other.usage.file === usage.file && other.usage.line === usage.line && other.usage.column === usage.column) continue;
        related.push({ location: { uri: uriOfFile(other.folder, other.usage.file), range: toRange(other.usage) }, message: `'${usage.key}' is also used here` });
        if (related.length >= MAX_RELATED) break;
      }
      if (related.length) diagnostic.relatedInformation = related;
    }
    out.push(diagnostic);
  }
  return out;
}
