/**
 * Which settings the client hands to the server, and which host may receive
 * the personal API key. Pure: `vscode` objects are passed in as plain data.
 *
 * Rules (interfaces.md, "Configuration"):
 * - In an untrusted workspace, workspace and folder values of the restricted
 *   settings (host, projectId, flagsFile) are ignored.
 * - The key goes only to the host it was signed in with, or to a host the user
 *   confirmed afterwards. A different configured host waits for confirmation.
 * - The key is never part of the settings sent to the server.
 */
import { normalizeHost } from './validation';

/** What `WorkspaceConfiguration.inspect` returns, reduced to what we read. */
export interface Inspection<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/** The value in effect, leaving out workspace values when the workspace is not trusted. */
export function effectiveValue<T>(inspection: Inspection<T> | undefined, trusted: boolean): T | undefined {
  if (!inspection) return undefined;
  if (trusted) {
    if (inspection.workspaceFolderValue !== undefined) return inspection.workspaceFolderValue;
    if (inspection.workspaceValue !== undefined) return inspection.workspaceValue;
  }
  return inspection.globalValue ?? inspection.defaultValue;
}

/** True when the value in effect comes from the workspace (so a cloned repo chose it). */
export function comesFromWorkspace(inspection: Inspection<unknown> | undefined, trusted: boolean): boolean {
  return trusted && inspection !== undefined && (inspection.workspaceFolderValue !== undefined || inspection.workspaceValue !== undefined);
}

export interface KeyHostDecision {
  /** Host to hand to the server (with the key, if any). */
  host: string | undefined;
  /** A configured host that differs from the key's host and is not confirmed yet. */
  pendingHost?: string;
}

export function decideKeyHost(configuredHost: string | undefined, signedInHost: string | undefined, confirmedHosts: readonly string[]): KeyHostDecision {
  const configured = configuredHost ? normalizeHost(configuredHost) : undefined;
  if (!signedInHost) return { host: configured };
  if (!configured || configured === signedInHost || confirmedHosts.includes(configured)) return { host: configured ?? signedInHost };
  return { host: signedInHost, pendingHost: configured };
}

/** The `posthog` section as the server sees it (workspace/configuration, didChangeConfiguration). */
export function sanitizeSection(section: Record<string, unknown>, overrides: { host?: string; projectId?: unknown; flagsFile?: unknown }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(section)) {
    if (typeof v === 'function') continue;
    if (/key|token|secret/i.test(k)) continue;
    out[k] = v;
  }
  out.host = overrides.host ?? '';
  out.projectId = overrides.projectId ?? '@current';
  out.flagsFile = overrides.flagsFile ?? '';
  return out;
}
