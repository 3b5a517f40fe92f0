/**
 * The language server's index cache: one per workspace folder, under
 * `initializationOptions.cacheDir` (VS Code: the extension's workspace
 * storage), else the CLI's default location; off with `posthog.cache: false`.
 *
 * A folder's cache is read when its indexing starts (facts of unchanged
 * files are not parsed again), written when indexing ends (once the client
 * pauses), and written again, when something changed, a while after the
 * last change and at shutdown, never per keystroke. Files changed since the
 * start are dropped from it (they are parsed at the next start); a cache
 * that cannot be read or written is said once in the log and costs nothing
 * else. It also keeps the result of the first complete indexing (when no
 * buffer or change touched it), which the next start shows at once when
 * every file is still as it was (lsp/replaying-index.ts).
 */
import { createHash } from 'node:crypto';
import type { FileSource, SourceListing } from '../core/file-source';
import type { FactsCache } from '../core/index/facts-cache';
import { storedScanHolds } from '../core/index/scan';
import { decodeSource } from '../core/index/decode';
import type { ScanResult } from '../core/types';
import { defaultCacheDir, FactsStore } from '../node/facts-store';
import { clientQuiet } from './scheduling';
import type { FolderState, ServerState } from './state';

/**
 * The stored result of a folder's last complete indexing, still exact: every
 * listed file has its stored stamp. `unchanged(file, text)`: whether a
 * buffer's text is the file that result was made from.
 */
export interface StoredResult {
  result: ScanResult;
  unchanged(file: string, text: string): boolean;
}

/**
 * What a stored result is kept under: the language server's indexing of this
 * listing (files, listed skips, config names) under these configs, with or
 * without tree-sitter. The CLI keeps its scans under other keys.
 */
export function resultKey(listing: SourceListing, configsDigest: string, treeSitter: boolean): string {
  return createHash('sha1')
    .update(JSON.stringify(['language-server', listing.files, listing.skipped ?? [], listing.configs ?? null, configsDigest, treeSitter]))
    .digest('hex');
}

/** How long after the last change a changed cache is written. */
const SAVE_AFTER_MS = 30_000;
/** After the first indexing, the cache is written once the client has sent nothing for this long… */
const WRITE_QUIET_MS = 300;
/** …or this long after indexing ended. */
const WRITE_MAX_WAIT_MS = 5_000;

interface Open {
  store: FactsStore;
  cache: FactsCache;
  timer?: NodeJS.Timeout;
  indexed: boolean;
}

export class IndexCaches {
  private readonly open = new Map<FolderState, Open>();

  constructor(
    private readonly state: ServerState,
    private readonly saveAfterMs = SAVE_AFTER_MS,
  ) {}

  /** The folder's cache when caching is on for it (FolderHooks.openCache). */
  async openFor(folder: FolderState): Promise<FactsCache | undefined> {
    if (folder.loose || !(await this.state.settings.cacheEnabled(folder.uri))) return undefined;
    const dir = this.state.settings.init.cacheDir ?? defaultCacheDir(this.state.settings.env);
    const store = new FactsStore({ dir, root: folder.root, warn: (m) => this.state.log('warn', m) });
    const cache = store.open();
    this.open.set(folder, { store, cache, indexed: false });
    return cache;
  }

  /**
   * The result the folder's last complete indexing stored under `key`
   * (resultKey), when every listed file still has the stamp it had then
   * (the same check as the CLI's replay, core/index/scan.ts).
   */
  async storedResult(folder: FolderState, source: FileSource, key: string, files: readonly string[]): Promise<StoredResult | undefined> {
    const stored = this.open.get(folder)?.cache.storedScan(key);
    if (!stored || !(await storedScanHolds(source, stored, files))) return undefined;
    let result: ScanResult;
    try {
      result = JSON.parse(stored.result() ?? '') as ScanResult;
    } catch {
      return undefined;
    }
    if (!result || result.root !== folder.root || !Array.isArray(result.usages) || !Array.isArray(result.unresolved)) return undefined;
    const stamps = stored.stamps();
    let indexOf: Map<string, number> | undefined;
    const unchanged = (file: string, text: string): boolean => {
      indexOf ??= new Map(files.map((f, i) => [f, i]));
      const at = indexOf.get(file);
      const was = at === undefined ? undefined : stamps?.[at];
      const now = source.stat?.(file);
      if (!was || !now || now.size !== was.size || now.mtimeMs !== was.mtimeMs || now.ctimeMs !== was.ctimeMs) return false;
      const read = source.readSync?.(file);
      if (!read?.ok) return false;
      if (was.hash !== undefined && createHash('sha1').update(read.bytes).digest('hex') !== was.hash) return false;
      const decoded = decodeSource(file, read.bytes);
      return decoded.ok && decoded.text === text;
    };
    return { result, unchanged };
  }

  /** Keeps the result of the folder's complete indexing under `key`, for the next start (when it can be trusted then: FactsCache.keepScan). */
  keepResult(folder: FolderState, key: string, files: readonly string[], result: ScanResult): void {
    this.open.get(folder)?.cache.keepScan(key, files, result);
  }

  /**
   * The first indexing ended: write what it made, once the client pauses
   * (writing takes a few hundred milliseconds in which no request is answered).
   */
  indexed(folder: FolderState): void {
    const o = this.open.get(folder);
    if (!o) return;
    o.indexed = true;
    void clientQuiet(WRITE_QUIET_MS, WRITE_MAX_WAIT_MS, () => this.open.get(folder) !== o).then(() => {
      if (this.open.get(folder) === o) this.save(folder);
    });
  }

  /** The index changed (edits, files on disk): write once things are quiet again. */
  changed(folder: FolderState): void {
    const o = this.open.get(folder);
    if (!o?.indexed || o.timer || !o.cache.changed()) return;
    o.timer = setTimeout(() => {
      o.timer = undefined;
      this.save(folder);
    }, this.saveAfterMs);
    o.timer.unref?.();
  }

  /** Writes the folder's cache now if it changed (indexing must have ended: a half-made index is not worth keeping). */
  save(folder: FolderState): void {
    const o = this.open.get(folder);
    if (!o?.indexed) return;
    if (o.timer) clearTimeout(o.timer);
    o.timer = undefined;
    try {
      o.store.save(o.cache);
    } catch (e) {
      this.state.log('warn', `index cache of ${folder.name} not written: ${String((e as Error)?.message ?? e)}`);
    }
  }

  /** A folder went away: write its cache and forget it. */
  close(folder: FolderState): void {
    this.save(folder);
    this.open.delete(folder);
  }

  /** Shutdown: write every changed cache. */
  saveAll(): void {
    for (const folder of [...this.open.keys()]) this.close(folder);
  }
}
