/**
 * A small LSP client for protocol tests: starts `dist/server.js --stdio`,
 * speaks JSON-RPC through vscode-languageserver-protocol, answers the
 * server's own requests (configuration, progress, registrations), records
 * every notification and the raw stdout stream (so tests can grep it for a
 * secret), and waits for events with deadlines — never sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
  InitializeParams,
  InitializeResult,
  Position,
} from 'vscode-languageserver-protocol';

/** The built server (PHF_SERVER_JS overrides it, e.g. for the benchmark bundle). */
export const SERVER_JS = process.env.PHF_SERVER_JS ?? join(__dirname, '..', '..', 'dist', 'server.js');

let cacheHome: string | undefined;

/** A cache home of this test process (removed when it exits). */
function testCacheHome(): string {
  if (!cacheHome) {
    const dir = mkdtempSync(join(tmpdir(), 'phf-cache-home-'));
    cacheHome = dir;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return cacheHome;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  /** Answer for `workspace/configuration` per item (section `posthog`, scopeUri). */
  configuration?: (item: { section?: string; scopeUri?: string }) => unknown;
  /** When true, the server's stderr goes to the test's stderr (debugging). */
  showStderr?: boolean;
  /** When false, the server's stdout is not kept as text (the benchmark: a growing string is GC work that lands in its timings). */
  keepStdout?: boolean;
}

export interface RecordedNotification {
  method: string;
  params: any;
  at: number;
}

type Waiter = { check: () => boolean; resolve: () => void };

export class LspTestClient {
  readonly notifications: RecordedNotification[] = [];
  readonly serverRequests: { method: string; params: any; at: number }[] = [];
  readonly diagnostics = new Map<string, any[]>();
  /** Count of publishDiagnostics per uri (for debounce assertions). */
  readonly publishCount = new Map<string, number>();
  /** Everything the server wrote on stdout, as text. */
  stdout = '';
  stderr = '';
  configuration: (item: { section?: string; scopeUri?: string }) => unknown;
  exitCode: number | null = null;
  private waiters: Waiter[] = [];
  private versions = new Map<string, number>();

  private constructor(readonly child: ChildProcess, readonly connection: MessageConnection, opts: StartOptions) {
    this.configuration = opts.configuration ?? (() => ({}));
  }

  static start(opts: StartOptions = {}): LspTestClient {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('POSTHOG_')) env[k] = v;
    // The server keeps an index cache by default: tests keep it out of the user's ~/.cache.
    env.XDG_CACHE_HOME = testCacheHome();
    for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const tap = new PassThrough();
    const connection = createMessageConnection(new StreamMessageReader(tap), new StreamMessageWriter(child.stdin!));
    const client = new LspTestClient(child, connection, opts);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (opts.keepStdout !== false) client.stdout += chunk.toString('utf8');
      tap.write(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      client.stderr += chunk.toString('utf8');
      if (opts.showStderr) process.stderr.write(chunk);
    });
    child.on('exit', (code) => {
      client.exitCode = code ?? -1;
      client.poke();
    });
    connection.onNotification((method: string, params: any) => {
      client.notifications.push({ method, params, at: Date.now() });
      if (method === 'textDocument/publishDiagnostics') {
        client.diagnostics.set(params.uri, params.diagnostics);
        client.publishCount.set(params.uri, (client.publishCount.get(params.uri) ?? 0) + 1);
      }
      client.poke();
    });
    // jsonrpc routes $/progress to progress handlers, not to the star handler above.
    connection.onUnhandledProgress((params: any) => {
      client.notifications.push({ method: '$/progress', params, at: Date.now() });
      client.poke();
    });
    connection.onRequest((method: string, params: any) => {
      client.serverRequests.push({ method, params, at: Date.now() });
      client.poke();
      if (method === 'workspace/configuration') return params.items.map((item: any) => client.configuration(item) ?? null);
      if (method === 'workspace/workspaceFolders') return null;
      return null; // window/workDoneProgress/create, client/registerCapability, …
    });
    connection.onError(() => undefined);
    connection.listen();
    return client;
  }

  /** initialize + initialized with sensible client capabilities (override via params). */
  async initialize(params: Partial<InitializeParams> & { rootDir?: string; folders?: string[] } = {}): Promise<InitializeResult> {
    const folders = params.folders ?? (params.rootDir ? [params.rootDir] : []);
    const { rootDir: _r, folders: _f, ...rest } = params;
    const full: InitializeParams = {
      processId: process.pid,
      rootUri: folders[0] ? uriOf(folders[0]) : null,
      workspaceFolders: folders.map((f) => ({ uri: uriOf(f), name: f.split('/').pop()! })),
      capabilities: defaultClientCapabilities(),
      ...rest,
    } as InitializeParams;
    const result = await this.connection.sendRequest('initialize', full);
    await this.connection.sendNotification('initialized', {});
    return result as InitializeResult;
  }

  request<R = any>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  async open(file: string, text: string, languageId = languageIdOf(file)): Promise<string> {
    const uri = uriOf(file);
    this.versions.set(uri, 1);
    await this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Full-text change of an open document. */
  async change(file: string, text: string): Promise<void> {
    const uri = uriOf(file);
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Incremental change of an open document (one range replaced). */
  async edit(file: string, range: { start: Position; end: Position }, text: string): Promise<void> {
    const uri = uriOf(file);
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  async close(file: string): Promise<void> {
    await this.notify('textDocument/didClose', { textDocument: { uri: uriOf(file) } });
  }

  hover(file: string, line: number, character: number): Promise<any> {
    return this.request('textDocument/hover', { textDocument: { uri: uriOf(file) }, position: { line, character } });
  }

  /** Resolves when `check()` is true, re-checked on every event; rejects after `ms`. */
  waitFor(what: string, check: () => boolean, ms = 10000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${ms} ms waiting for ${what}\nlast notifications: ${JSON.stringify(this.notifications.slice(-5)).slice(0, 2000)}\nstderr: ${this.stderr.slice(-1500)}`));
      }, ms);
      this.waiters.push(waiter);
    });
  }

  /** Waits for a notification (after index `since`) matching `match`; returns it. */
  async waitForNotification(method: string, match: (params: any) => boolean = () => true, ms = 10000, since = 0): Promise<any> {
    let found: RecordedNotification | undefined;
    await this.waitFor(`notification ${method}`, () => {
      found = this.notifications.slice(since).find((n) => n.method === method && match(n.params));
      return found !== undefined;
    }, ms);
    return found!.params;
  }

  /** Waits until the diagnostics of `file` satisfy `match`; returns them. */
  async waitForDiagnostics(file: string, match: (d: any[]) => boolean, ms = 10000): Promise<any[]> {
    const uri = uriOf(file);
    await this.waitFor(`diagnostics of ${file} matching`, () => {
      const d = this.diagnostics.get(uri);
      return d !== undefined && match(d);
    }, ms);
    return this.diagnostics.get(uri)!;
  }

  /** `posthog.refresh` (re-fetch flags now). */
  executeRefresh(): Promise<any> {
    return this.request('workspace/executeCommand', { command: 'posthog.refresh', arguments: [{}] });
  }

  statuses(): any[] {
    return this.notifications.filter((n) => n.method === 'posthog/status').map((n) => n.params);
  }

  async stop(): Promise<void> {
    if (this.exitCode === null) {
      try {
        await withDeadline(this.request('shutdown', null), 3000);
        await this.notify('exit', null);
      } catch {
        /* killed below */
      }
      try {
        await this.waitFor('server exit', () => this.exitCode !== null, 3000);
      } catch {
        this.child.kill('SIGKILL');
      }
    }
    this.connection.dispose();
  }

  private poke(): void {
    for (const w of [...this.waiters]) {
      if (w.check()) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve();
      }
    }
  }
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

export function languageIdOf(file: string): string {
  const ext = file.slice(file.lastIndexOf('.'));
  return (
    { '.ts': 'typescript', '.tsx': 'typescriptreact', '.js': 'javascript', '.jsx': 'javascriptreact', '.py': 'python', '.go': 'go' } as Record<string, string>
  )[ext] ?? 'plaintext';
}

export function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`deadline ${ms} ms`)), ms);
    p.then((v) => (clearTimeout(t), resolve(v)), (e) => (clearTimeout(t), reject(e)));
  });
}

export function defaultClientCapabilities(): any {
  return {
    workspace: {
      configuration: true,
      workspaceFolders: true,
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
      workspaceEdit: { documentChanges: true },
      executeCommand: { dynamicRegistration: false },
      symbol: {},
    },
    window: { workDoneProgress: true },
    textDocument: {
      synchronization: { dynamicRegistration: false },
      hover: { contentFormat: ['markdown', 'plaintext'] },
      completion: { completionItem: { documentationFormat: ['markdown', 'plaintext'], snippetSupport: false } },
      publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor'] } }, isPreferredSupport: true },
      rename: { prepareSupport: true },
      definition: {},
      references: {},
      documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    },
  };
}
