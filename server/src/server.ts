/**
 * The PostHog flags language server: `node dist/server.js --stdio`.
 *
 * Only wiring lives here: the connection, the capabilities chosen from what
 * the client supports, and one guarded handler per feature
 * (server/src/features/*, each a plain function over the state in
 * server/src/lsp/state.ts). Every outgoing message passes through a writer
 * that removes the personal API key, whatever a bug might put in it.
 */
import {
  AbstractMessageWriter,
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type Message,
  type MessageWriter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { LANGUAGES_BY_EXTENSION } from './core/languages';
import { PROJECT_CONFIG_GLOB } from './core/index/module-resolution';
import { codeActions } from './features/code-actions';
import { executeCommand } from './features/commands';
import { fileDiagnostics } from './features/diagnostics';
import { completion, resolveCompletion } from './features/completion';
import { definition } from './features/definition';
import { hover } from './features/hover';
import { inlayHints } from './features/inlay-hints';
import { references } from './features/references';
import { prepareRename, rename } from './features/rename';
import { report } from './features/report';
import { documentSymbols, workspaceSymbols } from './features/symbols';
import { announceChanges } from './lsp/change-alerts';
import { DiagnosticsPublisher } from './lsp/diagnostics-publisher';
import { FlagStore, type LoadResult } from './lsp/flag-store';
import { configIdentity, debugSourceFor, loadSnapshotFile, resolveFlagSource, writesUnavailable, type FlagSourceConfig } from './lsp/flag-source';
import { createApiAccess, type ApiAccess } from './lsp/api-access';
import { DebugPerson } from './lsp/debug-person';
import { Folders } from './lsp/folders';
import { errorText } from './core/words';
import { ServerCommand } from './shared/commands';
import { FLAGS_CHANGED_NOTIFICATION, REPORT_CHANGED_NOTIFICATION, REPORT_REQUEST, STATUS_NOTIFICATION, WHOAMI_REQUEST, type StatusParams } from './shared/protocol';
import { createIndex, createSource, grammarReady, prepareGrammars, prepareTreeSitter, treeSitterRuntime } from './lsp/index-factory';
import { IndexCaches, resultKey } from './lsp/index-cache';
import { countIncoming, countStarted, DebouncedBatch } from './lsp/scheduling';
import { sanitizeInitializationOptions, SettingsStore } from './lsp/settings';
import { uriToPath } from './lsp/positions';
import type { ClientSupport, LogLevel, ServerState } from './lsp/state';
import { redact, redactSecret } from './posthog/redact';

/** Secrets that must never leave the process (the key, once known). */
const secrets: string[] = [];

/** Wraps the stdout writer: any message whose JSON holds a secret is rewritten without it. */
class RedactingWriter extends AbstractMessageWriter implements MessageWriter {
  constructor(private readonly inner: MessageWriter) {
    super();
    inner.onError((e) => this.fireError(e[0], e[1], e[2]));
    inner.onClose(() => this.fireClose());
  }
  write(msg: Message): Promise<void> {
    if (secrets.length) {
      const json = JSON.stringify(msg);
      // Also catches the key escaped on its way out (Markdown `\_` in a hover, doubled in JSON).
      const clean = secrets.reduce((text, s) => redactSecret(text, s), json);
      if (clean !== json) msg = JSON.parse(clean) as Message;
    }
    return this.inner.write(msg);
  }
  end(): void {
    this.inner.end();
  }
}

// Messages read and started are counted so background work lets every waiting request through when it yields (lsp/scheduling.ts).
const connection: Connection = createConnection(countIncoming(new StreamMessageReader(process.stdin)), new RedactingWriter(new StreamMessageWriter(process.stdout)), { messageStrategy: countStarted });
const documents = new TextDocuments(TextDocument);

let state: ServerState;
let folders: Folders;
let publisher: DiagnosticsPublisher;
let caches: IndexCaches | undefined;
let api: ApiAccess | undefined;
let sourceConfig: FlagSourceConfig | undefined;
let flagsFileWatcher: FSWatcher | undefined;
const reportChanged = new DebouncedBatch<string>(() => void connection.sendNotification(REPORT_CHANGED_NOTIFICATION, {}).catch(() => undefined), 500, 2000);
const diskChanges = new DebouncedBatch<string>((uris) => folders.diskChanges(uris), 150, 1000);
/** Asks the client to re-request inlay hints (flags, the index or the setting changed), when it supports that. */
const hintsChanged = new DebouncedBatch<string>(() => {
  if (state?.support.inlayHintRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
}, 100, 1000);

function log(level: LogLevel, message: string): void {
  const text = redact(message, secrets[0]);
  const send = { error: connection.console.error, warn: connection.console.warn, info: connection.console.info, log: connection.console.log }[level];
  try {
    send.call(connection.console, text);
  } catch {
    /* connection gone */
  }
}

/** Runs a feature; a failure is logged (without the key) and answered with `fallback`. ResponseErrors pass through. */
function guard<P, R>(name: string, fallback: R, fn: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
  return async (params: P) => {
    try {
      return await fn(params);
    } catch (e) {
      if (e instanceof ResponseError) throw new ResponseError(e.code, redact(e.message, secrets[0]), e.data);
      log('error', `${name} failed: ${errorText(e)}`);
      return fallback;
    }
  };
}

function supportOf(caps: ClientCapabilities): ClientSupport {
  const td = caps.textDocument ?? {};
  return {
    markdown: td.hover?.contentFormat?.includes('markdown') ?? false,
    completionMarkdown: td.completion?.completionItem?.documentationFormat?.includes('markdown') ?? false,
    workDoneProgress: caps.window?.workDoneProgress ?? false,
    configuration: caps.workspace?.configuration ?? false,
    workspaceFolders: caps.workspace?.workspaceFolders ?? false,
    watchedFilesDynamic: caps.workspace?.didChangeWatchedFiles?.dynamicRegistration ?? false,
    relativePatterns: caps.workspace?.didChangeWatchedFiles?.relativePatternSupport ?? false,
    relatedInformation: td.publishDiagnostics?.relatedInformation ?? false,
    showDocument: caps.window?.showDocument?.support ?? false,
    documentChanges: caps.workspace?.workspaceEdit?.documentChanges ?? false,
    changeAnnotations: caps.workspace?.workspaceEdit?.changeAnnotationSupport !== undefined,
    hierarchicalSymbols: td.documentSymbol?.hierarchicalDocumentSymbolSupport ?? false,
    codeActionLiterals: td.codeAction?.codeActionLiteralSupport !== undefined,
    inlayHintRefresh: caps.workspace?.inlayHint?.refreshSupport ?? false,
  };
}

let initialFolders: Array<{ uri: string; name: string }> = [];

/** `posthog/status`, with the person being debugged (interfaces.md "Debugging"). */
function sendStatus(status: StatusParams): void {
  const debugging = state?.debug.distinctId;
  void connection.sendNotification(STATUS_NOTIFICATION, debugging !== undefined ? { ...status, debugging } : status).catch(() => undefined);
}

/** The flags changed: the person being debugged is evaluated again (last values kept if that fails). */
function reevaluateDebugPerson(): void {
  if (state?.debug.distinctId === undefined) return;
  void state.debug.reload().then(
    (r) => {
      if (!r.ok) log('warn', `Could not evaluate the flags again for ${state.debug.distinctId}: ${r.message}`);
    },
    (e) => log('error', `re-evaluating the debugged person failed: ${errorText(e)}`),
  );
}
let didChangeConfigurationDynamic = false;
let prepareRenameSupport = false;

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const support = supportOf(params.capabilities);
  const init = sanitizeInitializationOptions(params.initializationOptions);
  if (init.personalApiKey) secrets.push(init.personalApiKey);
  if (process.env.POSTHOG_PERSONAL_API_KEY?.trim()) secrets.push(process.env.POSTHOG_PERSONAL_API_KEY.trim());
  didChangeConfigurationDynamic = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration ?? false;
  prepareRenameSupport = params.capabilities.textDocument?.rename?.prepareSupport ?? false;
  const settings = new SettingsStore(
    init,
    support.configuration ? (scopeUri) => connection.workspace.getConfiguration({ scopeUri, section: 'posthog' }) : undefined,
    process.env,
  );
  state = {
    folders: new Map(),
    documents,
    flags: new FlagStore(async () => ({ ok: false, state: 'error', message: 'not configured yet' }), {
      onFlagsChanged: (snapshot, previous) => {
        publisher?.markAll();
        reportChanged.add('flags');
        hintsChanged.add('flags');
        reevaluateDebugPerson();
        void announceChanges(state, previous, snapshot, {
          notify: (params) => void connection.sendNotification(FLAGS_CHANGED_NOTIFICATION, params).catch(() => undefined),
          // A notification, not showMessageRequest: nothing waits on the user.
          warn: (message) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }).catch(() => undefined),
          republish: (folder, files) => publisher?.markFiles(folder, files),
        }).catch((e) => log('error', `change alerts failed: ${errorText(e)}`));
      },
      onStatus: sendStatus,
    }, 30_000),
    settings,
    support,
    clientCommands: init.clientCommands === true,
    flagSource: 'none',
    link: {},
    log,
    now: () => new Date(),
    debug: new DebugPerson(() => debugSourceFor(sourceConfig, api), () => {
      if (state.flags.status) sendStatus(state.flags.status);
      hintsChanged.add('debug');
    }),
  };
  publisher = new DiagnosticsPublisher(state, connection, fileDiagnostics, 200);
  folders = new Folders(state, connection, {
    createIndex,
    createSource,
    prepareFiles: prepareGrammars,
    fileReady: grammarReady,
    onFilesChanged: (folder, files, now) => {
      if (files.length === 0) return;
      publisher.markFiles(folder, files);
      if (now) void publisher.flushNow();
      reportChanged.add('usages');
      caches?.changed(folder);
    },
    onIndexed: (folder) => {
      reportChanged.add('indexed');
      hintsChanged.add('indexed');
      caches?.indexed(folder);
    },
    openCache: (folder) => caches!.openFor(folder),
    resultKey: (listing, configs) => resultKey(listing, configs, treeSitterRuntime() !== undefined),
    storedResult: (folder, source, key, files) => caches!.storedResult(folder, source, key, files),
    keepResult: (folder, key, files, result) => caches?.keepResult(folder, key, files, result),
  });
  caches = new IndexCaches(state);
  initialFolders =
    params.workspaceFolders?.map((f) => ({ uri: f.uri, name: f.name })) ??
    (params.rootUri ? [{ uri: params.rootUri, name: params.rootUri.split('/').pop() ?? 'root' }] : []);

  const triggerCharacters = ["'", '"', '`'];
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      completionProvider: { triggerCharacters, resolveProvider: true },
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: prepareRenameSupport ? { prepareProvider: true } : true,
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
      inlayHintProvider: true,
      codeActionProvider: support.codeActionLiterals ? { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] } : true,
      executeCommandProvider: { commands: Object.values(ServerCommand) },
      workspace: support.workspaceFolders ? { workspaceFolders: { supported: true, changeNotifications: true } } : undefined,
    },
    serverInfo: { name: 'posthog-flags', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  try {
    if (didChangeConfigurationDynamic) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'posthog' }).catch(() => undefined);
    if (state.support.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const removed of e.removed) {
          const folder = folders.remove(removed.uri);
          if (folder) publisher.clearFolder(folder);
          if (folder) caches?.close(folder);
        }
        for (const added of e.added) folders.add(added.uri, added.name);
        reportChanged.add('folders');
      });
    }
    if (state.support.watchedFilesDynamic) {
      const extensions = Object.keys(LANGUAGES_BY_EXTENSION).map((e) => e.slice(1)).join(',');
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: `**/*.{${extensions}}` }, { globPattern: PROJECT_CONFIG_GLOB }],
        })
        .catch(() => undefined);
    }
    await prepareTreeSitter(log);
    for (const f of initialFolders) folders.add(f.uri, f.name);
    await configureFlagSource();
  } catch (e) {
    log('error', `start-up failed: ${errorText(e)}`);
  }
});

/** (Re)reads the flag source settings; reconfigures the store when they changed. */
async function configureFlagSource(): Promise<void> {
  const ws = await state.settings.workspace();
  const firstRoot = [...state.folders.values()].find((f) => !f.loose)?.root;
  const resolved = resolveFlagSource(state.settings.init, ws, process.env, firstRoot);
  for (const note of resolved.notes) log('warn', note);
  const intervalMs = (await state.settings.refreshSeconds()) * 1000;
  const config = resolved.config;
  state.link = { host: config.host, projectId: config.projectId };
  state.flagSource = config.kind;
  if (config.kind === 'api' && !secrets.includes(config.key)) secrets.push(config.key);
  if (sourceConfig && configIdentity(sourceConfig) === configIdentity(config)) return;
  if (sourceConfig) {
    state.flags.forget(); // no flags of the previous source are kept (signed out: nothing is known)
    state.debug.clear(); // nor values computed from its definitions (the client may set the person again)
  }
  sourceConfig = config;
  api?.dispose();
  api = undefined;
  flagsFileWatcher?.close();
  flagsFileWatcher = undefined;
  let load: () => Promise<LoadResult>;
  if (config.kind === 'api') {
    api = createApiAccess(config, log, (key) => state.flags.snapshot?.byKey.get(key)?.version);
    load = () => api!.load();
  } else if (config.kind === 'file') {
    load = () => loadSnapshotFile(config.path);
    watchFlagsFile(config.path);
  } else {
    const reason = config.reason;
    load = async () => ({ ok: false, state: 'unauthenticated', message: reason });
  }
  log('info', `flags from ${config.kind === 'api' ? `${config.host} (project ${config.projectId})` : config.kind === 'file' ? config.path : 'nowhere (no key)'}`);
  void state.flags.reconfigure(load, config.kind === 'file' ? 0 : intervalMs);
}

/** A snapshot file is re-read when it changes (node's watcher, on its folder so a replaced file is seen). */
function watchFlagsFile(path: string): void {
  try {
    const base = path.split('/').pop();
    const reread = new DebouncedBatch<string>(() => void state.flags.refresh(), 100, 500);
    flagsFileWatcher = watch(dirname(path), (_event, name) => {
      if (!name || name.toString() === base) reread.add('file');
    });
    flagsFileWatcher.on('error', () => undefined);
  } catch {
    /* folder missing: the status says why */
  }
}

connection.onDidChangeConfiguration(
  guard('configuration', undefined, async () => {
    state.settings.clear();
    const resource = await state.settings.forResource();
    publisher.setDebounce(resource.debounceMs);
    await configureFlagSource();
    publisher.markAll();
    hintsChanged.add('settings');
  }),
);

// Documents: open buffers are the truth for their files.
documents.onDidOpen((e) => safe('didOpen', () => folders.updateFromBuffer(e.document.uri, e.document.getText())));
documents.onDidChangeContent((e) => safe('didChange', () => folders.updateFromBuffer(e.document.uri, e.document.getText())));
documents.onDidClose((e) =>
  safe('didClose', async () => {
    await folders.revertToDisk(e.document.uri);
    const settings = await state.settings.forResource(e.document.uri);
    if (settings.diagnosticsScope === 'openFiles') publisher.clearUri(e.document.uri);
  }),
);

connection.onDidChangeWatchedFiles((params) =>
  safe('didChangeWatchedFiles', () => {
    const uris: string[] = [];
    for (const change of params.changes) {
      if (change.type === FileChangeType.Deleted || change.type === FileChangeType.Created || change.type === FileChangeType.Changed) uris.push(change.uri);
      if (sourceConfig?.kind === 'file' && uriToPath(change.uri) === sourceConfig.path) void state.flags.refresh();
    }
    diskChanges.add(...uris);
  }),
);

connection.onHover(guard('hover', null, (p) => hover(state, p)));
connection.onCompletion(guard('completion', null, (p) => completion(state, p)));
connection.onCompletionResolve(guard('completionResolve', undefined as never, (item) => resolveCompletion(state, item)));
connection.onDefinition(guard('definition', null, (p) => definition(state, p)));
connection.onReferences(guard('references', null, (p) => references(state, p)));
connection.onPrepareRename(guard('prepareRename', null, (p) => prepareRename(state, p)));
connection.onRenameRequest(guard('rename', null, (p) => rename(state, p)));
connection.onDocumentSymbol(guard('documentSymbol', [], (p) => documentSymbols(state, p)));
connection.onWorkspaceSymbol(guard('workspaceSymbol', [], (p) => workspaceSymbols(state, p)));
connection.onCodeAction(guard('codeAction', [], (p) => codeActions(state, p)));
connection.languages.inlayHint.on(guard('inlayHint', [], (p) => inlayHints(state, p)));
connection.onExecuteCommand(
  guard('executeCommand', null, (p) =>
    executeCommand(state, {
      writes: api?.writes ?? writesFor(sourceConfig),
      refresh: async () => {
        const r = await state.flags.refresh(api?.forcedLoad);
        return r.ok ? { ok: true, flagCount: r.snapshot.flags.length } : { ok: false, message: r.message };
      },
      openExternal: async (url) => {
        if (!state.support.showDocument) return false;
        const r = await connection.window.showDocument({ uri: url, external: true }).catch(() => ({ success: false }));
        return r.success;
      },
    }, p),
  ),
);
connection.onRequest(REPORT_REQUEST, guard('report', { flags: [] }, () => report(state)));
connection.onRequest(
  WHOAMI_REQUEST,
  guard('whoami', { ok: false, message: 'whoami failed' }, async () => {
    if (!api) return { ok: false, message: sourceConfig?.kind === 'file' ? 'Flags come from a snapshot file; no PostHog account is used.' : sourceConfig?.kind === 'none' ? sourceConfig.reason : 'Not configured yet.' };
    return api.whoami();
  }),
);

connection.onShutdown(() => {
  safe('writing the index cache', () => caches?.saveAll());
  state?.flags.dispose();
  api?.dispose();
  flagsFileWatcher?.close();
  publisher?.dispose();
  reportChanged.dispose();
  diskChanges.dispose();
  hintsChanged.dispose();
});

function writesFor(config: FlagSourceConfig | undefined) {
  return writesUnavailable(config ?? { kind: 'none', host: '', projectId: '@current', reason: 'Not configured yet.' });
}

function safe(name: string, fn: () => unknown): void {
  try {
    const r = fn();
    if (r instanceof Promise) r.catch((e) => log('error', `${name} failed: ${errorText(e)}`));
  } catch (e) {
    log('error', `${name} failed: ${errorText(e)}`);
  }
}

process.on('uncaughtException', (e) => log('error', `unexpected error: ${errorText(e)}`));
process.on('unhandledRejection', (e) => log('error', `unexpected rejection: ${errorText(e)}`));

documents.listen(connection);
connection.listen();
