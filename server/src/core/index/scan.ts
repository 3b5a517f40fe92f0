/**
 * Whole-workspace scan: list, read (in parallel batches), decode, pre-filter,
 * index. Deterministic: usages, unresolved and skipped come out sorted.
 *
 * Reading every listed file is unavoidable; parsing is not. A file is
 * parsed up front only when its bytes contain one of its family's SDK terms
 * (prefilter.ts). Other JS-family files are handed to the index unparsed,
 * with their bytes: the index parses one when a key resolution reaches it
 * (a constants module, a barrel) or when a wrapper name found in the parsed
 * files appears in it, repeating until nothing new turns up. Python files
 * are kept the same way; other files without an SDK term are done after the
 * byte search.
 */
import type { FileSource, ReadResult, SourceListing } from '../file-source';
import { languageForPath } from '../languages';
import { ensureGrammar, type TreeSitterRuntime } from '../tree-sitter/extract';
import type { ScanResult, Skipped } from '../types';
import { decodeSource, isBinary } from './decode';
import { createHash } from 'node:crypto';
import { configsDigest, type FactsCache, type ScanStamp, type StoredScan } from './facts-cache';
import { isProjectConfig, ProjectResolver } from './project-resolver';
import { bytesContain, bytesContainAny, bytesHaveSdkTerm } from './prefilter';
import { answersAsBefore, ScanTrace, type FileClass } from './scan-trace';
import { WorkspaceIndex, type IndexEntry, type LazyText } from './workspace-index';

export interface ScanOptions {
  /** The runtime, or how to get it: called only when some file needs a grammar (undefined: none to be had). */
  treeSitter?: TreeSitterRuntime | (() => Promise<TreeSitterRuntime | undefined>);
  /** See WorkspaceIndexOptions.quietBodies. */
  quietBodies?: boolean | 'always';
  /** Reads in flight at once (default 64). */
  concurrency?: number;
  /** Facts of an earlier run (facts-cache.ts): files read with a stamp that matches are not parsed again. */
  factsCache?: FactsCache;
}

export async function scanSource(source: FileSource, opts: ScanOptions = {}): Promise<{ result: ScanResult; index: WorkspaceIndex }> {
  return indexListed(source, opts, await listAndConfigs(source, opts));
}

/**
 * The result of a scan, as `scanSource` gives it. With a facts cache that
 * holds a scan of the same listing under the same configs, that scan's
 * result is returned when every file's stamp (size, modification and status
 * change times; content hash where the time was too recent to trust) is the
 * stored one, without reading a file; or when the few files whose stamps
 * differ answer every question the stored scan asked of them as before
 * (scan-trace.ts), reading those files only. Otherwise the scan runs
 * (reusing facts) and is kept in the cache, with what it asked of each file.
 */
export async function scanResult(source: FileSource, opts: ScanOptions = {}): Promise<ScanResult> {
  const listed = await listAndConfigs(source, opts);
  const cache = opts.factsCache;
  // Without tree-sitter the scan is not the usual one: neither replayed nor kept.
  const key = cache && opts.treeSitter ? listingDigest(listed, opts) : undefined;
  if (cache && key) {
    const replayed = await replay(source, cache, key, listed.files, opts);
    if (replayed) return replayed;
  }
  const trace = cache && key ? new ScanTrace() : undefined;
  const { result } = await indexListed(source, opts, listed, trace);
  if (cache && key) cache.keepScan(key, listed.files, result, trace);
  return result;
}

/**
 * A replay is tried when at most this many files changed, or this share of
 * the listing: each is read and, if the scan parsed it, parsed again (about
 * what a scan costs per file), so past that a failed try costs too much.
 */
const REPLAY_MAX_CHANGED = 64;
const REPLAY_MAX_CHANGED_SHARE = 0.25;

interface Listed {
  files: string[];
  skipped: Skipped[];
  configNames?: string[];
  configs: Map<string, string>;
  configsDigest: string;
}

async function listAndConfigs(source: FileSource, opts: ScanOptions): Promise<Listed> {
  const listed = await listFiles(source, opts.factsCache);
  const configs = await readProjectConfigs(source, listed.configs);
  const digest = configsDigest(configs);
  opts.factsCache?.useConfigs(digest);
  return { files: [...listed.files].sort(), skipped: listed.skipped, configNames: listed.configs, configs, configsDigest: digest };
}

/**
 * The source's listing: with a cache, the stored one when everything it
 * depended on is as it was (a few stats instead of a walk), else a new one,
 * kept with what it depended on.
 */
async function listFiles(source: FileSource, cache: FactsCache | undefined): Promise<SourceListing> {
  if (!cache || !source.listWitnessed || !source.listingHolds) return source.list();
  const stored = cache.storedListing();
  if (stored && source.listingHolds(stored.witness)) return stored.listing;
  const { listing, witness } = await source.listWitnessed();
  cache.keepListing(witness, listing);
  return listing;
}

/** What a scan was asked and what it listed: a stored scan is replayed only for the same. */
function listingDigest(listed: Listed, opts: ScanOptions): string {
  return createHash('sha1')
    .update(JSON.stringify([listed.files, listed.skipped, listed.configNames ?? null, listed.configsDigest, opts.quietBodies ?? null]))
    .digest('hex');
}

/**
 * The listed files compared with a stored scan's: each with the stored size,
 * modification and status change times (and content hash, where the time was
 * too recent to trust) is unchanged. Undefined when the listing is not the
 * stored one's or a file cannot be stated or read; else the stamps of the
 * unchanged files, the changed ones (with their bytes when read for the
 * hash), and whether a hash is no longer needed (its time is old enough now:
 * `isRacy`).
 */
async function compareStamps(
  source: FileSource,
  stored: StoredScan,
  files: readonly string[],
  isRacy: (mtimeMs: number) => boolean,
): Promise<{ stamps: ScanStamp[]; changed: Array<{ i: number; bytes?: Uint8Array }>; restamp: boolean } | undefined> {
  if (!source.stat || stored.count() !== files.length) return undefined;
  const was = stored.stamps();
  if (!was) return undefined;
  const stamps: ScanStamp[] = new Array(files.length);
  const changed: Array<{ i: number; bytes?: Uint8Array }> = [];
  let restamp = false;
  for (let i = 0; i < files.length; i++) {
    const w = was[i];
    const now = source.stat(files[i]);
    if (!now || now.ctimeMs === undefined) return undefined;
    if (now.size !== w.size || now.mtimeMs !== w.mtimeMs || now.ctimeMs !== w.ctimeMs) {
      changed.push({ i });
      continue;
    }
    stamps[i] = w;
    if (w.hash === undefined) continue;
    // A time too close to the stored scan to trust: the content tells.
    const read = await source.read(files[i]).catch(() => undefined);
    if (!read?.ok) return undefined;
    if (sha1(read.bytes) !== w.hash) changed.push({ i, bytes: read.bytes });
    else if (!isRacy(w.mtimeMs)) {
      // Old enough now: the stamp alone will do next time.
      stamps[i] = { size: w.size, mtimeMs: w.mtimeMs, ctimeMs: w.ctimeMs };
      restamp = true;
    }
  }
  return { stamps, changed, restamp };
}

/** Whether every listed file is still the one a stored scan read (compareStamps finds no change). */
export async function storedScanHolds(source: FileSource, stored: StoredScan, files: readonly string[]): Promise<boolean> {
  const compared = await compareStamps(source, stored, files, () => true);
  return compared !== undefined && compared.changed.length === 0;
}

/**
 * The stored scan's result when no listed file changed since it was stored,
 * or when those that changed answer as before; undefined when the scan must run.
 */
async function replay(source: FileSource, cache: FactsCache, key: string, files: string[], opts: ScanOptions): Promise<ScanResult | undefined> {
  const stored = cache.storedScan(key);
  if (!stored) return undefined;
  const compared = await compareStamps(source, stored, files, (t) => cache.isRacy(t));
  if (!compared) return undefined;
  const { stamps, changed, restamp } = compared;
  if (changed.length > Math.max(REPLAY_MAX_CHANGED, files.length * REPLAY_MAX_CHANGED_SHARE)) return undefined;
  if (changed.length && !(await changedAnswerAsBefore(source, cache, stored, files, changed, stamps, opts))) return undefined;
  let result: ScanResult;
  try {
    result = JSON.parse(stored.result() ?? '') as ScanResult;
  } catch {
    return undefined;
  }
  if (!result || result.root !== source.root || !Array.isArray(result.usages)) return undefined;
  cache.markReplayed(restamp || changed.length ? stamps : undefined);
  return result;
}

/**
 * Whether every changed file gives the stored scan's questions the stored
 * answers (then the scan would run as it did); fills in their new stamps.
 */
async function changedAnswerAsBefore(
  source: FileSource,
  cache: FactsCache,
  stored: StoredScan,
  files: string[],
  changed: Array<{ i: number; bytes?: Uint8Array }>,
  stamps: ScanStamp[],
  opts: ScanOptions,
): Promise<boolean> {
  const reads: Array<{ i: number; bytes: Uint8Array; trace: NonNullable<ReturnType<StoredScan['trace']>> }> = [];
  const grammars = new Set<string>();
  for (const c of changed) {
    const file = files[c.i];
    const trace = stored.trace(c.i);
    if (!trace) return false;
    const read = await source.read(file).catch(() => undefined);
    if (!read?.ok || !read.stamp || read.stamp.ctimeMs === undefined) return false;
    // The class first: cheap, and most edits that matter change it.
    if (fileClass(file, read.bytes) !== trace.cls) return false;
    const { size, mtimeMs, ctimeMs } = read.stamp;
    stamps[c.i] = { size, mtimeMs, ctimeMs, hash: cache.isRacy(mtimeMs) ? sha1(read.bytes) : undefined };
    reads.push({ i: c.i, bytes: read.bytes, trace });
    const grammar = languageForPath(file)?.grammar;
    if (grammar && trace.obs.some((o) => o[0] === 'facts')) grammars.add(grammar);
  }
  let treeSitter: TreeSitterRuntime | undefined;
  if (grammars.size) {
    treeSitter = typeof opts.treeSitter === 'function' ? await opts.treeSitter() : opts.treeSitter;
    if (!treeSitter) return false;
    for (const g of grammars) await ensureGrammar(treeSitter, g);
  }
  for (const r of reads) if (!answersAsBefore(files[r.i], r.bytes, r.trace, treeSitter)) return false;
  return true;
}

function sha1(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

async function indexListed(source: FileSource, opts: ScanOptions, listed: Listed, trace?: ScanTrace): Promise<{ result: ScanResult; index: WorkspaceIndex }> {
  const skipped: Skipped[] = [...listed.skipped];
  const files = listed.files;
  const resolver = new ProjectResolver(listed.configs);
  const cache = opts.factsCache;
  const entries: IndexEntry[] = [];
  let filesScanned = 0;

  await forEachConcurrently(files, opts.concurrency ?? 64, async (file) => {
    let read;
    try {
      read = await source.read(file);
    } catch (e) {
      skipped.push({ file, reason: 'unreadable', detail: String((e as Error)?.message ?? e) });
      return;
    }
    if (!read.ok) {
      skipped.push(read.skipped);
      return;
    }
    filesScanned++;
    cache?.noteRead(file, read.bytes, read.stamp);
    const { entry, skipped: skip } = indexEntry(file, read.bytes, source.readSync ? () => source.readSync!(file) : undefined);
    trace?.setClass(file, classOf(entry, skip));
    if (skip) skipped.push(skip);
    if (entry) entries.push(entry);
  });

  entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  // Load the grammars of the files to parse (only those), before the synchronous batch;
  // the runtime itself only when some file has a grammar.
  let treeSitter = typeof opts.treeSitter === 'function' ? undefined : opts.treeSitter;
  if (opts.treeSitter) {
    const grammars = new Set<string>();
    let anyGrammar = false;
    for (const e of entries) {
      const grammar = languageForPath(e.file)?.grammar;
      anyGrammar ||= grammar !== undefined;
      if (grammar && e.text !== undefined) grammars.add(grammar);
    }
    if (anyGrammar && typeof opts.treeSitter === 'function') treeSitter = await opts.treeSitter();
    if (treeSitter) for (const grammar of grammars) await ensureGrammar(treeSitter, grammar);
  }
  const index = new WorkspaceIndex({ treeSitter, resolver, quietBodies: opts.quietBodies, factsCache: cache, observe: trace?.observe });
  // Handed over (splice): the index lets each text go once its facts are taken.
  index.updateBatch(entries.splice(0));
  skipped.push(...index.skipped());
  for (const p of index.parseErrors()) if (p.fatal) skipped.push({ file: p.file, reason: 'parse-error', detail: p.error });
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const result: ScanResult = { root: source.root, filesScanned, usages: index.usages(), unresolved: index.unresolved(), skipped };
  return { result, index };
}

/**
 * How one file's bytes enter the index: decoded text when they contain an SDK
 * term (parsed at once), unparsed bytes for other JS-family and Python files
 * (parsed if a resolution or a wrapper name needs them), nothing for other files, or why
 * the file is skipped. The CLI's scan and the language server share it.
 *
 * With `reread` (the source can read a file again synchronously: the work
 * tree), no bytes are kept: an unparsed file is read again when the index
 * asks whether it mentions a name or needs its text, and a parsed file whose
 * quiet bodies were blanked is read again when a new wrapper name may be in
 * them (about one read more per file on the benchmark's monorepo, for 30 MB
 * less at the peak). Without it (a git ref's objects, tests) the bytes stay.
 */
export function indexEntry(file: string, bytes: Uint8Array, reread?: () => ReadResult): { entry?: IndexEntry; skipped?: Skipped } {
  const lang = languageForPath(file);
  if (!lang) return {};
  if (isBinary(bytes)) return { skipped: { file, reason: 'binary' } };
  if (bytesHaveSdkTerm(bytes, lang.family)) {
    const decoded = decodeSource(file, bytes);
    if (!decoded.ok) return { skipped: decoded.skipped };
    return { entry: { file, text: decoded.text, hasSdkTerm: true, ...(reread ? { source: rereadLazy(file, reread) } : {}) } };
  }
  const lazy = () => (reread ? rereadLazy(file, reread) : bytesLazy(file, bytes));
  // Swift files are linked too (swift-facts.ts): any file of the module may declare a type's constants or wrappers.
  if (lang.grammar === 'swift') return { entry: { file, lazy: lazy() } };
  // Kotlin too (kotlin-facts.ts): a package's constants and wrappers may be in any of its files.
  if (lang.grammar === 'kotlin') return { entry: { file, lazy: lazy() } };
  // JS, Python and Go files are linked across files: their constants, classes and wrappers may be needed.
  if (lang.family !== 'js' && lang.family !== 'python' && lang.family !== 'go') return {};
  return { entry: { file, lazy: lazy() } };
}

/** How the pre-filter takes a file (what `indexEntry` makes of its bytes), for the scan's trace. */
export function fileClass(file: string, bytes: Uint8Array): FileClass {
  const { entry, skipped } = indexEntry(file, bytes);
  return classOf(entry, skipped);
}

function classOf(entry: IndexEntry | undefined, skipped: Skipped | undefined): FileClass {
  if (skipped) return `skip:${JSON.stringify(skipped)}`;
  if (!entry) return 'none';
  return entry.text !== undefined ? 'sdk' : 'lazy';
}

/** A file known by its name only: every question reads it again (a file gone or grown too large since answers like an unreadable one). */
function rereadLazy(file: string, reread: () => ReadResult): LazyText {
  let skipped: Skipped | undefined;
  const bytes = (): Uint8Array | undefined => {
    let r: ReadResult;
    try {
      r = reread();
    } catch (e) {
      r = { ok: false, skipped: { file, reason: 'unreadable', detail: String((e as Error)?.message ?? e) } };
    }
    if (r.ok) return r.bytes;
    skipped = r.skipped;
    return undefined;
  };
  return {
    onBytes: true,
    contains: (term) => {
      const b = bytes();
      return b !== undefined && bytesContain(b, term);
    },
    containsAny: (terms) => {
      const b = bytes();
      return b !== undefined && bytesContainAny(b, terms);
    },
    text: () => {
      const b = bytes();
      if (b === undefined) return undefined;
      const d = decodeSource(file, b);
      if (d.ok) return d.text;
      skipped = d.skipped;
      return undefined;
    },
    skipped: () => skipped,
  };
}

function bytesLazy(file: string, bytes: Uint8Array): LazyText {
  let skipped: Skipped | undefined;
  return {
    onBytes: true,
    contains: (term) => bytesContain(bytes, term),
    containsAny: (terms) => bytesContainAny(bytes, terms),
    text: () => {
      const d = decodeSource(file, bytes);
      if (d.ok) return d.text;
      skipped = d.skipped;
      return undefined;
    },
    skipped: () => skipped,
  };
}

/** The text of every project config (`configs` as listed; without a listing, the root's), read once. */
export async function readProjectConfigs(source: FileSource, configs?: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const readAll = (names: string[]) =>
    forEachConcurrently(names, 16, async (name) => {
      try {
        const r = await source.read(name);
        if (r.ok) out.set(name, new TextDecoder().decode(r.bytes));
      } catch {
        // unreadable config: resolution goes on without it
      }
    });
  await readAll((configs ?? ['tsconfig.json', 'jsconfig.json', 'package.json', 'go.mod']).filter(isProjectConfig).sort());
  // Base configs named in `extends` with other names (`packages/tsconfig/base.json`), a few levels deep.
  const tried = new Set(out.keys());
  for (let round = 0; round < 4; round++) {
    const more = new ProjectResolver(out).missingConfigs().filter((f) => !tried.has(f));
    if (!more.length) break;
    for (const f of more) tried.add(f);
    await readAll(more);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function forEachConcurrently<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
