/**
 * Settings with the contract's precedence (interfaces.md "Configuration"):
 * initializationOptions / CLI flag > workspace configuration > env, except
 * that the personal API key is sent only to a host given by
 * initializationOptions, a CLI flag or POSTHOG_HOST. A different host from
 * workspace configuration is reported (`hostNeedsConfirmation`) and ignored
 * for keyed requests until the client confirms it (`confirmedHosts`).
 */

export const DEFAULT_HOST = 'https://us.posthog.com';

/** One source of settings. `projectId` may be a number, a numeric string or `@current`. */
export interface ConfigSource {
  host?: string;
  projectId?: number | string;
  personalApiKey?: string;
  flagsFile?: string;
}

export interface ConfigSources {
  cli?: ConfigSource;
  init?: ConfigSource;
  workspace?: ConfigSource;
  /** Process environment (POSTHOG_HOST, POSTHOG_PROJECT_ID, POSTHOG_PERSONAL_API_KEY, POSTHOG_FLAGS_FILE). */
  env?: Record<string, string | undefined>;
  /** Workspace hosts the user has confirmed for keyed requests. */
  confirmedHosts?: string[];
}

export interface ResolvedConfig {
  /** Host (normalised app host) that requests go to. */
  host: string;
  /** Numeric project id, or `@current` (resolved once by the client). */
  projectId: number | '@current';
  personalApiKey?: string;
  flagsFile?: string;
  /** A workspace host that differs from the trusted one: not used with the key until confirmed. */
  hostNeedsConfirmation?: string;
  /** Problems with the values (bad host, bad project id): the value was ignored. */
  problems: string[];
  /** Notes worth logging (never containing the key). */
  notes: string[];
}

export { normalizeHost, type NormalizedHost } from '../shared/host';
import { normalizeHost, type NormalizedHost } from '../shared/host';

/** Parses a project id setting: a number, a numeric string or `@current`. */
export function parseProjectId(v: unknown): number | '@current' | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '@current') return '@current';
    if (/^\d+$/.test(t) && Number(t) > 0) return Number(t);
  }
  return undefined;
}

const nonEmpty = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);

export function resolveConfig(sources: ConfigSources): ResolvedConfig {
  const env = sources.env ?? {};
  const envSource: ConfigSource = {
    host: nonEmpty(env.POSTHOG_HOST),
    projectId: nonEmpty(env.POSTHOG_PROJECT_ID),
    personalApiKey: nonEmpty(env.POSTHOG_PERSONAL_API_KEY),
    flagsFile: nonEmpty(env.POSTHOG_FLAGS_FILE),
  };
  const top = { ...(sources.init ?? {}), ...(sources.cli ?? {}) };
  const ws = sources.workspace ?? {};
  const problems: string[] = [];
  const notes: string[] = [];

  const norm = (raw: string | undefined, where: string): NormalizedHost | undefined => {
    if (raw === undefined || raw.trim() === '') return undefined;
    const n = normalizeHost(raw);
    if (!n) problems.push(`${where} host is not a valid http(s) URL; ignored`);
    return n;
  };
  const topHost = norm(top.host, 'the given');
  const wsHost = norm(ws.host, 'the workspace');
  const envHost = norm(envSource.host, 'POSTHOG_HOST');

  // Trusted for the key: init/CLI, else POSTHOG_HOST, else the default.
  const trusted = topHost ?? envHost ?? { host: DEFAULT_HOST };
  let chosen = topHost ?? wsHost ?? envHost ?? { host: DEFAULT_HOST };
  let hostNeedsConfirmation: string | undefined;
  if (!topHost && wsHost && wsHost.host !== trusted.host) {
    const confirmed = (sources.confirmedHosts ?? []).some((h) => normalizeHost(h)?.host === wsHost.host);
    if (!confirmed) {
      hostNeedsConfirmation = wsHost.host;
      chosen = trusted;
      notes.push(`The workspace sets the PostHog host to ${wsHost.host}; the personal API key is only sent there after you confirm it. Using ${trusted.host}.`);
    }
  }

  const project = (src: ConfigSource, where: string): number | '@current' | undefined => {
    if (src.projectId === undefined || src.projectId === '') return undefined;
    const p = parseProjectId(src.projectId);
    if (p === undefined) problems.push(`${where} project id ${JSON.stringify(String(src.projectId))} is not a number or @current; ignored`);
    return p;
  };
  const projectId =
    project(top, 'the given') ??
    (chosen === topHost ? topHost?.projectId : undefined) ??
    project(ws, 'the workspace') ??
    (chosen === wsHost ? wsHost?.projectId : undefined) ??
    project(envSource, 'POSTHOG_PROJECT_ID') ??
    (chosen === envHost ? envHost?.projectId : undefined) ??
    '@current';

  if (ws.personalApiKey) notes.push('A personal API key in workspace settings is ignored: give it through the client (VS Code SecretStorage) or POSTHOG_PERSONAL_API_KEY.');
  const personalApiKey = nonEmpty(top.personalApiKey) ?? envSource.personalApiKey;
  const flagsFile = nonEmpty(top.flagsFile) ?? nonEmpty(ws.flagsFile) ?? envSource.flagsFile;
  return { host: chosen.host, projectId, personalApiKey, flagsFile, hostNeedsConfirmation, problems, notes };
}
