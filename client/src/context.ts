/**
 * The one object that owns the extension's state: the LanguageClient, the
 * credentials in use, and every disposable (rust-analyzer's `Ctx` shape).
 * Restarting the server is `restart()`: it stops the old client, disposes
 * what belonged to it, and starts a new one with fresh initializationOptions.
 */
import * as vscode from 'vscode';
import * as readline from 'node:readline';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { LANGUAGE_IDS } from '../../server/src/shared';
import { FILE_PATTERN_WITHOUT_LANGUAGE } from './constants';
import {
  COMMANDS_ALLOWED_IN_LINKS,
  CONFIG_SECTION,
  ENV_AUTO_CONFIRM,
  OUTPUT_CHANNEL_NAME,
  SECRET_CREDENTIALS,
  STATE_CONFIRMED_HOSTS,
  STATE_IDENTITY,
  US_CLOUD,
} from './constants';
import { FLAGS_CHANGED_NOTIFICATION, type FlagsChangedParams, REPORT_CHANGED_NOTIFICATION, STATUS_NOTIFICATION, type StatusParams, type WhoAmIResult, WHOAMI_REQUEST } from './protocol';
import { CrashTracker, StderrTail } from './server-health';
import { decideKeyHost, effectiveValue, sanitizeSection, type Inspection } from './settings';

/** The key and the host it was checked against. Never logged. */
export interface Credentials {
  host: string;
  key: string;
}

/** What the status bar shows: the server's last status, or the client's own view before it. */
export type ClientStatus = StatusParams | { state: 'starting' | 'signedOut' | 'stopped'; message?: string; flagCount?: number; fetchedAt?: string };

/** Who the key belongs to and its project (`posthog/whoami`). */
export type Identity = Extract<WhoAmIResult, { ok: true }>;

/**
 * Where the running server's flags come from, as the client started it: the
 * API with a key, a snapshot file (which wins over a key: the server then
 * writes nothing), or nothing yet. Decides the context keys that show or
 * hide write actions and the welcome view.
 */
export interface FlagSourceInfo {
  kind: 'api' | 'file' | 'none';
  host: string;
  flagsFile?: string;
}

/** What workspaceState remembers of the identity, so the status bar names the project right after a reload. */
interface StoredIdentity {
  host: string;
  projectSetting: string;
  identity: Identity;
}

export interface ConfirmRequest {
  message: string;
  detail: string;
  confirmLabel: string;
  loud: boolean;
}

export class Ctx implements vscode.Disposable {
  /** Disposed when the extension deactivates. */
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Disposed with the current client (notification handlers). */
  private clientSubscriptions: vscode.Disposable[] = [];
  private languageClient: LanguageClient | undefined;
  private credentialsInMemory: Credentials | undefined;
  private lifecycle: Promise<void> = Promise.resolve();
  private askedHosts = new Set<string>();
  /** What the running server was started with (host, project, flags file, key present): restart only when it changes. */
  private startedWith: string | undefined;
  /** Resolves with the first `posthog/status` of the current server (or a start failure). */
  private firstStatus: Promise<ClientStatus> = Promise.resolve({ state: 'stopped' });
  private resolveFirstStatus: ((status: ClientStatus) => void) | undefined;
  /** Crashes of the server process (across automatic restarts; reset when the user restarts). */
  private readonly crashes = new CrashTracker();
  /** The server's last stderr lines, for the line that says why it died. */
  private readonly stderrTail = new StderrTail();

  readonly output: vscode.LogOutputChannel;
  status: ClientStatus = { state: 'starting' };
  identity: Identity | undefined;
  /** Where the current server's flags come from (set when it starts). */
  source: FlagSourceInfo = { kind: 'none', host: US_CLOUD };
  /** whoami was asked for the current server already (once per start, in the background). */
  private identityAsked = false;
  /** The last confirmation asked (tests read it through the exported API). */
  lastConfirmation: ConfirmRequest | undefined;

  private readonly statusEmitter = new vscode.EventEmitter<ClientStatus>();
  readonly onDidChangeStatus = this.statusEmitter.event;
  private readonly reportEmitter = new vscode.EventEmitter<void>();
  /** Fires when the Flag Explorer should re-read the report. */
  readonly onDidChangeReport = this.reportEmitter.event;
  private readonly flagsChangedEmitter = new vscode.EventEmitter<FlagsChangedParams>();
  /** `posthog/flagsChanged` from the running server (change-alerts.ts shows it). */
  readonly onDidChangeFlags = this.flagsChangedEmitter.event;
  /** The notifications the last `posthog/flagsChanged` became (tests read it through the exported API). */
  lastChangeNotices: unknown[] = [];

  constructor(readonly extensionContext: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
    this.push(this.output, this.statusEmitter, this.reportEmitter, this.flagsChangedEmitter);
  }

  push(...disposables: vscode.Disposable[]): void {
    this.subscriptions.push(...disposables);
  }

  get client(): LanguageClient | undefined {
    return this.languageClient;
  }

  // --- credentials -------------------------------------------------------

  async credentials(): Promise<Credentials | undefined> {
    if (this.credentialsInMemory) return this.credentialsInMemory;
    const raw = await this.extensionContext.secrets.get(SECRET_CREDENTIALS);
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<Credentials>;
      if (typeof parsed.host === 'string' && typeof parsed.key === 'string') {
        this.credentialsInMemory = { host: parsed.host, key: parsed.key };
        return this.credentialsInMemory;
      }
    } catch {
      // fall through: a corrupt entry is treated as signed out
    }
    return undefined;
  }

  /** Uses these credentials from now on (restarts the server); `persist` stores them in SecretStorage. */
  async useCredentials(credentials: Credentials | undefined, persist: boolean, restart = true): Promise<void> {
    this.credentialsInMemory = credentials;
    if (persist) {
      if (credentials) await this.extensionContext.secrets.store(SECRET_CREDENTIALS, JSON.stringify(credentials));
      else {
        await this.extensionContext.secrets.delete(SECRET_CREDENTIALS);
        await this.extensionContext.workspaceState.update(STATE_IDENTITY, undefined);
      }
    }
    if (!restart) return;
    this.identity = undefined;
    await this.restart();
  }

  /** Another window changed the stored credentials: follow it when they differ from ours. */
  async reloadCredentialsIfChanged(): Promise<void> {
    const raw = await this.extensionContext.secrets.get(SECRET_CREDENTIALS);
    const mine = this.credentialsInMemory ? JSON.stringify(this.credentialsInMemory) : undefined;
    if (raw === mine) return;
    this.credentialsInMemory = undefined;
    this.identity = undefined;
    await this.restart();
  }

  confirmedHosts(): string[] {
    return this.extensionContext.globalState.get<string[]>(STATE_CONFIRMED_HOSTS, []);
  }

  async confirmHost(host: string): Promise<void> {
    const hosts = new Set(this.confirmedHosts());
    hosts.add(host);
    await this.extensionContext.globalState.update(STATE_CONFIRMED_HOSTS, [...hosts]);
  }

  // --- settings ------------------------------------------------------------

  private inspect<T>(name: string): Inspection<T> | undefined {
    return vscode.workspace.getConfiguration(CONFIG_SECTION).inspect<T>(name);
  }

  configuredHost(): string | undefined {
    const value = effectiveValue(this.inspect<string>('host'), vscode.workspace.isTrusted);
    return value ? value : undefined;
  }

  projectId(): string | number {
    const value = effectiveValue(this.inspect<string | number>('projectId'), vscode.workspace.isTrusted);
    return value === undefined || value === '' ? '@current' : value;
  }

  flagsFile(): string {
    const value = effectiveValue(this.inspect<string>('flagsFile'), vscode.workspace.isTrusted) ?? '';
    if (!value) return '';
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder && !value.startsWith('/') && !/^[a-zA-Z]:[\\/]/.test(value)) return vscode.Uri.joinPath(folder.uri, value).fsPath;
    return value;
  }

  /** The host the server uses (and sends the key to). */
  async keyHost(): Promise<{ host: string; pendingHost?: string }> {
    const creds = await this.credentials();
    const decision = decideKeyHost(this.configuredHost(), creds?.host, this.confirmedHosts());
    return { host: decision.host ?? US_CLOUD, pendingHost: decision.pendingHost };
  }

  /** The `posthog` settings section as the server may see it: no key, restricted values resolved. */
  async serverSettings(): Promise<Record<string, unknown>> {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    const section: Record<string, unknown> = {};
    for (const name of ['severity', 'exclude', 'refreshInterval', 'diagnostics', 'trace', 'changeAlerts', 'inlayHints', 'cache']) section[name] = config.get(name);
    return sanitizeSection(section, { host: (await this.keyHost()).host, projectId: this.projectId(), flagsFile: this.flagsFile() });
  }

  // --- language client -------------------------------------------------------

  /** Serializes start/stop/restart so concurrent calls never run two servers. */
  private serialize(step: () => Promise<void>): Promise<void> {
    const next = this.lifecycle.then(step, step);
    this.lifecycle = next.catch(() => undefined);
    return next;
  }

  start(): Promise<void> {
    return this.serialize(() => this.startNow());
  }

  restart(): Promise<void> {
    return this.serialize(async () => {
      await this.stopNow();
      await this.startNow();
    });
  }

  stop(): Promise<void> {
    return this.serialize(() => this.stopNow());
  }

  /** The Restart command: a stopped crash loop counts from zero again. */
  restartByUser(): Promise<void> {
    this.crashes.reset();
    return this.restart();
  }

  /**
   * The server process ended without being asked to. Restart it (the status
   * says so, without a flag count), or after CRASH_LIMIT crashes stop: the
   * status bar says the server stopped, with the last error line, and one
   * notification (once per loop) offers Restart and Show Log.
   */
  private serverClosed(client: LanguageClient): { action: CloseAction; handled: true } {
    const decision = this.crashes.crashed(Date.now(), this.stderrTail.take());
    this.output.error(`[client] ${decision.message}`);
    if (this.languageClient !== client) return { action: CloseAction.DoNotRestart, handled: true };
    if (decision.action === 'restart') {
      this.setStatus({ state: 'starting', message: decision.message });
      return { action: CloseAction.Restart, handled: true };
    }
    this.setStatus({ state: 'stopped', message: decision.message });
    this.reportEmitter.fire();
    if (decision.notify) {
      void vscode.window.showErrorMessage(decision.message, 'Restart', 'Show Log').then((choice) => {
        if (choice === 'Restart') void this.restartByUser();
        else if (choice === 'Show Log') this.output.show(true);
      });
    }
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  private async startNow(): Promise<void> {
    const creds = await this.credentials();
    const { host, pendingHost } = await this.keyHost();
    const settings = await this.serverSettings();
    const serverModule = this.extensionContext.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.stdio },
      debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const documentSelector = [
      ...LANGUAGE_IDS.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      // Without a Kotlin, Swift or Dart extension VS Code opens these files as plain text: match them by name too.
      { scheme: 'file', pattern: FILE_PATTERN_WITHOUT_LANGUAGE },
    ];
    let client: LanguageClient | undefined = undefined;
    // The key goes to the server only for its own host or one the user confirmed (else the server has none).
    const sentKey = creds && (host === creds.host || this.confirmedHosts().includes(host)) ? creds.key : undefined;
    const clientOptions: LanguageClientOptions = {
      documentSelector,
      outputChannel: this.output,
      // As the default (each line to the log), and the last lines kept to say why the server died.
      stdioOptions: {
        stdout: (input, channel) => readline.createInterface({ input, crlfDelay: Infinity, terminal: false }).on('line', (line) => channel.info(line)),
        stderr: (input, channel) =>
          readline.createInterface({ input, crlfDelay: Infinity, terminal: false }).on('line', (line) => {
            this.stderrTail.push(line);
            channel.error(line);
          }),
      },
      errorHandler: {
        // Read/write errors on the connection: carry on a few times, then shut down (the default).
        error: (_error, _message, count) => ({ action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
        closed: () => this.serverClosed(client!),
      },
      markdown: { isTrusted: { enabledCommands: COMMANDS_ALLOWED_IN_LINKS }, supportThemeIcons: true },
      initializationOptions: {
        ...settings,
        host,
        projectId: this.projectId(),
        flagsFile: this.flagsFile(),
        // Hovers and code actions may point at the posthogFlags.* commands (they confirm first).
        clientCommands: true,
        // change-alerts.ts shows posthog/flagsChanged: the server sends no second warning.
        clientShowsChangeAlerts: true,
        // The index cache lives in this workspace's storage (none without a workspace: the server's default place).
        cacheDir: this.extensionContext.storageUri?.fsPath,
        // Only here, never in settings or logs (interfaces.md).
        personalApiKey: sentKey,
      },
      middleware: {
        workspace: {
          // The server registers for didChangeConfiguration (settings: null, then it pulls).
          // Never fail loudly for a client that is being replaced.
          didChangeConfiguration: async (sections, next) => {
            if (this.languageClient !== client || !client?.isRunning()) return;
            try {
              await next(sections);
            } catch (error) {
              this.output.appendLine(`[client] didChangeConfiguration: ${errorText(error)}`);
            }
          },
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            if (!Array.isArray(result)) return result;
            const sanitized = await this.serverSettings();
            return params.items.map((item, i) => {
              if (item.section === CONFIG_SECTION) return sanitized;
              if (item.section?.startsWith(`${CONFIG_SECTION}.`)) return sanitized[item.section.slice(CONFIG_SECTION.length + 1)] ?? result[i];
              return result[i];
            });
          },
        },
      },
    };
    client = new LanguageClient('posthog', OUTPUT_CHANNEL_NAME, serverOptions, clientOptions);
    this.languageClient = client;
    this.startedWith = this.connectionIdentity(host, creds);
    this.firstStatus = new Promise((resolve) => (this.resolveFirstStatus = resolve));
    this.clientSubscriptions.push(
      client.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => {
        const before = this.status;
        this.setStatus(params);
        // A status that only carries a new fetch time changes no row (changed flags come with posthog/reportChanged).
        if (before.state !== params.state || before.flagCount !== params.flagCount || before.message !== params.message) this.reportEmitter.fire();
      }),
      client.onNotification(REPORT_CHANGED_NOTIFICATION, () => this.reportEmitter.fire()),
      client.onNotification(FLAGS_CHANGED_NOTIFICATION, (params: FlagsChangedParams) => this.flagsChangedEmitter.fire(params)),
    );
    const flagsFile = this.flagsFile();
    this.source = flagsFile ? { kind: 'file', host, flagsFile } : sentKey ? { kind: 'api', host } : { kind: 'none', host };
    this.identityAsked = false;
    if (this.source.kind === 'api') this.identity ??= this.storedIdentity(host);
    else this.identity = undefined;
    const signedOutMessage = creds ? `Your key is for ${creds.host}: confirm ${host} to use it there.` : 'Not signed in to PostHog.';
    this.setStatus(this.source.kind !== 'none' ? { state: 'starting' } : { state: 'signedOut', message: signedOutMessage });
    await this.updateContextKeys(creds !== undefined);
    try {
      await client.start();
    } catch (error) {
      this.setStatus({ state: 'error', message: `The PostHog language server did not start: ${errorText(error)}` });
      this.output.appendLine(`[client] server start failed: ${errorText(error)}`);
      return;
    }
    this.reportEmitter.fire();
    if (pendingHost) void this.askAboutHost(pendingHost, creds?.host);
  }

  private async stopNow(): Promise<void> {
    const client = this.languageClient;
    this.languageClient = undefined;
    for (const d of this.clientSubscriptions.splice(0)) d.dispose();
    if (client) {
      try {
        await client.dispose(2000);
      } catch (error) {
        this.output.appendLine(`[client] stop: ${errorText(error)}`);
      }
    }
    this.setStatus({ state: 'stopped' });
  }

  /** A configured host differs from the key's host: ask once per session before sending the key there. */
  private async askAboutHost(pendingHost: string, signedInHost: string | undefined): Promise<void> {
    if (this.askedHosts.has(pendingHost)) return;
    this.askedHosts.add(pendingHost);
    const send = `Send Key to ${pendingHost}`;
    const answer = await this.confirm({
      message: `The posthog.host setting points to ${pendingHost}, but you signed in at ${signedInHost ?? 'another host'}.`,
      detail: `Your personal API key is only sent to ${signedInHost}. Send it to ${pendingHost} from now on?`,
      confirmLabel: send,
      loud: true,
    });
    if (!answer) return;
    await this.confirmHost(pendingHost);
    await this.restart();
  }

  private connectionIdentity(host: string, creds: Credentials | undefined): string {
    return JSON.stringify([host, this.projectId(), this.flagsFile(), creds?.host ?? null, creds !== undefined]);
  }

  /**
   * Settings changed. Host, project and flags file go in initializationOptions:
   * restart when they differ from what the server started with. Other
   * settings reach the server through didChangeConfiguration (sent by the
   * LanguageClient, since the server registers for it) and its pull.
   */
  async onConfigurationChanged(event: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!['host', 'projectId', 'flagsFile'].some((n) => event.affectsConfiguration(`${CONFIG_SECTION}.${n}`))) return;
    await this.lifecycle;
    const creds = await this.credentials();
    if (this.connectionIdentity((await this.keyHost()).host, creds) === this.startedWith) return;
    this.identity = undefined;
    await this.restart();
  }

  /**
   * Context keys for menus, the command palette and the welcome view:
   * `posthogFlags.signedIn`, `posthogFlags.flagSource` (`api`, `file` or
   * `none`) and `posthogFlags.canWrite` (a key and no snapshot file: only
   * then can the server create, toggle or change a flag).
   */
  private async updateContextKeys(signedIn: boolean): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'posthogFlags.signedIn', signedIn);
    await vscode.commands.executeCommand('setContext', 'posthogFlags.flagSource', this.source.kind);
    await vscode.commands.executeCommand('setContext', 'posthogFlags.canWrite', this.canWrite());
  }

  /** Writes can work: flags come from the API with a key (a snapshot file wins over a key, and the server then refuses writes). */
  canWrite(): boolean {
    return this.source.kind === 'api';
  }

  // --- identity ----------------------------------------------------------------

  private storedIdentity(host: string): Identity | undefined {
    const stored = this.extensionContext.workspaceState.get<StoredIdentity>(STATE_IDENTITY);
    return stored && stored.host === host && stored.projectSetting === String(this.projectId()) ? stored.identity : undefined;
  }

  /** Uses this identity from now on and remembers it for this workspace (no key in it). */
  async rememberIdentity(identity: Identity): Promise<void> {
    this.identity = identity;
    this.statusEmitter.fire(this.status);
    const stored: StoredIdentity = { host: this.source.host, projectSetting: String(this.projectId()), identity };
    await this.extensionContext.workspaceState.update(STATE_IDENTITY, stored);
  }

  /** After the first good fetch with a key, learn (or re-check) the user and the project's name, once per server start. */
  private refreshIdentitySoon(): void {
    if (this.identityAsked || this.source.kind !== 'api') return;
    this.identityAsked = true;
    void this.whoami().catch((error) => this.output.appendLine(`[client] whoami: ${errorText(error)}`));
  }

  // --- status ----------------------------------------------------------------

  setStatus(status: ClientStatus): void {
    if (status.state !== 'starting' && status.state !== 'signedOut') {
      this.resolveFirstStatus?.(status);
      this.resolveFirstStatus = undefined;
    }
    if (status.state === 'ok') this.refreshIdentitySoon();
    this.status = status;
    this.statusEmitter.fire(status);
  }

  // --- requests and commands to the server -----------------------------------

  async sendRequest<R>(method: string, params: unknown = {}): Promise<R> {
    await this.lifecycle;
    const client = this.languageClient;
    if (!client || !client.isRunning()) throw new Error('The PostHog language server is not running.');
    return client.sendRequest<R>(method, params);
  }

  executeServerCommand<R>(command: string, arg: object): Promise<R> {
    return this.sendRequest<R>('workspace/executeCommand', { command, arguments: [arg] });
  }

  /** Waits until the running server reported its first status (its first fetch is done), at most `timeoutMs`. */
  async serverReady(timeoutMs: number): Promise<ClientStatus | undefined> {
    await this.lifecycle;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    try {
      return await Promise.race([this.firstStatus, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async whoami(): Promise<WhoAmIResult> {
    this.identityAsked = true;
    await this.serverReady(20000);
    const result = await this.sendRequest<WhoAmIResult>(WHOAMI_REQUEST, {});
    if (result.ok) await this.rememberIdentity(result);
    return result;
  }

  // --- confirmation ------------------------------------------------------------

  /** A modal confirmation. In tests, ENV_AUTO_CONFIRM=yes|no answers it. */
  async confirm(request: ConfirmRequest): Promise<boolean> {
    this.lastConfirmation = request;
    const auto = process.env[ENV_AUTO_CONFIRM];
    if (auto === 'yes' || auto === 'no') {
      this.output.appendLine(`[client] auto-${auto === 'yes' ? 'confirmed' : 'declined'}: ${request.message}`);
      return auto === 'yes';
    }
    const show = request.loud ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const answer = await show(request.message, { modal: true, detail: request.detail }, request.confirmLabel);
    return answer === request.confirmLabel;
  }

  dispose(): void {
    void this.stop();
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
