/**
 * Workspace folders and their indexes: startup indexing in the background
 * (with `window/workDoneProgress` when the client supports it), open
 * buffers as the truth for their files, and batched re-indexing of files
 * changed on disk.
 */
import { readFile } from 'node:fs/promises';
import type { Connection } from 'vscode-languageserver';
import type { FileSource, SourceListing } from '../core/file-source';
import { MAX_FILE_BYTES } from '../core/file-source';
import { decodeSource } from '../core/index/decode';
import { configsDigest, indexEntry, isProjectConfig, ProjectResolver, readProjectConfigs, type FactsCache, type IndexEntry } from '../core/index';
import { languageForPath } from '../core/languages';
import type { ScanResult, Skipped } from '../core/types';
import { StoredResults } from '../core/index/stored-results';
import { FileSelection } from '../core/file-selection';
import { errorText, plural } from '../core/words';
import type { FlagIndex } from './index-port';
import type { StoredResult } from './index-cache';
import { ReplayingIndex } from './replaying-index';
import { uriToPath } from './positions';
import { clientQuiet, yieldToEventLoop } from './scheduling';
import { locate, uriOfFile, type FolderState, type ServerState } from './state';

/** Work for this long, then let requests in (a request waits at most about this long while the server indexes). */
const SLICE_MS = 4;
/** Files read from disk at once. */
const READ_CONCURRENCY = 32;
/** At most this many files are handed to the index at once during start-up indexing (then requests get a turn)… */
const INDEX_BATCH = 128;
/**
 * …and about as much text as it indexes in SLICE_MS, learnt from the batches
 * so far (starting from this many characters): parsing is most of the cost.
 */
const FIRST_BATCH_CHARS = 16_000;
/** Behind a stored result, the live index is built once the client has sent nothing for this long… */
const STANDBY_QUIET_MS = 200;
/** …or this long after the stored result was shown. */
const STANDBY_MAX_WAIT_MS = 3000;

export interface FolderHooks {
  createIndex(): FlagIndex;
  createSource(root: string, exclude: string[]): FileSource;
  /** Loads what indexing these files needs (tree-sitter grammars). */
  prepareFiles(files: string[]): Promise<void>;
  /** True when the file can be indexed exactly right now. */
  fileReady(file: string): boolean;
  /** Usages may have changed in these files (diagnostics, report); `now`: publish without waiting (a stored result just shown). */
  onFilesChanged(folder: FolderState, files: string[], now?: boolean): void;
  /** A folder finished its first indexing. */
  onIndexed(folder: FolderState): void;
  /** The folder's index cache, when one is kept (lsp/index-cache.ts); undefined: none. */
  openCache?(folder: FolderState): Promise<FactsCache | undefined>;
  /** With a cache: what the result of indexing this listing under these configs is kept under (lsp/index-cache.ts resultKey). */
  resultKey?(listing: SourceListing, configsDigest: string): string;
  /** The result kept under `key` by the last complete indexing, when every listed file is still as it was then. */
  storedResult?(folder: FolderState, source: FileSource, key: string, files: readonly string[]): Promise<StoredResult | undefined>;
  /** Keeps a complete indexing's result under `key` for the next start. */
  keepResult?(folder: FolderState, key: string, files: readonly string[], result: ScanResult): void;
}

export class Folders {
  constructor(
    private readonly state: ServerState,
    private readonly connection: Connection,
    private readonly hooks: FolderHooks,
  ) {}

  /** Adds a folder and starts indexing it in the background. */
  add(uri: string, name: string): FolderState | undefined {
    const root = uriToPath(uri)?.replace(/\/+$/, '');
    if (root === undefined || root === '') return undefined;
    const existing = [...this.state.folders.values()].find((f) => f.root === root && !f.disposed);
    if (existing) return existing;
    const folder: FolderState = {
      uri,
      root,
      name,
      index: this.hooks.createIndex(),
      indexing: { done: 0, total: 0, finished: false },
      disposed: false,
    };
    this.state.folders.set(uri, folder);
    this.adoptLooseFiles(folder);
    void this.indexInBackground(folder);
    return folder;
  }

  /**
   * Files opened before their workspace folder was known were indexed as
   * loose files; the folder's own index takes them over (from their buffers).
   */
  private adoptLooseFiles(folder: FolderState): void {
    const loose = [...this.state.folders.values()].find((f) => f.loose);
    if (!loose) return;
    for (const file of loose.index.files()) {
      if (!('/' + file).startsWith(folder.root + '/')) continue;
      this.hooks.onFilesChanged(loose, safeRemove(this.state, loose, file));
      const doc = this.state.documents.get(uriOfFile(loose, file));
      if (doc) this.updateFromBuffer(doc.uri, doc.getText());
    }
  }

  /** The folder for files opened outside every workspace folder (never walked). */
  ensureLoose(): FolderState {
    const existing = [...this.state.folders.values()].find((f) => f.loose);
    if (existing) return existing;
    const folder: FolderState = {
      uri: 'posthog-loose:',
      root: '',
      name: '(files outside the workspace)',
      index: this.hooks.createIndex(),
      indexing: { done: 0, total: 0, finished: true },
      disposed: false,
      loose: true,
    };
    this.state.folders.set(folder.uri, folder);
    return folder;
  }

  remove(uri: string): FolderState | undefined {
    const folder = this.state.folders.get(uri) ?? [...this.state.folders.values()].find((f) => f.root === uriToPath(uri)?.replace(/\/+$/, ''));
    if (!folder) return undefined;
    folder.disposed = true;
    this.state.folders.delete(folder.uri);
    return folder;
  }

  /** An open buffer's text is the truth for its file. */
  updateFromBuffer(uri: string, text: string): void {
    let where = locate(this.state, uri);
    if (!where && uriToPath(uri)) {
      this.ensureLoose();
      where = locate(this.state, uri);
    }
    if (!where || !languageForPath(where.file)) return;
    if (!this.hooks.fileReady(where.file)) {
      // Its grammar is still loading: index the buffer's latest text once it is there.
      const file = where.file;
      void this.hooks.prepareFiles([file]).then(() => {
        const doc = this.state.documents.get(uri);
        if (doc) this.updateFromBuffer(uri, doc.getText());
      });
      return;
    }
    const changed = safeUpdate(this.state, where.folder, where.file, text);
    this.hooks.onFilesChanged(where.folder, changed);
  }

  /** A buffer closed: its file goes back to what is on disk. */
  async revertToDisk(uri: string): Promise<void> {
    const where = locate(this.state, uri);
    if (!where || !languageForPath(where.file)) return;
    if (where.folder.loose) {
      const changed = safeRemove(this.state, where.folder, where.file);
      this.hooks.onFilesChanged(where.folder, changed);
      return;
    }
    await this.reindexFromDisk(where.folder, [where.file]);
  }

  /**
   * Files changed on disk (didChangeWatchedFiles, batched by the caller):
   * re-read or removed, except open buffers, which stay the truth.
   */
  async diskChanges(uris: string[]): Promise<void> {
    const byFolder = new Map<FolderState, string[]>();
    const configsChanged = new Map<FolderState, string[]>();
    for (const uri of uris) {
      const where = locate(this.state, uri);
      if (where && !where.folder.loose && isProjectConfig(where.file) && isIndexable(where.file, true)) {
        const list = configsChanged.get(where.folder) ?? [];
        list.push(where.file);
        configsChanged.set(where.folder, list);
      }
      if (!where || where.folder.loose || !isIndexable(where.file)) continue;
      if (this.state.documents.get(uri) || this.state.documents.get(uriOfFile(where.folder, where.file))) continue;
      let list = byFolder.get(where.folder);
      if (!list) byFolder.set(where.folder, (list = []));
      list.push(where.file);
    }
    for (const [folder, files] of byFolder) {
      // A file the index does not hold yet comes in only when the folder's listing would list it (.gitignore, excludes).
      const settings = await this.state.settings.forResource(folder.uri);
      const source = this.hooks.createSource(folder.root, settings.exclude);
      const known = new Set(folder.index.files());
      const wanted = files.filter((f) => known.has(f) || (source.selects?.(f) ?? true));
      if (wanted.length) await this.reindexFromDisk(folder, wanted);
    }
    for (const [folder, files] of configsChanged) await this.rereadConfigs(folder, files);
  }

  /**
   * A tsconfig/jsconfig/package.json/bundler config changed, came or went:
   * read the folder's configs again and, when what they say changed,
   * re-resolve every file (the index re-links only what changed).
   */
  private async rereadConfigs(folder: FolderState, changed: string[]): Promise<void> {
    if (!folder.configs) return; // the first indexing reads them
    const settings = await this.state.settings.forResource(folder.uri);
    const source = this.hooks.createSource(folder.root, settings.exclude);
    const paths = [...new Set([...folder.configs.keys(), ...changed])].filter(isProjectConfig);
    const configs = await readProjectConfigs(source, paths);
    const digest = configsDigest(configs);
    if (folder.disposed || digest === configsDigest(folder.configs)) return;
    folder.configs = configs;
    folder.factsCache?.useConfigs(digest);
    const files = folder.index.setResolver?.(new ProjectResolver(configs)) ?? [];
    this.state.log('info', `${folder.name}: module resolution changed (${changed.join(', ')}); ${files.length} file(s) re-resolved`);
    if (files.length) this.hooks.onFilesChanged(folder, files);
  }

  private async reindexFromDisk(folder: FolderState, files: string[]): Promise<void> {
    await this.hooks.prepareFiles(files);
    const changed = new Set<string>();
    let sliceStart = Date.now();
    for (let i = 0; i < files.length; i += READ_CONCURRENCY) {
      const chunk = files.slice(i, i + READ_CONCURRENCY);
      const texts = await Promise.all(chunk.map((f) => readText(`${folder.root}/${f}`, f)));
      if (folder.disposed) return;
      for (let j = 0; j < chunk.length; j++) {
        const file = chunk[j];
        if (this.state.documents.get(uriOfFile(folder, file))) continue;
        const text = texts[j];
        const result = text === undefined ? safeRemove(this.state, folder, file) : safeUpdate(this.state, folder, file, text);
        for (const f of result) changed.add(f);
        if (Date.now() - sliceStart > SLICE_MS) {
          await yieldToEventLoop();
          sliceStart = Date.now();
        }
      }
    }
    this.hooks.onFilesChanged(folder, [...changed]);
  }

  /**
   * A warm start: shows the result the last complete indexing kept when every
   * listed file is still as it was then (and every open buffer of the folder
   * holds its file's text), while the live index is built behind it
   * (replaying-index.ts).
   */
  private async showStoredResult(folder: FolderState, source: FileSource, key: string, files: string[]): Promise<boolean> {
    const stored = await this.hooks.storedResult?.(folder, source, key, files);
    if (!stored || folder.disposed) return false;
    for (const doc of this.state.documents.all()) {
      const where = locate(this.state, doc.uri);
      if (where?.folder === folder && !stored.unchanged(where.file, doc.getText())) return false;
    }
    const replaying: ReplayingIndex = new ReplayingIndex(folder.index, new StoredResults(stored.result.usages, stored.result.unresolved), stored.unchanged, (changed) => {
      if (folder.index === replaying) folder.index = replaying.live;
      this.hooks.onFilesChanged(folder, changed);
    });
    folder.index = replaying;
    this.state.log('info', `${folder.name}: showing the stored result of the last indexing (${plural(stored.result.usages.length, 'usage')}) while indexing`);
    this.hooks.onFilesChanged(folder, [...replaying.files()], true);
    return true;
  }

  private async indexInBackground(folder: FolderState): Promise<void> {
    const settings = await this.state.settings.forResource(folder.uri);
    const source = this.hooks.createSource(folder.root, settings.exclude);
    const progress = this.state.support.workDoneProgress ? await this.connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    try {
      let listing: SourceListing;
      try {
        listing = await source.list();
      } catch (e) {
        this.state.log('error', `could not list ${folder.root}: ${errorText(e)}`);
        listing = { files: [], skipped: [] };
      }
      if (folder.disposed) return;
      const files = [...listing.files].sort();
      folder.indexing.total = files.length;
      const cache = await this.hooks.openCache?.(folder);
      if (folder.disposed) return;
      folder.factsCache = cache;
      folder.index.useFactsCache?.(cache);
      progress?.begin(`PostHog flags: indexing ${folder.name}`, 0, `0/${files.length} files`, false);
      folder.configs = await readProjectConfigs(source, listing.configs);
      const startConfigs = configsDigest(folder.configs);
      cache?.useConfigs(startConfigs);
      folder.index.setResolver?.(new ProjectResolver(folder.configs));
      const key = cache ? this.hooks.resultKey?.(listing, startConfigs) : undefined;
      if (key && (await this.showStoredResult(folder, source, key, files))) {
        // The stored result answers everything now; the live index is a standby until something changes.
        // The client's first requests go first: it is built once they pause (or a change ends the replay).
        await clientQuiet(STANDBY_QUIET_MS, STANDBY_MAX_WAIT_MS, () => folder.disposed || !(folder.index instanceof ReplayingIndex && folder.index.replaying));
      }
      // The grammars the files need (loading them would delay a stored result for nothing).
      await this.hooks.prepareFiles(files);
      if (folder.disposed) return;
      let lastReport = 0;
      let sliceStart = Date.now();
      let batch: IndexEntry[] = [];
      let batchChars = 0;
      let charsPerSlice = FIRST_BATCH_CHARS;
      const skipped: Skipped[] = [];
      // `last`: the files are all in; the index finishes what partial batches left (the same result as one batch of every file).
      const flush = async (last = false) => {
        if (!batch.length && !last) return;
        const chars = batchChars;
        batchChars = 0;
        const started = performance.now();
        // An open buffer is the truth for its file, even if it was opened before indexing reached it.
        const entries = batch.map((e) => {
          const doc = this.state.documents.get(uriOfFile(folder, e.file));
          return doc ? { file: e.file, text: doc.getText(), exact: true } : e;
        });
        batch = [];
        let changed: string[] = [];
        try {
          changed = folder.index.updateBatch ? folder.index.updateBatch(entries, { partial: !last }) : entries.flatMap((e) => (e.text !== undefined ? folder.index.update(e.file, e.text) : []));
        } catch (e) {
          this.state.log('error', `indexing a batch of ${folder.name} failed: ${errorText(e)}`);
        }
        // The next batch holds about as much text as this one indexed in a slice (within 1/4× … 4× of it).
        const took = performance.now() - started;
        if (chars > 0) charsPerSlice = Math.min(Math.max((chars * SLICE_MS) / Math.max(took, 0.05), charsPerSlice / 4, 1000), charsPerSlice * 4, 4_000_000);
        if (changed.length) this.hooks.onFilesChanged(folder, changed);
        await yieldToEventLoop();
        sliceStart = Date.now();
      };
      for (let i = 0; i < files.length; i += READ_CONCURRENCY) {
        const chunk = files.slice(i, i + READ_CONCURRENCY);
        const reads = await Promise.all(chunk.map((f) => source.read(f).catch(() => undefined)));
        if (folder.disposed) return;
        for (let j = 0; j < chunk.length; j++) {
          folder.indexing.done++;
          const read = reads[j];
          if (!read || !read.ok) {
            skipped.push(read ? read.skipped : { file: chunk[j], reason: 'unreadable' });
            continue;
          }
          const file = chunk[j];
          cache?.noteRead(file, read.bytes, read.stamp);
          // With readSync (the work tree) the index keeps no bytes of files it has not parsed: it reads them again if needed.
          const { entry, skipped: skip } = indexEntry(file, read.bytes, source.readSync ? () => source.readSync!(file) : undefined);
          if (skip) skipped.push(skip);
          if (entry) {
            batch.push(entry);
            batchChars += entry.text?.length ?? 0;
          }
          if (batch.length >= INDEX_BATCH || batchChars >= charsPerSlice) await flush();
        }
        if (batch.length && Date.now() - sliceStart > SLICE_MS) await flush();
        else if (Date.now() - sliceStart > SLICE_MS) {
          await yieldToEventLoop();
          sliceStart = Date.now();
        }
        const now = Date.now();
        if (progress && now - lastReport > 100) {
          lastReport = now;
          progress.report(Math.floor((folder.indexing.done * 100) / Math.max(files.length, 1)), `${folder.indexing.done}/${files.length} files`);
        }
      }
      await flush(true);
      folder.indexing.finished = true;
      progress?.report(100, `${files.length}/${files.length} files`);
      const live = folder.index instanceof ReplayingIndex ? folder.index.live : folder.index;
      // Kept only as a cold start would make it: the configs it started with (FactsCache.keepScan checks every file's read).
      if (key && configsDigest(folder.configs) === startConfigs) {
        const problems = [...(listing.skipped ?? []), ...skipped, ...(live.skipped?.() ?? []), ...(live.parseErrors?.() ?? []).filter((p) => p.fatal).map((p): Skipped => ({ file: p.file, reason: 'parse-error', detail: p.error }))];
        this.hooks.keepResult?.(folder, key, files, { root: folder.root, filesScanned: folder.indexing.done, usages: live.usages(), unresolved: live.unresolved(), skipped: problems });
      }
      // The live index takes over from a stored result (the same usages: nothing is published again unless something differs).
      if (folder.index instanceof ReplayingIndex) folder.index.end();
      const fromCache = cache ? `; index cache: ${cache.hits} facts reused, ${cache.misses} parsed` : '';
      this.state.log('info', `indexed ${folder.name}: ${files.length} files, ${[...folder.index.keys()].length} flag keys${fromCache}${describeSkipped(skipped)}`);
      this.hooks.onIndexed(folder);
    } catch (e) {
      this.state.log('error', `indexing ${folder.root} failed: ${errorText(e)}`);
      folder.indexing.finished = true;
    } finally {
      progress?.done();
    }
  }
}

/** `; skipped 3 files (binary: 1, minified: 2): a.js, b.js, c.js` for the indexing log line (at most 10 names). */
function describeSkipped(skipped: Skipped[]): string {
  if (!skipped.length) return '';
  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  const reasons = [...counts].map(([r, n]) => `${r}: ${n}`).join(', ');
  const names = skipped.slice(0, 10).map((s) => s.file).join(', ');
  return `; skipped ${plural(skipped.length, 'file')} (${reasons}): ${names}${skipped.length > 10 ? ', …' : ''}`;
}

const byName = new FileSelection();

/**
 * Could this file hold a usage (or, with `config`, be a project config read
 * for module resolution)? The file-selection rule (core/file-selection.ts)
 * without the `.gitignore` files: a quick first check for watched-file
 * events; `FileSource.selects` is the whole rule.
 */
export function isIndexable(file: string, config = false): boolean {
  // Any folder may be a Python package here (`build/` a subpackage): `selects` knows.
  const selected = byName.select(file, () => [], undefined, () => true);
  return config ? selected?.config === true : selected?.source === true;
}

async function readText(path: string, file: string): Promise<string | undefined> {
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_FILE_BYTES) return undefined;
    const decoded = decodeSource(file, bytes);
    return decoded.ok ? decoded.text : undefined;
  } catch {
    return undefined;
  }
}

function safeUpdate(state: ServerState, folder: FolderState, file: string, text: string): string[] {
  try {
    return folder.index.update(file, text);
  } catch (e) {
    state.log('error', `indexing ${file} failed: ${errorText(e)}`);
    return [file];
  }
}

function safeRemove(state: ServerState, folder: FolderState, file: string): string[] {
  try {
    return folder.index.remove(file);
  } catch (e) {
    state.log('error', `removing ${file} from the index failed: ${errorText(e)}`);
    return [file];
  }
}

export { errorText };
