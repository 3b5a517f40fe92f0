import { createHash } from 'node:crypto';
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES, type CheckProblem, type Severity } from '../../core/report/check';

export interface SarifOptions {
  toolVersion: string;
  informationUri: string;
  /** Absolute scanned root: `originalUriBaseIds["%SRCROOT%"]`. */
  root: string;
  /**
   * The repository holding the root, when it is a folder below it: then
   * `%SRCROOT%` is that folder relative to `REPOROOT` (the repository's
   * absolute URI), so a consumer that resolves base ids from the repository
   * root (code scanning) finds the files.
   */
  repositoryRoot?: string;
  /** Text of a line (1-based) of a file, for fingerprints; undefined when unknown. */
  lineText(file: string, line: number): string | undefined;
}

/** The name under `partialFingerprints`; bump the version if the recipe changes. */
export const FINGERPRINT_NAME = 'posthogFlags/v1';

/**
 * SARIF 2.1.0 log for `check --format sarif`: one run, a rule for every code
 * (with help text and default level), one result per problem located
 * relative to `%SRCROOT%`, and fingerprints that survive unrelated edits.
 */
export function formatSarif(problems: readonly CheckProblem[], opts: SarifOptions): string {
  const ruleIndex = new Map<string, number>(RULES.map((r, i) => [r.code, i]));
  const fingerprints = fingerprintProblems(problems, opts.lineText);
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'posthog-flags',
            version: opts.toolVersion,
            semanticVersion: opts.toolVersion,
            informationUri: opts.informationUri,
            rules: RULES.map((r) => ({
              id: r.code,
              name: camel(r.code),
              shortDescription: { text: r.short },
              fullDescription: { text: r.full },
              help: { text: r.help, markdown: `**${r.short}.** ${r.full}\n\n${r.help}` },
              defaultConfiguration: { level: sarifLevel(r.severity) },
              properties: { tags: ['feature-flags', 'posthog'], problemSeverity: r.severity },
            })),
          },
        },
        originalUriBaseIds: uriBaseIds(opts),
        columnKind: 'utf16CodeUnits',
        results: problems.map((p, i) => {
          const result: Record<string, unknown> = {
            ruleId: p.code,
            level: sarifLevel(p.severity),
            message: { text: p.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: relativeUri(p.file), uriBaseId: '%SRCROOT%' },
                  region: { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn },
                },
              },
            ],
            partialFingerprints: { [FINGERPRINT_NAME]: fingerprints[i] },
            properties: { key: p.key, severity: p.severity, ...(p.suggestion !== undefined ? { suggestion: p.suggestion } : {}) },
          };
          const index = ruleIndex.get(p.code);
          if (index !== undefined) result.ruleIndex = index;
          return result;
        }),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** error → error, warning → warning, information/hint → note. */
export function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

/**
 * One fingerprint per problem from (code, key, file, the line's trimmed text,
 * occurrence of that tuple so far): no line numbers, so moving code does not
 * change it, while two identical lines in one file stay distinct.
 */
export function fingerprintProblems(
  problems: readonly CheckProblem[],
  lineText: (file: string, line: number) => string | undefined,
): string[] {
  const seen = new Map<string, number>();
  return problems.map((p) => {
    const text = (lineText(p.file, p.line) ?? '').trim();
    const base = [p.code, p.key, p.file, text].join('\0');
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    return createHash('sha256').update(`${base}\0${occurrence}`).digest('hex').slice(0, 32);
  });
}

function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function uriBaseIds(opts: SarifOptions): Record<string, { uri: string; uriBaseId?: string }> {
  const inner = opts.repositoryRoot ? relative(opts.repositoryRoot, opts.root) : '';
  if (!opts.repositoryRoot || !inner || inner.startsWith('..')) return { '%SRCROOT%': { uri: directoryUri(opts.root) } };
  return {
    REPOROOT: { uri: directoryUri(opts.repositoryRoot) },
    '%SRCROOT%': { uri: `${inner.split(sep).map(encodeURIComponent).join('/')}/`, uriBaseId: 'REPOROOT' },
  };
}

function directoryUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function camel(code: string): string {
  return code.replace(/(^|-)([a-z0-9])/g, (_, _d, c: string) => c.toUpperCase());
}
