/**
 * What `check`, `report` and `diff` share: the source of files (work tree or
 * a git ref), the scan, and the flag source options (`--host`, `--project`,
 * `--flags-file`, else the env variables).
 */
import type { FileSource } from '../core/file-source';
import type { FlagSnapshot } from '../core/flags/types';
import { scanResult, scanSource } from '../core/index';
import type { ScanResult } from '../core/types';
import { GitRefSource } from '../node/git-ref-source';
import { loadTreeSitterRuntime } from '../node/tree-sitter-runtime';
import { WorkTreeSource } from '../node/work-tree-source';
import type { FlagSourceValues, SnapshotResult } from './load-flags';
import { resolve } from 'node:path';
import { UsageError } from './args';
import { defaultCacheDir, FactsStore } from '../node/facts-store';
import type { CliIo } from './io';

export type { FlagSourceValues, SnapshotResult };

export const SCAN_OPTIONS = {
  ref: { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
} as const;

/** The index cache (scan, check, report on the work tree). */
export const CACHE_OPTIONS = {
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
} as const;

export const FLAG_SOURCE_OPTIONS = {
  host: { type: 'string' },
  project: { type: 'string' },
  'flags-file': { type: 'string' },
} as const;


export interface OpenedSource {
  source: FileSource;
  /** The commit a `--ref` resolved to. */
  commit?: string;
  /** The index cache of this work tree (`--cache`). */
  cache?: FactsStore;
  close(): void;
}

/**
 * The cache directory `--cache` / `--cache-location PATH` ask for (the latter
 * implies the former), resolved from `cwd`; undefined without either.
 */
export function cacheDirOf(values: { cache?: boolean; 'cache-location'?: string; ref?: string }, io: Pick<CliIo, 'cwd' | 'env'>): string | undefined {
  const location = values['cache-location'];
  if (location !== undefined && !location.trim()) throw new UsageError('--cache-location needs a directory');
  if (!values.cache && location === undefined) return undefined;
  if (values.ref !== undefined) throw new UsageError('--cache works on the work tree; it cannot be combined with --ref');
  return location !== undefined ? resolve(io.cwd, location) : defaultCacheDir(io.env);
}

/**
 * The work tree of `dir`, or with `ref` the tree of that git ref (throws a
 * UsageError when the ref does not resolve: exit 2).
 */
export async function openSource(
  dir: string,
  opts: { ref?: string; include?: readonly string[]; exclude?: readonly string[]; cacheDir?: string; warn?: (message: string) => void },
): Promise<OpenedSource> {
  if (opts.ref === undefined) {
    const source = new WorkTreeSource(dir, { include: opts.include, exclude: opts.exclude });
    const cache = opts.cacheDir !== undefined ? new FactsStore({ dir: opts.cacheDir, root: source.root, warn: opts.warn ?? (() => {}) }) : undefined;
    return { source, cache, close: () => {} };
  }
  const opened = await GitRefSource.open(dir, opts.ref, { include: opts.include, exclude: opts.exclude });
  if (!opened.ok) throw new UsageError(opened.error.message);
  const src = opened.value;
  return { source: src, commit: src.commit, close: () => src.close() };
}

let treeSitter: ReturnType<typeof loadTreeSitterRuntime> | undefined;

/**
 * Scans a source with the shared index (tree-sitter loaded once per process;
 * without it only JS/TS files are read, said once on `warn`).
 */
export async function scan(opened: OpenedSource, warn?: (message: string) => void): Promise<ScanResult> {
  // Loaded only when a file needs a grammar: a JS/TS-only or empty workspace never starts the wasm runtime.
  const loadTreeSitter = async () => {
    const first = treeSitter === undefined;
    treeSitter ??= loadTreeSitterRuntime(__dirname);
    const ts = await treeSitter;
    if (!ts.ok && first) warn?.(`tree-sitter unavailable, only JS/TS files are read (${ts.reason})`);
    return ts.ok ? ts.runtime : undefined;
  };
  const factsCache = opened.cache?.open();
  if (!factsCache) return (await scanSource(opened.source, { treeSitter: loadTreeSitter })).result;
  const result = await scanResult(opened.source, { treeSitter: loadTreeSitter, factsCache });
  opened.cache!.save(factsCache);
  return result;
}

/** Scans `dir` (or a ref of it) and closes what it opened. */
export async function scanDirectory(
  dir: string,
  opts: { ref?: string; include?: readonly string[]; exclude?: readonly string[]; cacheDir?: string },
  warn?: (message: string) => void,
): Promise<{ result: ScanResult; commit?: string }> {
  const opened = await openSource(dir, { ...opts, warn });
  try {
    return { result: await scan(opened, warn), commit: opened.commit };
  } finally {
    opened.close();
  }
}

/** Whether any flag source is configured (option or env). */
export function hasFlagSource(values: FlagSourceValues, io: CliIo): boolean {
  return Boolean(values['flags-file'] ?? io.env.POSTHOG_FLAGS_FILE ?? io.env.POSTHOG_PERSONAL_API_KEY);
}


/**
 * Loads the project's flags from the API or a snapshot file. A failure is a
 * value whose message is safe to print (never the key): the command exits 3.
 */
export async function loadSnapshot(values: FlagSourceValues, io: CliIo, opts: { seenBefore?: FlagSnapshot } = {}): Promise<SnapshotResult> {
  // Loaded here, not at the top: the PostHog client (HTTP, TLS) is a third of start-up, and `scan` never needs it.
  const { loadFlagSnapshot } = await import('./load-flags');
  return loadFlagSnapshot(values, io, opts);
}
