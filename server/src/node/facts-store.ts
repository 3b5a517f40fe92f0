/**
 * The index cache on disk: one file per scanned root under the cache
 * directory, holding the facts FactsCache (core/index/facts-cache.ts) keeps.
 *
 * Layout: 8 magic bytes, a 4-byte little-endian header length, the header
 * (JSON: what made the facts, the configs' digest, per file its stamp and
 * where its records are) and the body (each record's facts as JSON, one
 * after the other; its length and CRC-32 are in the header). Facts are
 * opened only when the index asks for them.
 *
 * Anything wrong with the file (truncated, corrupt, another version, not
 * writable) costs the cache, never the run: one line through `warn`, a cold
 * scan, and a fresh file when it can be written. Files are written 0600,
 * through a temporary file and a rename, in a directory created 0700; they
 * hold facts (names, flag keys, positions), no file's text and no key.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { version as toolVersion } from '../../../package.json';
import { version as grammarsVersion } from 'tree-sitter-wasms/package.json';
import { version as typescriptVersion } from 'typescript/package.json';
import { FACTS_FORMAT_VERSION, FactsCache, factsFromJson, type CachedFile, type CacheContents } from '../core/index/facts-cache';

const MAGIC = Buffer.from('PHFLAGS\u0001', 'latin1');

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

interface Header {
  identity: string;
  root: string;
  configs: string;
  louds: string[][];
  bodyLength: number;
  bodyCrc: number;
  /** [path, size, mtimeMs, hash or '', [[mode, loud index or -1, start, length], …]] */
  files: Array<[string, number, number, string, Array<[string, number, number, number]>]>;
  /** The last scan, for replay: its listing digest, every file's [path, size, mtimeMs, ctimeMs, hash or ''], where its result is in the body. */
  scan?: { listing: string; files: Array<[string, number, number, number, string]>; start: number; length: number };
}

/** Where one root's cache lives, and what to say when something is wrong with it. */
export interface FactsStoreOptions {
  dir: string;
  root: string;
  /** One line about a cache that could not be used or written (stderr, window/logMessage). */
  warn: (message: string) => void;
}

export class FactsStore {
  readonly file: string;

  constructor(private readonly opts: FactsStoreOptions) {
    this.file = cacheFileFor(opts.dir, opts.root);
  }

  /** The cache for this run: what the file holds when it can be used, else an empty one. Never throws. */
  open(startedAt = Date.now()): FactsCache {
    return new FactsCache(this.load(), startedAt);
  }

  private load(): CacheContents | undefined {
    let data: Buffer;
    try {
      data = readWhole(this.file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.opts.warn(`index cache ${this.file} could not be read (${code ?? String(e)}); scanning without it`);
      return undefined;
    }
    const bad = (why: string) => {
      this.opts.warn(`index cache ${this.file} ${why}; scanning without it, it is written again`);
      return undefined;
    };
    if (data.length < 12 || !data.subarray(0, 8).equals(MAGIC)) return bad('is not a posthog-flags cache or is damaged');
    const headerLength = data.readUInt32LE(8);
    if (12 + headerLength > data.length) return bad('is truncated');
    let header: Header;
    try {
      header = JSON.parse(data.toString('utf8', 12, 12 + headerLength)) as Header;
    } catch {
      return bad('is damaged');
    }
    if (!header || typeof header !== 'object' || typeof header.identity !== 'string') return bad('is damaged');
    if (header.identity !== CACHE_IDENTITY) return bad('was made by another version of posthog-flags');
    if (header.root !== this.opts.root) return bad('belongs to another folder');
    const body = data.subarray(12 + headerLength);
    if (body.length !== header.bodyLength) return bad('is truncated');
    if (crc32(body) !== header.bodyCrc) return bad('is damaged');
    try {
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
      const s = header.scan;
      const scan = s && {
        listing: s.listing,
        files: new Map(s.files.map(([file, size, mtimeMs, ctimeMs, hash]) => [file, { size, mtimeMs, ctimeMs, hash: hash || undefined }])),
        result: () => body.toString('utf8', s.start, s.start + s.length),
      };
      return { configs: header.configs, files, scan };
    } catch {
      return bad('is damaged');
    }
  }

  /** Writes what the run knows when it differs from the file. Never throws; returns whether a file was written. */
  save(cache: FactsCache): boolean {
    if (!cache.changed()) return false;
    const out = cache.output();
    const chunks: Buffer[] = [];
    let at = 0;
    const files: Header['files'] = out.files.map((f) => [
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
    let scan: Header['scan'];
    if (out.scan) {
      const b = Buffer.from(out.scan.result, 'utf8');
      chunks.push(b);
      scan = { listing: out.scan.listing, files: out.scan.files, start: at, length: b.length };
      at += b.length;
    }
    const body = Buffer.concat(chunks, at);
    const header: Header = { identity: CACHE_IDENTITY, root: this.opts.root, configs: out.configs, louds: out.louds, bodyLength: body.length, bodyCrc: crc32(body), files, scan };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(headerBytes.length);
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(this.opts.dir, { recursive: true, mode: 0o700 });
      const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        for (const b of [MAGIC, length, headerBytes, body]) writeAll(fd, b);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.file);
      cache.saved();
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
}

function readWhole(path: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    const buf = Buffer.allocUnsafeSlow(stat.size);
    let filled = 0;
    while (filled < buf.length) {
      const n = readSync(fd, buf, filled, buf.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return filled === buf.length ? buf : buf.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, b: Buffer): void {
  for (let done = 0; done < b.length; ) done += writeSync(fd, b, done, b.length - done);
}
