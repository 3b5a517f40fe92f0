import { closeSync, constants, existsSync, fstatSync, openSync, readSync, readFileSync, readdir, readdirSync, statSync, type Dirent } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Ignore } from 'ignore';
import { MAX_FILE_BYTES, type FileSource, type FileStamp, type ReadResult, type SourceListing } from '../core/file-source';
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
  private readsSinceYield = 0;

  constructor(root: string, options: WorkTreeOptions = {}) {
    this.root = resolve(root);
    this.selection = new FileSelection(options);
    this.concurrency = Math.max(1, options.concurrency ?? 1);
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
    return outerIgnoreLayers(toRoot, (dir) => readIgnoreFile(join(repo, dir, '.gitignore')), readIgnoreFile(join(repo, '.git', 'info', 'exclude')));
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
