import { closeSync, constants, existsSync, fstatSync, openSync, readSync, readFileSync, readdir, readdirSync, statSync, type Dirent } from 'node:fs';
import { RACY_MS } from '../core/index/facts-cache';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Ignore } from 'ignore';
import { MAX_FILE_BYTES, type FileSource, type FileStamp, type ListingWitness, type ReadResult, type SourceListing } from '../core/file-source';
import { DEFAULT_EXCLUDED_DIRS, FileSelection, ignoreRules, layersByFolder, outerIgnoreLayers, type IgnoreLayer, type SelectionOptions } from '../core/file-selection';
import type { Skipped } from '../core/types';

export { DEFAULT_EXCLUDED_DIRS };

export interface WorkTreeOptions extends SelectionOptions {
  /**
   * Directory reads in flight at once. Default 1: a synchronous walk that
   * yields every few folders, measured faster than parallel `readdir` on a
   * warm 5,000-file tree (cold process: ~35 ms vs ~55 ms with 16 in flight).
   */
  concurrency?: number;
}

/** How many synchronous reads run before `read` yields to the event loop once. */
const READS_PER_YIELD = 64;
/** How many synchronous directory reads run before the walk yields to the event loop once. */
const DIRS_PER_YIELD = 32;

/**
 * A FileSource over a directory on disk: the files the index can read, with
 * `.gitignore` (nested, plus `.git/info/exclude` and the `.gitignore` files
 * between the repository root and the scanned folder), `node_modules`, build
 * output and user globs left out, and symbolic links never followed.
 *
 * `list()` does not stat files; `read()` does (`too-large` without reading
 * beyond the stat). Reads are synchronous system calls (the fastest way for
 * many small files in node), yielding to the event loop every few reads so a
 * language server stays responsive while it indexes.
 */
export class WorkTreeSource implements FileSource {
  readonly root: string;
  private readonly selection: FileSelection;
  private readonly concurrency: number;
  private readonly options: string;
  private readsSinceYield = 0;
  /** While `listWitnessed` walks: every path stated, with its stamp (taken before the path is read). */
  private seen?: { paths: string[]; stamps: number[][]; trusted: boolean; since: number };

  constructor(root: string, options: WorkTreeOptions = {}) {
    this.root = resolve(root);
    this.selection = new FileSelection(options);
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.options = JSON.stringify([options.include ?? [], options.exclude ?? [], options.defaultExcludes ?? true]);
  }

  async list(): Promise<SourceListing> {
    const files: string[] = [];
    const skipped: Skipped[] = [];
    const configs: string[] = [];
    const rootLayers = this.outerLayers();
    await this.walk(rootLayers, files, skipped, configs);
    files.sort();
    configs.sort();
    skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    return { files, skipped, configs };
  }

  /**
   * The listing, and what it depended on. A folder's entries change its
   * modification time (a file added, removed or renamed in it, a folder or
   * link put in a file's place); an ignore file edited in place changes its
   * own stamp; a `.git` appearing above the root changes that folder. Each
   * is stated before it is read, so a change after the stat shows as a
   * different stamp next time. Times within RACY_MS of the walk are not
   * trusted (two changes in one tick of the file system's clock look
   * alike): then there is no witness.
   */
  async listWitnessed(): Promise<{ listing: SourceListing; witness?: ListingWitness }> {
    if (this.concurrency > 1) return { listing: await this.list() };
    this.seen = { paths: [], stamps: [], trusted: true, since: Date.now() - RACY_MS };
    try {
      // Where the repository is (the nearest `.git` at or above the root): whether each `.git` on the way exists.
      for (let at = this.root; ; at = dirname(at)) {
        if (this.witness(join(at, '.git'), true) || dirname(at) === at) break;
      }
      const listing = await this.list();
      const seen = this.seen;
      return { listing, witness: seen.trusted ? { options: this.options, paths: seen.paths, stamps: seen.stamps } : undefined };
    } finally {
      this.seen = undefined;
    }
  }

  listingHolds(witness: ListingWitness): boolean {
    if (witness.options !== this.options || witness.paths.length !== witness.stamps.length) return false;
    for (let i = 0; i < witness.paths.length; i++) {
      const path = witness.paths[i];
      const now = path.startsWith('?') ? existence(path.slice(1)) : stampOf(path);
      const was = witness.stamps[i];
      if (now.length !== was.length || now.some((v, k) => v !== was[k])) return false;
    }
    return true;
  }

  /**
   * Notes a path's stamp while `listWitnessed` walks (before the path is
   * read), or with `existsOnly` whether it exists. Returns whether it exists.
   */
  private witness(path: string, existsOnly = false): boolean {
    const seen = this.seen;
    const stamp = existsOnly ? existence(path) : stampOf(path);
    const exists = stamp.length > 1 || stamp[0] === 1;
    if (!seen) return exists;
    // A change sets the modification time to the clock's now: a time older than the racy window will differ after any change.
    if (!existsOnly && stamp.length > 1 && stamp[0] >= seen.since) seen.trusted = false;
    seen.paths.push(existsOnly ? `?${path}` : path);
    seen.stamps.push(stamp);
    return exists;
  }

  async read(file: string): Promise<{ ok: true; bytes: Uint8Array; stamp?: FileStamp } | { ok: false; skipped: Skipped }> {
    if (++this.readsSinceYield >= READS_PER_YIELD) {
      this.readsSinceYield = 0;
      await new Promise<void>((done) => setImmediate(done));
    }
    return readBounded(join(this.root, file), file);
  }

  stat(file: string): FileStamp | undefined {
    try {
      const stat = statSync(join(this.root, file), { throwIfNoEntry: false });
      return stat?.isFile() ? { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs } : undefined;
    } catch {
      return undefined;
    }
  }

  readSync(file: string): ReadResult {
    return readBounded(join(this.root, file), file);
  }

  private walk(rootLayers: IgnoreLayer[], files: string[], skipped: Skipped[], configs: string[]): Promise<void> {
    return this.concurrency > 1 ? this.walkParallel(rootLayers, files, skipped, configs) : this.walkSync(rootLayers, files, skipped, configs);
  }

  /** Depth-first with synchronous directory reads, yielding to the event loop every few folders. */
  private async walkSync(rootLayers: IgnoreLayer[], files: string[], skipped: Skipped[], configs: string[]): Promise<void> {
    const stack: { dir: string; layers: IgnoreLayer[] }[] = [{ dir: '', layers: rootLayers }];
    let sinceYield = 0;
    while (stack.length) {
      const job = stack.pop()!;
      let entries: Dirent[];
      this.witness(join(this.root, job.dir));
      try {
        entries = readdirSync(join(this.root, job.dir), { withFileTypes: true });
      } catch (err) {
        if (job.dir === '') throw err;
        skipped.push({ file: job.dir, reason: 'unreadable', detail: `directory: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
        continue;
      }
      this.visit(job.dir, job.layers, entries, files, configs, (dir, layers) => stack.push({ dir, layers }));
      if (++sinceYield >= DIRS_PER_YIELD) {
        sinceYield = 0;
        await new Promise<void>((done) => setImmediate(done));
      }
    }
  }

  /** Breadth-first with at most `concurrency` directory reads in flight. */
  private walkParallel(rootLayers: IgnoreLayer[], files: string[], skipped: Skipped[], configs: string[]): Promise<void> {
    type Job = { dir: string; layers: IgnoreLayer[] };
    const queue: Job[] = [{ dir: '', layers: rootLayers }];
    let running = 0;
    return new Promise<void>((done, fail) => {
      const pump = () => {
        while (running < this.concurrency && queue.length) {
          const job = queue.shift()!;
          running++;
          readdir(join(this.root, job.dir), { withFileTypes: true }, (err, entries) => {
            running--;
            if (err) {
              if (job.dir === '') return fail(err);
              skipped.push({ file: job.dir, reason: 'unreadable', detail: `directory: ${err.code ?? err.message}` });
            } else {
              this.visit(job.dir, job.layers, entries, files, configs, (dir, layers) => queue.push({ dir, layers }));
            }
            if (running === 0 && queue.length === 0) done();
            else pump();
          });
        }
      };
      pump();
    });
  }

  private visit(
    dir: string,
    parentLayers: IgnoreLayer[],
    entries: Dirent[],
    files: string[],
    configs: string[],
    enqueue: (dir: string, layers: IgnoreLayer[]) => void,
  ): void {
    let layers = parentLayers;
    if (entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
      this.witness(join(this.root, dir, '.gitignore'));
      const rules = readIgnoreFile(join(this.root, dir, '.gitignore'));
      if (rules) layers = [...parentLayers, { base: dir, outer: '', rules }];
    }
    const pythonPackage = entries.some((e) => e.name === '__init__.py' && e.isFile());
    for (const entry of entries) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        if (this.selection.entersDirectory(path, layers, pythonPackage)) enqueue(path, layers);
      } else if (entry.isFile()) {
        const selected = this.selection.classify(path, layers);
        if (selected?.config) configs.push(path);
        if (selected?.source) files.push(path);
      }
      // FIFOs, sockets and devices are never source files.
    }
  }

  /**
   * Whether `list()` would list `file` (root-relative) as a source: the same
   * rule, applied to one path (the language server asks for files changed on
   * disk). Reads the `.gitignore` files on the way; never throws.
   */
  selects(file: string): boolean {
    const layersFor = layersByFolder(this.outerLayers(), (dir) => readIgnoreFile(join(this.root, dir, '.gitignore')));
    return this.selection.select(file, layersFor, undefined, (p) => existsSync(join(this.root, p)))?.source === true;
  }

  /**
   * `.git/info/exclude` and `.gitignore` files of the repository that holds
   * the root, from the repository root down to (not including) the root
   * itself; the root's own `.gitignore` is read by the walk.
   */
  private outerLayers(): IgnoreLayer[] {
    const repo = findRepositoryRoot(this.root);
    if (repo === undefined) return [];
    const toRoot = relative(repo, this.root).split(sep).filter(Boolean);
    this.witness(join(repo, '.git', 'info', 'exclude'));
    const exclude = readIgnoreFile(join(repo, '.git', 'info', 'exclude'));
    return outerIgnoreLayers(
      toRoot,
      (dir) => {
        this.witness(join(repo, dir, '.gitignore'));
        return readIgnoreFile(join(repo, dir, '.gitignore'));
      },
      exclude,
    );
  }
}

/**
 * [mtimeMs, ctimeMs, size, ino] of a path, or [] when there is none. Links
 * are followed, as the walk's reads follow them: a root or a `.gitignore`
 * reached through a link changes behind it, not in the link itself.
 */
function stampOf(path: string): number[] {
  try {
    const s = statSync(path, { throwIfNoEntry: false });
    return s ? [s.mtimeMs, s.ctimeMs, s.size, s.ino] : [];
  } catch {
    return [-1];
  }
}

/** [1] when the path exists (as findRepositoryRoot asks: links followed), [] when not, [-1] when it cannot be told. */
function existence(path: string): number[] {
  try {
    return statSync(path, { throwIfNoEntry: false }) ? [1] : [];
  } catch {
    return [-1];
  }
}

function readIgnoreFile(path: string): Ignore | undefined {
  try {
    return ignoreRules(readFileSync(path, 'utf8'));
  } catch {
    return undefined; // missing or unreadable: no rules
  }
}

/** The nearest folder at or above `dir` holding `.git` (a folder, or a file for worktrees). */
export function findRepositoryRoot(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    try {
      statSync(join(at, '.git'));
      return at;
    } catch {
      if (dirname(at) === at) return undefined;
    }
  }
}

/** Reads a whole file unless it is larger than MAX_FILE_BYTES; every failure becomes a `Skipped`. */
function readBounded(absolute: string, file: string): { ok: true; bytes: Uint8Array; stamp?: FileStamp } | { ok: false; skipped: Skipped } {
  let fd: number | undefined;
  try {
    fd = openSync(absolute, constants.O_RDONLY | constants.O_NONBLOCK); // a FIFO must not block the open
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, skipped: { file, reason: 'unreadable', detail: 'not a regular file' } };
    if (stat.size > MAX_FILE_BYTES) return { ok: false, skipped: { file, reason: 'too-large', detail: `${stat.size} bytes` } };
    const bytes = Buffer.allocUnsafeSlow(stat.size); // its own memory: a kept file must not pin a shared pool chunk
    let filled = 0;
    while (filled < bytes.length) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (n === 0) break; // truncated while reading
      filled += n;
    }
    // A file that shrank while being read has no stamp to trust (the index cache keeps nothing for it).
    if (filled < bytes.length) return { ok: true, bytes: bytes.subarray(0, filled) };
    return { ok: true, bytes, stamp: { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs } };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, skipped: { file, reason: 'unreadable', detail: code ?? String(err) } };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
