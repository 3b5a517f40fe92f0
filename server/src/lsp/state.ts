/**
 * The language server's state, handed to every feature function
 * (server/src/features/*). Features read it; server.ts and the lsp/ helpers
 * own its mutation.
 */
import type { FactsCache } from '../core/index/facts-cache';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FlagIndex } from './index-port';
import type { Usage } from '../core/types';
import type { FlagSnapshot } from '../core/flags/types';
import type { DebugPerson } from './debug-person';
import type { FlagStore } from './flag-store';
import type { SettingsStore } from './settings';
import { fileUri, uriToPath } from './positions';

/** One workspace folder: its own index over its own files. */
export interface FolderState {
  uri: string;
  /** Absolute path, no trailing slash ('' for the loose-files folder, whose files are absolute paths without the leading '/'). */
  root: string;
  name: string;
  index: FlagIndex;
  indexing: { done: number; total: number; finished: boolean };
  /** Set when the folder is removed: background work stops. */
  disposed: boolean;
  /** True for the folder that holds files opened outside every workspace folder (never walked on disk). */
  loose?: boolean;
  /** The project configs module resolution read (tsconfig, package.json, bundler configs), path → text. */
  configs?: Map<string, string>;
  /** The folder's index cache, while it has one (lsp/index-cache.ts). */
  factsCache?: FactsCache;
}

/** What the client said it supports (decided in `onInitialize`). */
export interface ClientSupport {
  markdown: boolean;
  completionMarkdown: boolean;
  workDoneProgress: boolean;
  configuration: boolean;
  workspaceFolders: boolean;
  watchedFilesDynamic: boolean;
  relativePatterns: boolean;
  relatedInformation: boolean;
  showDocument: boolean;
  documentChanges: boolean;
  /** WorkspaceEdit change annotations (`needsConfirmation`: VS Code shows its refactor preview first). */
  changeAnnotations: boolean;
  hierarchicalSymbols: boolean;
  codeActionLiterals: boolean;
  /** The client re-requests inlay hints on `workspace/inlayHint/refresh`. */
  inlayHintRefresh: boolean;
}

export type LogLevel = 'error' | 'warn' | 'info' | 'log';

export interface ServerState {
  folders: Map<string, FolderState>;
  documents: TextDocuments<TextDocument>;
  flags: FlagStore;
  settings: SettingsStore;
  support: ClientSupport;
  /** True when the client registers `posthogFlags.*` commands (initializationOptions.clientCommands). */
  clientCommands: boolean;
  /**
   * Where the flags come from: `api` (PostHog with a personal key: the only
   * source that can write), `file` (a snapshot), `none` (neither: first run).
   * Write actions (hover links, code actions) are offered only for `api`.
   */
  flagSource: 'api' | 'file' | 'none';
  /** Where flag links point: the configured host and the project id (numeric once known). */
  link: { host?: string; projectId?: number | string };
  /** Writes to window/logMessage; callers must never pass the key (messages are also redacted). */
  log(level: LogLevel, message: string): void;
  now(): Date;
  /** The person being debugged (`posthog.evaluateFor`) and their flag values. */
  debug: DebugPerson;
}

/** The folder holding `uri` (innermost), and the file's path relative to it. */
export function locate(state: ServerState, uri: string): { folder: FolderState; file: string } | undefined {
  const path = uriToPath(uri);
  if (!path) return undefined;
  let best: FolderState | undefined;
  for (const folder of state.folders.values()) {
    if (folder.loose || folder.disposed) continue;
    if (path.startsWith(folder.root + '/') && (!best || folder.root.length > best.root.length)) best = folder;
  }
  if (best) return { folder: best, file: path.slice(best.root.length + 1) };
  const loose = [...state.folders.values()].find((f) => f.loose);
  if (loose) return { folder: loose, file: path.replace(/^\/+/, '') };
  return undefined;
}

export function uriOfFile(folder: FolderState, file: string): string {
  return fileUri(folder.loose ? '' : folder.root, file);
}

/** Every usage of `key` in every folder. */
export function usagesOfKeyEverywhere(state: ServerState, key: string): Array<{ folder: FolderState; usage: Usage }> {
  const out: Array<{ folder: FolderState; usage: Usage }> = [];
  for (const folder of state.folders.values()) {
    if (folder.disposed) continue;
    for (const usage of folder.index.usagesOfKey(key)) out.push({ folder, usage });
  }
  return out;
}

/** Every key used in any folder. */
export function keysEverywhere(state: ServerState): Set<string> {
  const keys = new Set<string>();
  for (const folder of state.folders.values()) if (!folder.disposed) for (const k of folder.index.keys()) keys.add(k);
  return keys;
}

/** URL of a flag's page in PostHog: `{host}/project/{id}/feature_flags/{flagId}`. */
export function flagUrl(state: ServerState, snapshot: FlagSnapshot | undefined, flagId: number | undefined): string | undefined {
  const host = (snapshot?.host ?? state.link.host)?.replace(/\/+$/, '');
  const project = snapshot?.projectId ?? state.link.projectId;
  if (!host || project === undefined || project === '@current') return undefined;
  if (flagId === undefined) return `${host}/project/${project}/feature_flags`;
  return `${host}/project/${project}/feature_flags/${flagId}`;
}

