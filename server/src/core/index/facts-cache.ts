/**
 * The index cache, in memory: per-file facts made by an earlier run, reused
 * when making them again would give the same facts.
 *
 * The index (workspace-index.ts) asks `get` before it extracts a file's
 * facts and hands what it made to `put`; everything else (listing, reading,
 * pre-filter, linking) runs as in a cold scan, so a scan with a cache gives
 * exactly the result of one without. Facts are a function of
 *  - the file's text: a record is used only for a file whose read matched
 *    the stored size and modification time (and content hash, when that
 *    time was too close to the run that stored it to trust) — `noteRead`;
 *  - how it was read (`mode`: whole, quiet bodies blanked from which length);
 *  - the loud terms of a quiet read (SDK and wrapper names known then): a
 *    body is kept when it contains one, so only the terms the text contains
 *    matter, and a record made under other terms is used when the terms that
 *    differ occur nowhere in the text;
 *  - the code that builds facts and the grammars: the store (node/facts-store.ts)
 *    checks FACTS_FORMAT_VERSION, the tool's build and the grammar versions;
 *  - nothing else. Project configs only steer linking; the cache is still
 *    dropped when they differ (`useConfigs`), as the contract promises.
 *
 * Pure: the Node side reads and writes the store.
 */
import { createHash } from 'node:crypto';
import type { FileStamp, ListingWitness, SourceListing } from '../file-source';
import type { ScanResult } from '../types';
import type { FileFacts } from './facts';
import type { ScanTrace, StoredFileTrace } from './scan-trace';

/** Bump on any change to what facts hold or how they are made, or to the stored layout (old caches are then not used). */
export const FACTS_FORMAT_VERSION = 5;

/** A modification time this close (ms) to the start of the run is not trusted alone: the content hash is kept too. */
export const RACY_MS = 3000;

/** At most this many records (reads under different modes or loud terms) are kept per file. */
const RECORDS_PER_FILE = 4;


/** One stored read of a file. `facts()` opens it (undefined when it does not parse). */
export interface CachedRecord {
  mode: string;
  /** The loud terms of a quiet read (undefined for a read without them). */
  loud?: readonly string[];
  facts(): FileFacts | undefined;
  /** The stored form, for writing it again unopened. */
  json(): string;
}

export interface CachedFile extends FileStamp {
  /** SHA-1 of the bytes (hex), kept when the modification time was too recent to trust. */
  hash?: string;
  records: CachedRecord[];
}

/** A listed file's stamp as a stored scan keeps it: with its status change time, and its content hash when the times were too recent to trust. */
export interface ScanStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  hash?: string;
}

/**
 * A whole scan, replayed when nothing it read can have changed, or when the
 * files that changed answer every question it asked of them as before
 * (scan.ts `scanResult`): the same listing (listingDigest) and every file's
 * stamp as stored, in listing order. Read from the store when first asked:
 * undefined (count -1) when it cannot be read.
 */
export interface StoredScan {
  listing(): string | undefined;
  count(): number;
  stamps(): ScanStamp[] | undefined;
  /** The ScanResult as JSON. */
  result(): string | undefined;
  /** What the scan asked of the i-th listed file (scan-trace.ts), with the term lists its observations refer to. */
  trace(i: number): (StoredFileTrace & { lists: string[][] }) | undefined;
}

/** A listing of the work tree and what it depended on (FileSource.listWitnessed). */
export interface StoredListing {
  witness: ListingWitness;
  listing: SourceListing;
}

/** What a store loaded: the digest of the project configs the facts were made under, the facts by path (read when first asked), the last scan. */
export interface CacheContents {
  configs: string;
  /** Undefined when they cannot be read (the store said why). */
  files(): Map<string, CachedFile> | undefined;
  scan?: StoredScan;
  /** The last listing, read when first asked. */
  listing?: () => StoredListing | undefined;
}

/** What a store writes. */
export interface CacheOutput {
  configs: string;
  /** The scan to replay: its listing digest, every listed file's stamp, its result as JSON, and what it asked of each file. */
  scan?: { listing: string; stamps: ScanStamp[]; result: string; trace?: { lists: string[][]; files: StoredFileTrace[] } };
  louds: string[][];
  files: Array<{ file: string; size: number; mtimeMs: number; hash?: string; records: Array<{ mode: string; loud: number; json: string }> }>;
  listing?: StoredListing;
}

interface LiveRecord {
  mode: string;
  loud?: readonly string[];
  facts?: FileFacts;
  stored?: CachedRecord;
}

interface LiveFile extends FileStamp {
  ctimeMs?: number;
  hash?: string;
  records: LiveRecord[];
}

export class FactsCache {
  private priorFiles?: Map<string, CachedFile>;
  private loadPrior?: () => Map<string, CachedFile> | undefined;
  private priorConfigs: string | undefined;
  private configs = '';
  /** Files read in this run whose content is known (stamp), with the records usable for that content. */
  private readonly live = new Map<string, LiveFile>();
  /** Symmetric differences of two loud lists (records' and the index's), computed once per pair. */
  private readonly loudDiffs = new WeakMap<readonly string[], WeakMap<readonly string[], string[]>>();
  /** Whether what would be written differs from what was loaded. */
  private dirty: boolean;
  private priorScan?: StoredScan;
  /** This run's scan to store (keepScan). */
  private scan?: { listing: string; files: string[]; result: string; trace?: ScanTrace };
  /** The stored scan was replayed: nothing was read, and the stored cache stays as it is. */
  private replayed = false;
  /** The stored scan was replayed with new stamps (restamp): only they are written. */
  private restamped?: { listing: string; stamps: ScanStamp[] };
  private loadListing?: () => StoredListing | undefined;
  /** The listing to store: the loaded one while it holds, else this run's (undefined: none). */
  private listing?: StoredListing;
  private listingChanged = false;
  hits = 0;
  misses = 0;

  /** `startedAt`: when the run started reading (ms since the epoch), for racy modification times. */
  constructor(loaded: CacheContents | undefined, private readonly startedAt: number = Date.now()) {
    if (loaded) this.loadPrior = loaded.files;
    else this.priorFiles = new Map();
    this.priorConfigs = loaded?.configs;
    this.priorScan = loaded?.scan;
    this.loadListing = loaded?.listing;
    this.dirty = loaded === undefined;
  }

  /** The stored listing of the work tree (to be checked with FileSource.listingHolds before use). */
  storedListing(): StoredListing | undefined {
    if (this.loadListing) {
      this.listing = this.loadListing();
      this.loadListing = undefined;
    }
    return this.listing;
  }

  /** This run listed the work tree: the listing to store (undefined witness: nothing can be trusted, none is stored). */
  keepListing(witness: ListingWitness | undefined, listing: SourceListing): void {
    this.loadListing = undefined;
    this.listing = witness && { witness, listing };
    this.listingChanged = true;
  }

  /** After a replay: the listing was made again and differs from the stored one (written with the stored scan). */
  listingToWrite(): { changed: boolean; listing?: StoredListing } {
    return { changed: this.listingChanged, listing: this.listing };
  }

  /** The stored facts, read when first needed (a replayed scan never reads them). */
  private get prior(): Map<string, CachedFile> {
    if (!this.priorFiles) {
      const loaded = this.loadPrior?.();
      this.loadPrior = undefined;
      this.priorFiles = loaded ?? new Map();
      if (!loaded) this.dirty = true;
    }
    return this.priorFiles;
  }

  private set prior(files: Map<string, CachedFile>) {
    this.loadPrior = undefined;
    this.priorFiles = files;
  }

  /**
   * The digest of the project configs this run's resolution read (`configsDigest`).
   * When it differs from the stored one, no stored facts are used.
   */
  useConfigs(digest: string): void {
    this.configs = digest;
    if (this.priorConfigs !== undefined && this.priorConfigs !== digest) {
      this.prior = new Map();
      this.priorScan = undefined;
      for (const f of this.live.values()) f.records = [];
      this.dirty = true;
    }
    this.priorConfigs = digest;
  }

  /**
   * A file was read from disk (`stamp` from the same open as `bytes`; without
   * one, e.g. a git ref, the file is not cached). Its stored facts become
   * usable when the stamp (and hash) match.
   */
  noteRead(file: string, bytes: Uint8Array, stamp: FileStamp | undefined): void {
    if (!stamp) {
      this.forget(file);
      return;
    }
    const racy = this.isRacy(stamp.mtimeMs);
    let hash = racy ? sha1(bytes) : undefined;
    const p = this.prior.get(file);
    let records: LiveRecord[] = [];
    if (p && p.size === stamp.size && p.mtimeMs === stamp.mtimeMs && (p.hash === undefined || p.hash === (hash ??= sha1(bytes)))) {
      records = p.records.map((r) => ({ mode: r.mode, loud: r.loud, stored: r }));
      if (hash !== p.hash) this.dirty = true;
    } else if (p) {
      this.dirty = true;
    }
    this.live.set(file, { size: stamp.size, mtimeMs: stamp.mtimeMs, ctimeMs: stamp.ctimeMs, hash, records });
  }

  /** The file's text is no longer the one read from disk (an editor buffer), or it is gone: nothing of it is used or kept. */
  forget(file: string): void {
    const f = this.live.get(file);
    if (!f) return;
    this.live.delete(file);
    if (f.records.length) this.dirty = true;
  }

  /** Facts an earlier read of this file's current text made under the same conditions, if stored. */
  get(file: string, mode: string, loud: readonly string[] | undefined, text: string): FileFacts | undefined {
    const f = this.live.get(file);
    if (f) {
      for (const r of f.records) {
        if (r.mode !== mode || !this.sameLoud(r.loud, loud, text)) continue;
        const facts = r.facts ?? r.stored?.facts();
        if (facts && facts.file === file) {
          this.hits++;
          return facts;
        }
      }
    }
    this.misses++;
    return undefined;
  }

  /** Facts just made from the file's current text (kept when the file's content is known and nothing went wrong). */
  put(file: string, mode: string, loud: readonly string[] | undefined, facts: FileFacts): void {
    const f = this.live.get(file);
    // A parse that failed or ran out of time may not fail next time: never kept.
    if (!f || facts.error !== undefined) return;
    f.records = [{ mode, loud, facts }, ...f.records.filter((r) => r.mode !== mode || !sameTerms(r.loud, loud))].slice(0, RECORDS_PER_FILE);
    this.dirty = true;
  }

  /** Whether a modification time is too recent to trust alone (a content hash is kept with it). */
  isRacy(mtimeMs: number): boolean {
    return mtimeMs >= this.startedAt - RACY_MS;
  }

  /** The stored scan of this listing (listingDigest), if any. */
  storedScan(listing: string): StoredScan | undefined {
    return this.priorScan?.listing() === listing ? this.priorScan : undefined;
  }

  /**
   * The stored scan was used as this run's result: the cache stays as
   * stored, or with `stamps` when some changed (files whose content
   * changed in ways the scan could not see, or whose hash need not be kept).
   */
  markReplayed(stamps?: ScanStamp[]): void {
    this.replayed = true;
    const listing = this.priorScan?.listing();
    if (stamps && listing !== undefined) this.restamped = { listing, stamps };
  }

  /** After a replay with new stamps: what to store (the rest of the stored cache stays as it is). */
  restampedScan(): { listing: string; stamps: ScanStamp[] } | undefined {
    return this.restamped;
  }

  /** Whether the last run replayed the stored scan. */
  wasReplayed(): boolean {
    return this.replayed;
  }

  /**
   * Keeps this run's scan for replay next time, when it can be trusted
   * again: every listed file was read with a full stamp, and nothing failed
   * that might not fail next time (an unreadable file, a parse error or time-out).
   */
  keepScan(listing: string, files: readonly string[], result: ScanResult, trace?: ScanTrace): void {
    if (result.skipped.some((s) => s.reason === 'unreadable' || s.reason === 'parse-error' || s.reason === 'too-large')) return;
    if (!files.every((f) => this.live.get(f)?.ctimeMs !== undefined)) return;
    const json = JSON.stringify(result);
    this.scan = { listing, files: [...files], result: json, trace };
    // A scan with a trace is written (the stored one may have none); without, only when it differs from the stored one.
    if (trace || !this.sameAsStored(listing, files, json)) this.dirty = true;
  }

  private sameAsStored(listing: string, files: readonly string[], json: string): boolean {
    const p = this.priorScan;
    if (!p || p.listing() !== listing || p.count() !== files.length) return false;
    const stamps = p.stamps();
    if (!stamps) return false;
    for (let i = 0; i < files.length; i++) {
      const a = stamps[i];
      const b = this.live.get(files[i])!;
      if (a.size !== b.size || a.mtimeMs !== b.mtimeMs || a.ctimeMs !== b.ctimeMs || a.hash !== b.hash) return false;
    }
    return p.result() === json;
  }

  /** What `output()` gave was stored: from now on, only later changes count as changes. */
  saved(): void {
    this.dirty = false;
    this.restamped = undefined;
    this.listingChanged = false;
    this.prior = new Map();
    this.priorConfigs = this.configs;
  }

  /** Whether writing would change the stored cache. */
  changed(): boolean {
    if (this.restamped || this.listingChanged) return true;
    if (this.replayed) return false;
    if (this.dirty) return true;
    // A stored file not read this run (deleted, or no longer listed) goes.
    for (const file of this.prior.keys()) if (!this.live.has(file)) return true;
    return false;
  }

  /** Everything to store: the files read this run with their records. */
  output(): CacheOutput {
    const louds: string[][] = [];
    const loudIds = new Map<readonly string[], number>();
    const idOf = (l: readonly string[] | undefined) => {
      if (!l) return -1;
      let id = loudIds.get(l);
      if (id === undefined) {
        id = louds.length;
        louds.push([...l]);
        loudIds.set(l, id);
      }
      return id;
    };
    const files: CacheOutput['files'] = [];
    for (const file of [...this.live.keys()].sort()) {
      const f = this.live.get(file)!;
      if (!f.records.length) continue;
      const records = f.records.map((r) => ({ mode: r.mode, loud: idOf(r.loud), json: r.stored && !r.facts ? r.stored.json() : JSON.stringify(r.facts) }));
      files.push({ file, size: f.size, mtimeMs: f.mtimeMs, hash: f.hash, records });
    }
    const s = this.scan;
    const scan = s && {
      listing: s.listing,
      result: s.result,
      stamps: s.files.map((f): ScanStamp => {
        const l = this.live.get(f)!;
        return { size: l.size, mtimeMs: l.mtimeMs, ctimeMs: l.ctimeMs ?? -1, hash: l.hash };
      }),
      trace: s.trace?.serialize(s.files),
    };
    return { configs: this.configs, scan, louds, files, listing: this.storedListing() };
  }

  /**
   * Whether facts made under loud terms `a` equal those made under `b` for
   * this text: every term in one list and not the other is absent from it.
   */
  private sameLoud(a: readonly string[] | undefined, b: readonly string[] | undefined, text: string): boolean {
    if (a === b) return true;
    if (!a || !b) return false;
    let byB = this.loudDiffs.get(a);
    if (!byB) this.loudDiffs.set(a, (byB = new WeakMap()));
    let diff = byB.get(b);
    if (!diff) {
      const sa = new Set(a);
      const sb = new Set(b);
      diff = [...a.filter((t) => !sb.has(t)), ...b.filter((t) => !sa.has(t))];
      byB.set(b, diff);
    }
    for (const t of diff) if (text.includes(t)) return false;
    return true;
  }
}

/** A digest of the project configs resolution read (names and texts). */
export function configsDigest(configs: ReadonlyMap<string, string>): string {
  const h = createHash('sha1');
  for (const [name, text] of [...configs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) h.update(`${name.length}:${name}${text.length}:`).update(text);
  return h.digest('hex');
}

/**
 * Facts from their stored JSON. Records keyed by names from the code get no
 * prototype again, as extraction makes them (a name `constructor` is just a name).
 */
export function factsFromJson(json: string): FileFacts | undefined {
  let facts: FileFacts;
  try {
    facts = JSON.parse(json) as FileFacts;
  } catch {
    return undefined;
  }
  if (!facts || typeof facts !== 'object' || (facts.kind !== 'js' && facts.kind !== 'foreign') || typeof facts.file !== 'string') return undefined;
  if (facts.kind === 'js') {
    facts.bindings = bare(facts.bindings);
    facts.imports = bare(facts.imports);
    facts.exports = bare(facts.exports);
    if (facts.impls) facts.impls = bare(facts.impls);
  }
  nullProps(facts);
  return facts;
}

function bare<T>(o: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, o);
}

/** Every `props` record (object-literal values, JSX attributes) without a prototype, as extraction makes them. */
function nullProps(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) if (x && typeof x === 'object') nullProps(x);
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (!x || typeof x !== 'object') continue;
    if (k === 'props' && !Array.isArray(x)) o[k] = bare(x as Record<string, unknown>);
    nullProps(o[k]);
  }
}

function sha1(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** Two loud-term lists with the same terms in the same order (the index rebuilds its list as it learns wrapper names). */
function sameTerms(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((t, i) => t === b[i]);
}
