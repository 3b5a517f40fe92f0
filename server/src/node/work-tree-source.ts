import { closeSync, constants, fstatSync, openSync, readSync, readFileSync, readdir, readdirSync, statSync, type Dirent } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { MAX_FILE_BYTES, type FileSource, type SourceListing } from '../core/file-source';
import { isProjectConfig } from '../core/index/module-resolution';
import { LANGUAGES_BY_EXTENSION } from '../core/languages';
import type { Skipped } from '../core/types';

/**
 * Directories holding build output, dependencies or caches, left out at any
 * depth unless an `--include` pattern names them (e.g. `--include 'packages/ui/dist/**'`).
 * `node_modules` and VCS folders are left out always.
 */
export const DEFAULT_EXCLUDED_DIRS: readonly string[] = [
  // JS/TS build output and caches
  'dist', 'build', 'out', '.next', '.nuxt', '.output', '.svelte-kit', '.astro', '.vercel', '.netlify',
  '.turbo', '.cache', '.parcel-cache', '.vite', 'coverage', '.nyc_output', 'storybook-static',
  'bower_components', 'jspm_packages', '.yarn', '.pnpm-store',
  // Python
  '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages',
  // Go / PHP / Ruby third-party code
  'vendor',
  // JVM, Swift, Dart, .NET
  'target', '.gradle', 'Pods', 'Carthage', 'DerivedData', '.build', '.dart_tool', 'obj',
];

/** Never entered, whatever the options say. */
const ALWAYS_EXCLUDED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface WorkTreeOptions {
  /**
   * Gitignore-style patterns relative to the root (the `ignore` package's
   * semantics, as in a `.gitignore`). When any is given, only files matching
   * at least one are listed. A default-excluded directory is entered when a
   * pattern names it as a path segment.
   */
  include?: readonly string[];
  /** Gitignore-style patterns relative to the root; matching files and directories are left out (not listed in `skipped`). */
  exclude?: readonly string[];
  /** Leave out DEFAULT_EXCLUDED_DIRS (default true). */
  defaultExcludes?: boolean;
  /**
   * Directory reads in flight at once. Default 1: a synchronous walk that
   * yields every few folders, measured faster than parallel `readdir` on a
   * warm 5,000-file tree (cold process: ~35 ms vs ~55 ms with 16 in flight).
   */
  concurrency?: number;
}

/** Rules of one `.gitignore` (or `info/exclude`), applied to paths below `base`. */
interface IgnoreLayer {
  /** Path of the layer's folder relative to the scan root ('' = root); for folders above the root, ''. */
  base: string;
  /** Prepended to root-relative paths for layers above the root (e.g. `packages/web/`). */
  outer: string;
  rules: Ignore;
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
  private readonly include?: Ignore;
  private readonly includeSegments: Set<string>;
  private readonly exclude?: Ignore;
  private readonly excludedDirs: Set<string>;
  private readonly concurrency: number;
  private readsSinceYield = 0;

  constructor(root: string, options: WorkTreeOptions = {}) {
    this.root = resolve(root);
    const include = (options.include ?? []).filter((p) => p.trim() !== '');
    const exclude = (options.exclude ?? []).filter((p) => p.trim() !== '');
    this.include = include.length ? ignore().add(include) : undefined;
    this.includeSegments = new Set(include.flatMap((p) => p.split('/')));
    this.exclude = exclude.length ? ignore().add(exclude) : undefined;
    this.excludedDirs = new Set(options.defaultExcludes === false ? [] : DEFAULT_EXCLUDED_DIRS);
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

  async read(file: string): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; skipped: Skipped }> {
    if (++this.readsSinceYield >= READS_PER_YIELD) {
      this.readsSinceYield = 0;
      await new Promise<void>((done) => setImmediate(done));
    }
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
    for (const entry of entries) {
      const name = entry.name;
      const path = dir ? `${dir}/${name}` : name;
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        if (ALWAYS_EXCLUDED_DIRS.has(name)) continue;
        if (this.excludedDirs.has(name) && !this.includeSegments.has(name)) continue;
        if (this.exclude?.ignores(`${path}/`)) continue;
        if (isGitIgnored(layers, `${path}/`)) continue;
        enqueue(path, layers);
      } else if (entry.isFile()) {
        const dot = name.lastIndexOf('.');
        const config = isProjectConfig(name);
        const source = dot >= 0 && name.slice(dot).toLowerCase() in LANGUAGES_BY_EXTENSION;
        if (!source && !config) continue;
        if (this.exclude?.ignores(path)) continue;
        if (isGitIgnored(layers, path)) continue;
        // Configs are read whatever --include says: they decide how the included files resolve.
        if (config) configs.push(path);
        if (!source || (this.include && !this.include.ignores(path))) continue;
        files.push(path);
      }
      // FIFOs, sockets and devices are never source files.
    }
  }

  /**
   * `.git/info/exclude` and `.gitignore` files of the repository that holds
   * the root, from the repository root down to (not including) the root
   * itself; the root's own `.gitignore` is read by the walk.
   */
  private outerLayers(): IgnoreLayer[] {
    const repo = findRepositoryRoot(this.root);
    if (repo === undefined) return [];
    const layers: IgnoreLayer[] = [];
    const exclude = readIgnoreFile(join(repo, '.git', 'info', 'exclude'));
    const toRoot = relative(repo, this.root).split(sep).filter(Boolean);
    if (exclude) layers.push({ base: '', outer: toRoot.length ? `${toRoot.join('/')}/` : '', rules: exclude });
    for (let i = 0; i < toRoot.length; i++) {
      const folder = join(repo, ...toRoot.slice(0, i));
      const rules = readIgnoreFile(join(folder, '.gitignore'));
      if (rules) layers.push({ base: '', outer: `${toRoot.slice(i).join('/')}/`, rules });
    }
    // A folder the repository ignores (e.g. `.bench/`) is scanned as asked, as a standalone tree.
    if (toRoot.length && isGitIgnored(layers, '')) return [];
    return layers;
  }
}

/** Git semantics: the deepest `.gitignore` with a matching rule decides. */
function isGitIgnored(layers: IgnoreLayer[], path: string): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    const inner = layer.base ? path.slice(layer.base.length + 1) : path;
    const full = layer.outer + inner;
    if (full === '') continue;
    const verdict = layer.rules.test(full);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

function readIgnoreFile(path: string): Ignore | undefined {
  try {
    return ignore().add(readFileSync(path, 'utf8'));
  } catch {
    return undefined; // missing or unreadable: no rules
  }
}

/** The nearest folder at or above `dir` holding `.git` (a folder, or a file for worktrees). */
function findRepositoryRoot(dir: string): string | undefined {
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
function readBounded(absolute: string, file: string): { ok: true; bytes: Uint8Array } | { ok: false; skipped: Skipped } {
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
    return { ok: true, bytes: filled === bytes.length ? bytes : bytes.subarray(0, filled) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, skipped: { file, reason: 'unreadable', detail: code ?? String(err) } };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
