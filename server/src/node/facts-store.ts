/**
 * The index cache on disk: one file per scanned root under the cache
 * directory, holding what FactsCache (core/index/facts-cache.ts) keeps.
 *
 * Layout: 8 magic bytes, a 4-byte little-endian length, a small JSON meta
 * block (what made the cache, the configs' digest, the file's total length,
 * and where each section is with its length and CRC-32), then the sections,
 * each read and checked only when needed:
 *  - `listing`: the work tree's last listing and what it depended on
 *    (FileSource.listWitnessed): reused when a stat of each says nothing changed;
 *  - `stamps`: the last scan's listing digest and every listed file's size,
 *    modification and status change times (binary, 24 bytes a file) and
 *    content hash where one was kept;
 *  - `result`: that scan's result (JSON);
 *  - `trace`: what that scan asked of each file and the answers (scan-trace.ts),
 *    one JSON slice per file, read only for files that changed;
 *  - `facts`: per file its stamp and its facts records (a JSON header and a body).
 * A scan with nothing changed reads the meta, `stamps` and `result` only
 * (a few hundred KB of a 10 MB file); one with a few changed files adds
 * their slices of `trace`; only a scan that must run reads `facts`.
 *
 * Anything wrong with the file (truncated, corrupt, another version, not
 * writable) costs the cache, never the run: one line through `warn`, a cold
 * scan, and a fresh file when it can be written. Files are written 0600,
 * through a temporary file and a rename, in a directory created 0700; they
 * hold facts (names, flag keys, positions), no file's text and no key.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync, constants, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { version as toolVersion } from '../../../package.json';
import { version as grammarsVersion } from 'tree-sitter-wasms/package.json';
import { version as typescriptVersion } from 'typescript/package.json';
import { FACTS_FORMAT_VERSION, FactsCache, factsFromJson, type CachedFile, type CacheContents, type ScanStamp, type StoredListing, type StoredScan } from '../core/index/facts-cache';
import type { StoredFileTrace } from '../core/index/scan-trace';

const MAGIC = Buffer.from('PHFLAGS\u0002', 'latin1');

/**
 * What made the facts: a cache made by anything else is not used. `build`
 * is the bundle's build id (a digest of the sources and the parser and
 * grammar packages, set by scripts/build.mjs); unbundled code (tests) is `dev`.
 */
export const CACHE_IDENTITY = JSON.stringify({
  format: FACTS_FORMAT_VERSION,
  tool: toolVersion,
  build: process.env.PHF_BUILD_ID ?? 'dev',
  typescript: typescriptVersion,
  grammars: grammarsVersion,
});

/** `$XDG_CACHE_HOME/posthog-flags`, else `~/.cache/posthog-flags`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME?.trim();
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'posthog-flags');
}

/** The cache file of one scanned root (its absolute path, hashed: one entry per root). */
export function cacheFileFor(dir: string, root: string): string {
  return join(dir, `${createHash('sha256').update(root).digest('hex').slice(0, 32)}.facts`);
}

const SECTIONS = ['listing', 'stamps', 'result', 'trace', 'facts'] as const;
type SectionName = (typeof SECTIONS)[number];
/** [offset from the start of the file, length, CRC-32]. */
type Section = [number, number, number];

interface Meta {
  identity: string;
  root: string;
  configs: string;
  /** The whole file's length: a file cut anywhere is seen before any section is read. */
  length: number;
  sections: Partial<Record<SectionName, Section>>;
}

/** `stamps` header: the listing digest and how many files (then STAMP_BYTES a file). */
interface StampsHeader {
  listing: string;
  count: number;
}

/**
 * One file's stamp: size, modification and status change times (doubles),
 * a byte saying whether a content hash follows, the SHA-1 (20 bytes). A
 * fixed size, so that new stamps for the same listing are written over
 * the old ones in place (`save` after a replay).
 */
const STAMP_BYTES = 45;

/** Room left in the meta block for its checksums to change length when stamps are written in place. */
const META_SLACK = 32;

/** `trace` header: the term lists the observations refer to, and each file's slice of the body ([start, length], in listing order). */
interface TraceHeader {
  lists: string[][];
  slices: number[];
}

/** `facts` header. */
interface FactsHeader {
  louds: string[][];
  /** [path, size, mtimeMs, hash or '', [[mode, loud index or -1, start, length], …]] (start in the section's body). */
  files: Array<[string, number, number, string, Array<[string, number, number, number]>]>;
}

/** Where one root's cache lives, and what to say when something is wrong with it. */
export interface FactsStoreOptions {
  dir: string;
  root: string;
  /** One line about a cache that could not be used or written (stderr, window/logMessage). */
  warn: (message: string) => void;
}

/** The file as opened: what its sections are, and how to tell it is still the same file. */
interface Opened {
  meta: Meta;
  metaLength: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export class FactsStore {
  readonly file: string;
  private opened?: Opened;
  /** A damaged section was reported (one line per run). */
  private warned = false;

  constructor(private readonly opts: FactsStoreOptions) {
    this.file = cacheFileFor(opts.dir, opts.root);
  }

  /** The cache for this run: what the file holds when it can be used, else an empty one. Never throws. */
  open(startedAt = Date.now()): FactsCache {
    return new FactsCache(this.load(), startedAt);
  }

  private bad(why: string): undefined {
    if (!this.warned) this.opts.warn(`index cache ${this.file} ${why}; scanning without it, it is written again`);
    this.warned = true;
    return undefined;
  }

  private load(): CacheContents | undefined {
    this.opened = undefined;
    let fd: number;
    let stat: Stats;
    let head: Buffer;
    let metaLength: number;
    try {
      fd = openSync(this.file, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.opts.warn(`index cache ${this.file} could not be read (${code ?? String(e)}); scanning without it`);
      return undefined;
    }
    try {
      stat = fstatSync(fd);
      if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
      head = readAt(fd, 0, Math.min(stat.size, 12));
      if (head.length < 12 || !head.subarray(0, 8).equals(MAGIC)) return this.bad('is not a posthog-flags cache or is damaged');
      metaLength = head.readUInt32LE(8);
      if (12 + metaLength > stat.size) return this.bad('is truncated');
      head = readAt(fd, 12, metaLength);
    } catch (e) {
      this.opts.warn(`index cache ${this.file} could not be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); scanning without it`);
      return undefined;
    } finally {
      closeSync(fd);
    }
    let meta: Meta;
    try {
      meta = JSON.parse(head.toString('utf8')) as Meta;
    } catch {
      return this.bad('is damaged');
    }
    if (!meta || typeof meta !== 'object' || typeof meta.identity !== 'string') return this.bad('is damaged');
    if (meta.identity !== CACHE_IDENTITY) return this.bad('was made by another version of posthog-flags');
    if (meta.root !== this.opts.root) return this.bad('belongs to another folder');
    if (typeof meta.length !== 'number' || !meta.sections || typeof meta.sections !== 'object') return this.bad('is damaged');
    if (stat.size < meta.length) return this.bad('is truncated');
    if (stat.size > meta.length) return this.bad('is damaged');
    for (const name of SECTIONS) {
      const s = meta.sections[name];
      if (s !== undefined && !(Array.isArray(s) && s.length === 3 && s.every(Number.isInteger) && s[0] >= 12 && s[0] + s[1] <= meta.length)) return this.bad('is damaged');
    }
    if (!meta.sections.facts) return this.bad('is damaged');
    this.opened = { meta, metaLength, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs };
    return { configs: meta.configs, files: () => this.loadFacts(), scan: this.storedScan(), listing: meta.sections.listing ? () => this.loadListing() : undefined };
  }

  /**
   * The cache file opened (`flags`) when it is still the one `open` read:
   * same inode, size and modification time (another run may have written
   * it since). Undefined otherwise, or when it cannot be opened.
   */
  private openUnchanged(o: { ino: number; size: number; mtimeMs: number }, flags: number): number | undefined {
    let fd: number;
    try {
      fd = openSync(this.file, flags | constants.O_NONBLOCK);
    } catch {
      return undefined;
    }
    try {
      const stat = fstatSync(fd);
      if (stat.ino === o.ino && stat.size === o.size && stat.mtimeMs === o.mtimeMs) return fd;
    } catch {
      // fall through: closed below
    }
    closeSync(fd);
    return undefined;
  }

  /**
   * The named sections' bytes, each checked against its CRC-32 unless
   * `unchecked` (copied as they are); undefined when the file is no longer
   * the one opened (then nothing is said: another run wrote it), or a
   * section is damaged (said once).
   */
  private sections(names: SectionName[], unchecked = false): Buffer[] | undefined {
    const o = this.opened;
    if (!o) return undefined;
    const wanted = names.map((n) => o.meta.sections[n]);
    if (wanted.some((s) => s === undefined)) return undefined;
    const fd = this.openUnchanged(o, constants.O_RDONLY);
    if (fd === undefined) return undefined;
    try {
      // One read for the whole span (sections are contiguous in file order).
      const from = Math.min(...wanted.map((s) => s![0]));
      const to = Math.max(...wanted.map((s) => s![0] + s![1]));
      const span = readAt(fd, from, to - from);
      if (span.length !== to - from) return this.bad('is truncated');
      const out = wanted.map((s) => span.subarray(s![0] - from, s![0] - from + s![1]));
      if (!unchecked && out.some((b, i) => crc32(b) !== wanted[i]![2])) return this.bad('is damaged');
      return out;
    } catch {
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  /** The stored scan, its sections read when first asked. */
  private storedScan(): StoredScan | undefined {
    const s = this.opened?.meta.sections;
    if (!s?.stamps || !s.result) return undefined;
    let read: { header: StampsHeader; stamps: Buffer; result: Buffer } | null | undefined;
    const open = () => {
      if (read !== undefined) return read ?? undefined;
      read = null;
      const got = this.sections(['stamps', 'result']);
      if (!got) return undefined;
      try {
        const [stamps, result] = got;
        const headerLength = stamps.readUInt32LE(0);
        const header = JSON.parse(stamps.toString('utf8', 4, 4 + headerLength)) as StampsHeader;
        const body = stamps.subarray(4 + headerLength);
        if (typeof header.listing !== 'string' || body.length !== header.count * STAMP_BYTES) return this.bad('is damaged');
        read = { header, stamps: body, result };
        return read;
      } catch {
        return this.bad('is damaged');
      }
    };
    let trace: ReturnType<FactsStore['openTrace']> | null | undefined;
    return {
      listing: () => open()?.header.listing,
      count: () => open()?.header.count ?? -1,
      stamps: () => {
        const r = open();
        if (!r) return undefined;
        const out: ScanStamp[] = new Array(r.header.count);
        const b = r.stamps;
        for (let i = 0, at = 0; i < out.length; i++, at += STAMP_BYTES) {
          out[i] = { size: b.readDoubleLE(at), mtimeMs: b.readDoubleLE(at + 8), ctimeMs: b.readDoubleLE(at + 16) };
          if (b[at + 24] === 1) out[i].hash = b.toString('hex', at + 25, at + 45);
        }
        return out;
      },
      result: () => open()?.result.toString('utf8'),
      trace: (i) => {
        if (trace === undefined) trace = this.openTrace() ?? null;
        return trace?.(i);
      },
    };
  }

  /** Each file's trace by index, from the `trace` section (undefined: none stored, or damaged). */
  private openTrace(): ((i: number) => StoredFileTrace & { lists: string[][] } | undefined) | undefined {
    const got = this.sections(['trace']);
    if (!got) return undefined;
    const [b] = got;
    let header: TraceHeader;
    let body: Buffer;
    try {
      const headerLength = b.readUInt32LE(0);
      header = JSON.parse(b.toString('utf8', 4, 4 + headerLength)) as TraceHeader;
      body = b.subarray(4 + headerLength);
    } catch {
      return this.bad('is damaged');
    }
    return (i) => {
      const start = header.slices[2 * i];
      const length = header.slices[2 * i + 1];
      if (start === undefined || length === undefined) return undefined;
      try {
        const t = JSON.parse(body.toString('utf8', start, start + length)) as StoredFileTrace;
        return { cls: t.cls, obs: t.obs, lists: header.lists };
      } catch {
        return undefined;
      }
    };
  }

  private loadListing(): StoredListing | undefined {
    const got = this.sections(['listing']);
    if (!got) return undefined;
    try {
      const l = JSON.parse(got[0].toString('utf8')) as StoredListing;
      const w = l?.witness;
      if (!w || typeof w.options !== 'string' || !Array.isArray(w.paths) || !Array.isArray(w.stamps) || !Array.isArray(l.listing?.files) || !Array.isArray(l.listing.skipped)) return this.bad('is damaged');
      return l;
    } catch {
      return this.bad('is damaged');
    }
  }

  private loadFacts(): Map<string, CachedFile> | undefined {
    const got = this.sections(['facts']);
    if (!got) return undefined;
    const [section] = got;
    try {
      const headerLength = section.readUInt32LE(0);
      const header = JSON.parse(section.toString('utf8', 4, 4 + headerLength)) as FactsHeader;
      const body = section.subarray(4 + headerLength);
      const files = new Map<string, CachedFile>();
      for (const [file, size, mtimeMs, hash, records] of header.files) {
        files.set(file, {
          size,
          mtimeMs,
          hash: hash || undefined,
          records: records.map(([mode, loud, start, length]) => {
            const json = () => body.toString('utf8', start, start + length);
            return { mode, loud: loud >= 0 ? header.louds[loud] : undefined, json, facts: () => factsFromJson(json()) };
          }),
        });
      }
      return files;
    } catch {
      return this.bad('is damaged');
    }
  }

  /** Writes what the run knows when it differs from the file. Never throws; returns whether a file was written. */
  save(cache: FactsCache): boolean {
    if (!cache.changed()) return false;
    const restamped = cache.restampedScan();
    const listing = cache.listingToWrite();
    if (restamped && !listing.changed && this.restampInPlace(stampsSection(restamped.listing, restamped.stamps))) {
      cache.saved();
      return true;
    }
    let parts: Partial<Record<SectionName, Buffer>>;
    let configs: string;
    let known: Partial<Record<SectionName, number>> | undefined;
    if (cache.wasReplayed()) {
      // A replay: new stamps, or a new listing; the other sections are copied as they are.
      const meta = this.opened?.meta;
      const copy = SECTIONS.filter((n) => meta?.sections[n] !== undefined && !(n === 'stamps' && restamped) && n !== 'listing');
      const copied = meta && this.sections(copy, true);
      if (!meta || !copied) return false;
      parts = {};
      known = {};
      copy.forEach((n, i) => {
        parts[n] = copied[i];
        known![n] = meta.sections[n]![2];
      });
      if (restamped) parts.stamps = stampsSection(restamped.listing, restamped.stamps);
      if (listing.listing) parts.listing = Buffer.from(JSON.stringify(listing.listing), 'utf8');
      else if (!listing.changed && meta.sections.listing) {
        const old = this.sections(['listing'], true);
        if (!old) return false;
        parts.listing = old[0];
        known.listing = meta.sections.listing[2];
      }
      configs = meta.configs;
    } else {
      const out = cache.output();
      configs = out.configs;
      parts = { facts: factsSection(out.louds, out.files) };
      if (out.listing) parts.listing = Buffer.from(JSON.stringify(out.listing), 'utf8');
      if (out.scan) {
        parts.stamps = stampsSection(out.scan.listing, out.scan.stamps);
        parts.result = Buffer.from(out.scan.result, 'utf8');
        if (out.scan.trace) parts.trace = traceSection(out.scan.trace.lists, out.scan.trace.files);
      }
    }
    const file = this.assemble(configs, parts, known);
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(this.opts.dir, { recursive: true, mode: 0o700 });
      const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        for (const b of file) writeAll(fd, b);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.file);
      cache.saved();
      this.opened = undefined;
      return true;
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // nothing was created
      }
      this.opts.warn(`index cache not written to ${this.opts.dir} (${(e as NodeJS.ErrnoException).code ?? String(e)}); results are not affected`);
      return false;
    }
  }

  /**
   * New stamps for the same listing, written over the old ones (same
   * length) and the meta written again with their checksum: a few hundred
   * KB instead of the whole file, and no rename (which on ext4 flushes the
   * new file's data). A reader that meets a half-written update sees a
   * checksum that does not match: a damaged cache, ignored and written
   * again. False when the file is not the one opened or the sizes differ.
   */
  private restampInPlace(stamps: Buffer): boolean {
    const o = this.opened;
    const s = o?.meta.sections.stamps;
    if (!o || !s || s[1] !== stamps.length) return false;
    const metaLength = o.metaLength;
    const meta: Meta = { ...o.meta, sections: { ...o.meta.sections, stamps: [s[0], s[1], crc32(stamps)] } };
    const json = JSON.stringify(meta);
    if (Buffer.byteLength(json) > metaLength) return false;
    const fd = this.openUnchanged(o, constants.O_WRONLY);
    if (fd === undefined) return false;
    try {
      writeAllAt(fd, stamps, s[0]);
      writeAllAt(fd, Buffer.from(json.padEnd(metaLength + json.length - Buffer.byteLength(json)), 'utf8'), 12);
      this.opened = undefined;
      return true;
    } catch {
      return false;
    } finally {
      closeSync(fd);
    }
  }

  /** The file's bytes: magic, meta length, meta, sections in SECTIONS order. */
  private assemble(configs: string, parts: Partial<Record<SectionName, Buffer>>, known?: Partial<Record<SectionName, number>>): Buffer[] {
    const present = SECTIONS.filter((n) => parts[n] !== undefined);
    const bodyLength = present.reduce((n, name) => n + parts[name]!.length, 0);
    // Sections copied from the file keep their checksums (they were not read checked: a damaged one stays damaged).
    const crcs = present.map((name) => known?.[name] ?? crc32(parts[name]!));
    // The meta's length depends on the offsets, which depend on the meta's length: grow the guess until it
    // holds (lengths only grow with the guess), padding with spaces (valid after JSON) to the guess.
    let guess = 0;
    let metaBytes: Buffer;
    for (;;) {
      let at = 12 + guess;
      const sections: Meta['sections'] = {};
      present.forEach((name, i) => {
        const b = parts[name]!;
        sections[name] = [at, b.length, crcs[i]];
        at += b.length;
      });
      const meta: Meta = { identity: CACHE_IDENTITY, root: this.opts.root, configs, length: 12 + guess + bodyLength, sections };
      const json = JSON.stringify(meta);
      if (Buffer.byteLength(json) + META_SLACK <= guess) {
        metaBytes = Buffer.from(json.padEnd(guess + json.length - Buffer.byteLength(json)), 'utf8');
        break;
      }
      guess = Buffer.byteLength(json) + META_SLACK;
    }
    const length = Buffer.alloc(4);
    length.writeUInt32LE(metaBytes.length);
    return [MAGIC, length, metaBytes, ...present.map((n) => parts[n]!)];
  }
}

function stampsSection(listing: string, stamps: readonly ScanStamp[]): Buffer {
  const body = Buffer.alloc(stamps.length * STAMP_BYTES);
  stamps.forEach((s, i) => {
    const at = i * STAMP_BYTES;
    body.writeDoubleLE(s.size, at);
    body.writeDoubleLE(s.mtimeMs, at + 8);
    body.writeDoubleLE(s.ctimeMs, at + 16);
    if (s.hash !== undefined && /^[0-9a-f]{40}$/.test(s.hash)) {
      body[at + 24] = 1;
      body.write(s.hash, at + 25, 20, 'hex');
    }
  });
  const header: StampsHeader = { listing, count: stamps.length };
  return withHeader(header, [body]);
}

function traceSection(lists: string[][], files: readonly StoredFileTrace[]): Buffer {
  const chunks: Buffer[] = [];
  const slices: number[] = [];
  let at = 0;
  for (const f of files) {
    const b = Buffer.from(JSON.stringify(f), 'utf8');
    slices.push(at, b.length);
    chunks.push(b);
    at += b.length;
  }
  return withHeader({ lists, slices } satisfies TraceHeader, chunks);
}

function factsSection(louds: string[][], out: ReturnType<FactsCache['output']>['files']): Buffer {
  const chunks: Buffer[] = [];
  let at = 0;
  const files: FactsHeader['files'] = out.map((f) => [
    f.file,
    f.size,
    f.mtimeMs,
    f.hash ?? '',
    f.records.map((r) => {
      const b = Buffer.from(r.json, 'utf8');
      chunks.push(b);
      const rec: [string, number, number, number] = [r.mode, r.loud, at, b.length];
      at += b.length;
      return rec;
    }),
  ]);
  return withHeader({ louds, files } satisfies FactsHeader, chunks);
}

/** A 4-byte header length, the header as JSON, then the body. */
function withHeader(header: unknown, body: Buffer[]): Buffer {
  const h = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(h.length);
  return Buffer.concat([length, h, ...body]);
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const n = readSync(fd, buf, filled, length - filled, position + filled);
    if (n === 0) break;
    filled += n;
  }
  return filled === length ? buf : buf.subarray(0, filled);
}

function writeAll(fd: number, b: Buffer): void {
  for (let done = 0; done < b.length; ) done += writeSync(fd, b, done, b.length - done);
}

function writeAllAt(fd: number, b: Buffer, position: number): void {
  for (let done = 0; done < b.length; ) done += writeSync(fd, b, done, b.length - done, position + done);
}
