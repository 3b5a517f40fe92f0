/**
 * The server's settings: `initializationOptions` first, then the client's
 * `workspace/configuration` (section `posthog`, pulled per resource, cached
 * until `workspace/didChangeConfiguration`), then the environment
 * (interfaces.md, "Configuration").
 *
 * The personal API key is read only from `initializationOptions` or
 * `POSTHOG_PERSONAL_API_KEY`, never from workspace configuration.
 */

export type SeverityName = 'error' | 'warning' | 'information' | 'hint' | 'off';
export type DiagnosticScope = 'workspace' | 'openFiles';

/** What a client may send in `initializationOptions`. */
export interface InitializationOptions {
  personalApiKey?: string;
  host?: string;
  projectId?: string | number;
  flagsFile?: string;
  /** Seconds between background flag refreshes (default 30, at least 5). */
  refreshInterval?: number;
  /** True when the client registers the `posthogFlags.*` commands (VS Code extension). */
  clientCommands?: boolean;
  /**
   * True when the client shows `posthog/flagsChanged` itself (the VS Code
   * extension): the server then sends no `window/showMessage` warning for
   * those changes, so the user sees one notification per flag, not two.
   */
  clientShowsChangeAlerts?: boolean;
  /** As the workspace setting `changeAlerts` (wins over it). */
  changeAlerts?: boolean;
  diagnostics?: WorkspaceSettings['diagnostics'];
  severity?: Record<string, SeverityName>;
  exclude?: string[];
  inlayHints?: boolean;
  /** Where the index cache is kept (VS Code: the extension's workspace storage); default: the CLI's default location. */
  cacheDir?: string;
  cache?: boolean;
}

/** The `posthog` section of workspace configuration, as far as the server reads it. */
export interface WorkspaceSettings {
  host?: string;
  projectId?: string | number;
  flagsFile?: string;
  refreshInterval?: number;
  diagnostics?: {
    /** `workspace` (default): every indexed file; `openFiles`: only open documents. */
    scope?: DiagnosticScope;
    /** Per code (`missing-flag`, …) a severity or `off`. */
    severity?: Record<string, SeverityName>;
    /** Milliseconds to wait after the last change before publishing (default 200). */
    debounceMs?: number;
  };
  /** Per code a severity or `off` (the VS Code manifest's `posthog.severity.<code>`). */
  severity?: Record<string, SeverityName>;
  /** Extra gitignore-style patterns left out of the index. */
  exclude?: string[];
  /** Inlay hints after each flag key (`● 30%`, `○ off`…); default true. */
  inlayHints?: boolean;
  /** Change alerts (`posthog/flagsChanged` and its warnings) after a refresh; default true. */
  changeAlerts?: boolean;
  /** Keep the index cache (default true): a reopened workspace shows its usages before a full parse would end. */
  cache?: boolean;
}

/** Settings the features read for one resource (folder or file). */
export interface ResourceSettings {
  diagnosticsScope: DiagnosticScope;
  severities: Record<string, SeverityName>;
  debounceMs: number;
  exclude: string[];
  inlayHints: boolean;
}

export const DEFAULT_REFRESH_SECONDS = 30;
/** Lowest accepted interval (tests use fractions of a second through initializationOptions). */
export const MIN_REFRESH_SECONDS = 0.2;
export const DEFAULT_DEBOUNCE_MS = 200;

const SEVERITIES: SeverityName[] = ['error', 'warning', 'information', 'hint', 'off'];

/** Reads `workspace/configuration`; returns undefined when the client has none. */
export type ConfigurationPull = (scopeUri: string | undefined) => Promise<unknown>;

export class SettingsStore {
  private cache = new Map<string, Promise<WorkspaceSettings>>();

  constructor(
    readonly init: InitializationOptions,
    private readonly pull: ConfigurationPull | undefined,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The raw `posthog` section for a resource (cached). Never rejects. */
  workspace(scopeUri?: string): Promise<WorkspaceSettings> {
    const cacheKey = scopeUri ?? '';
    let hit = this.cache.get(cacheKey);
    if (!hit) {
      hit = this.pull
        ? this.pull(scopeUri).then(sanitizeWorkspaceSettings, () => ({}))
        : Promise.resolve({});
      this.cache.set(cacheKey, hit);
    }
    return hit;
  }

  /** Drops cached sections (on `workspace/didChangeConfiguration`). */
  clear(): void {
    this.cache.clear();
  }

  async forResource(scopeUri?: string): Promise<ResourceSettings> {
    const ws = await this.workspace(scopeUri);
    const initDiag = this.init.diagnostics ?? {};
    const wsDiag = ws.diagnostics ?? {};
    const scope = pickScope(initDiag.scope) ?? pickScope(wsDiag.scope) ?? pickScope(this.env.POSTHOG_DIAGNOSTICS_SCOPE) ?? 'workspace';
    const severities: Record<string, SeverityName> = {};
    for (const src of [ws.severity, wsDiag.severity, this.init.severity, initDiag.severity]) {
      for (const [code, sev] of Object.entries(src ?? {}) as Array<[string, SeverityName]>) if (SEVERITIES.includes(sev)) severities[code] = sev;
    }
    const debounce = Number(initDiag.debounceMs ?? wsDiag.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    return {
      diagnosticsScope: scope,
      severities,
      debounceMs: Number.isFinite(debounce) ? Math.min(Math.max(debounce, 0), 5000) : DEFAULT_DEBOUNCE_MS,
      exclude: [...(this.init.exclude ?? []), ...(ws.exclude ?? [])].filter((p) => typeof p === 'string'),
      inlayHints: this.init.inlayHints ?? ws.inlayHints ?? true,
    };
  }

  /** Whether refreshes announce changes of used flags (interfaces.md "Change alerts"): initializationOptions, else workspace configuration, else on. */
  async changeAlerts(): Promise<boolean> {
    if (typeof this.init.changeAlerts === 'boolean') return this.init.changeAlerts;
    const ws = await this.workspace();
    return ws.changeAlerts ?? true;
  }

  /** Whether the index cache is kept for a folder (`posthog.cache`, default true). */
  async cacheEnabled(scopeUri?: string): Promise<boolean> {
    if (this.init.cache !== undefined) return this.init.cache;
    return (await this.workspace(scopeUri)).cache ?? true;
  }

  /** Seconds between background refreshes; 0 = only at start, on `posthog.refresh` and while failing. */
  async refreshSeconds(): Promise<number> {
    const ws = await this.workspace();
    const raw = Number(this.init.refreshInterval ?? ws.refreshInterval ?? this.env.POSTHOG_REFRESH_INTERVAL ?? DEFAULT_REFRESH_SECONDS);
    if (!Number.isFinite(raw) || raw < 0) return DEFAULT_REFRESH_SECONDS;
    return raw === 0 ? 0 : Math.max(raw, MIN_REFRESH_SECONDS);
  }
}

function pickScope(v: unknown): DiagnosticScope | undefined {
  if (v === 'openFiles' || v === 'workspace') return v;
  if (v === 'allFiles' || v === 'all') return 'workspace';
  return undefined;
}

/** Keeps only fields of the expected types; a workspace can never carry the key. */
export function sanitizeWorkspaceSettings(raw: unknown): WorkspaceSettings {
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, any>;
  const out: WorkspaceSettings = {};
  if (typeof r.host === 'string' && r.host.trim()) out.host = r.host.trim();
  if (typeof r.projectId === 'number' || (typeof r.projectId === 'string' && r.projectId.trim())) out.projectId = r.projectId;
  if (typeof r.flagsFile === 'string' && r.flagsFile.trim()) out.flagsFile = r.flagsFile.trim();
  if (typeof r.refreshInterval === 'number') out.refreshInterval = r.refreshInterval;
  if (r.diagnostics && typeof r.diagnostics === 'object') {
    const d = r.diagnostics;
    out.diagnostics = {};
    if (typeof d.scope === 'string') out.diagnostics.scope = d.scope as DiagnosticScope;
    if (d.severity && typeof d.severity === 'object') out.diagnostics.severity = { ...d.severity };
    if (typeof d.debounceMs === 'number') out.diagnostics.debounceMs = d.debounceMs;
  }
  if (r.severity && typeof r.severity === 'object') out.severity = { ...r.severity };
  if (Array.isArray(r.exclude)) out.exclude = r.exclude.filter((p: unknown) => typeof p === 'string');
  if (typeof r.inlayHints === 'boolean') out.inlayHints = r.inlayHints;
  if (typeof r.changeAlerts === 'boolean') out.changeAlerts = r.changeAlerts;
  if (typeof r.cache === 'boolean') out.cache = r.cache;
  return out;
}

export function sanitizeInitializationOptions(raw: unknown): InitializationOptions {
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, any>;
  const out: InitializationOptions = { ...sanitizeWorkspaceSettings(r) };
  if (typeof r.personalApiKey === 'string' && r.personalApiKey.trim()) out.personalApiKey = r.personalApiKey.trim();
  if (r.clientCommands === true) out.clientCommands = true;
  if (r.clientShowsChangeAlerts === true) out.clientShowsChangeAlerts = true;
  if (typeof r.cacheDir === 'string' && r.cacheDir.trim()) out.cacheDir = r.cacheDir.trim();
  return out;
}
