/**
 * Where flags come from, for the CLI and the language server alike: the
 * PostHog API (through PostHogClient) or a snapshot file (`flagsFile`,
 * POSTHOG_FLAGS_FILE, `--flags-file`): the list endpoint body or a plain
 * array of flag objects, as written by `posthog-flags pull`.
 */
import { readFile, stat } from 'node:fs/promises';
import { parseSnapshotBody } from '../core/flags/parse';
import type { FlagSnapshot } from '../core/flags/types';
import type { Result } from '../core/types';
import { PostHogClient, type ClientOptions } from './client';
import type { ResolvedConfig } from './config';
import type { PostHogError } from './errors';

export interface FlagSource {
  /** `api` or `file`. */
  readonly kind: 'api' | 'file';
  /** For messages: the host and project, or the file path. */
  describe(): string;
  /** Current flags. `force` skips any cache. */
  load(opts?: { force?: boolean }): Promise<Result<FlagSnapshot, PostHogError>>;
  close(): Promise<void>;
}

/** Reads and parses a snapshot file. */
export async function readSnapshotFile(path: string): Promise<Result<FlagSnapshot, PostHogError>> {
  let text: string;
  let mtime: string;
  try {
    text = await readFile(path, 'utf8');
    mtime = (await stat(path)).mtime.toISOString();
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (code ?? 'unreadable');
    return { ok: false, error: { kind: 'file', message: `Cannot read the flags snapshot ${path}: ${why}.` } };
  }
  let body: unknown;
  try {
    body = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, error: { kind: 'file', message: `The flags snapshot ${path} is not valid JSON (${(e as Error).message}).` } };
  }
  const parsed = parseSnapshotBody(body, mtime);
  if (!parsed.ok) return { ok: false, error: { kind: 'file', message: `The flags snapshot ${path} is ${parsed.error.message}.` } };
  return parsed;
}

export class FileFlagSource implements FlagSource {
  readonly kind = 'file' as const;
  constructor(readonly path: string) {}
  describe(): string {
    return `flags snapshot ${this.path}`;
  }
  load(): Promise<Result<FlagSnapshot, PostHogError>> {
    return readSnapshotFile(this.path);
  }
  async close(): Promise<void> {}
}

export class ApiFlagSource implements FlagSource {
  readonly kind = 'api' as const;
  constructor(readonly client: PostHogClient) {}
  describe(): string {
    const p = this.client.projectId;
    return `PostHog ${this.client.host}${p !== undefined ? ` project ${p}` : ''}`;
  }
  load(opts: { force?: boolean } = {}): Promise<Result<FlagSnapshot, PostHogError>> {
    return opts.force ? this.client.fetchSnapshot() : this.client.getSnapshot();
  }
  close(): Promise<void> {
    return this.client.close();
  }
}

export type SourceOptions = Omit<ClientOptions, 'host' | 'personalApiKey' | 'projectId'>;

/** The source a resolved config asks for: the snapshot file when one is set, else the API (needs a key). */
export function createFlagSource(config: ResolvedConfig, opts: SourceOptions = {}): Result<FlagSource, PostHogError> {
  if (config.flagsFile) return { ok: true, value: new FileFlagSource(config.flagsFile) };
  if (!config.personalApiKey) {
    return {
      ok: false,
      error: { kind: 'config', message: 'No flag source: set POSTHOG_PERSONAL_API_KEY (a personal API key, phx_…) to read flags from PostHog, or give a snapshot with --flags-file / POSTHOG_FLAGS_FILE.' },
    };
  }
  const client = new PostHogClient({ ...opts, host: config.host, personalApiKey: config.personalApiKey, projectId: config.projectId });
  return { ok: true, value: new ApiFlagSource(client) };
}

/** One-shot load (CLI): creates the source, loads fresh flags, closes it. */
export async function loadFlags(config: ResolvedConfig, opts: SourceOptions = {}): Promise<Result<FlagSnapshot, PostHogError>> {
  const source = createFlagSource(config, opts);
  if (!source.ok) return source;
  try {
    return await source.value.load({ force: true });
  } finally {
    await source.value.close();
  }
}
