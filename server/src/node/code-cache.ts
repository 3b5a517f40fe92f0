/**
 * Loads our bundles (dist/*.bundle.js, dist/typescript.js) with a V8 code
 * cache, so a new process deserialises compiled code instead of parsing and
 * compiling 2 MB of JavaScript (and 3 MB of TypeScript when it is needed)
 * again. An empty scan costs about half the CPU and 35 MB less with it.
 *
 * One route on every Node we support (20, 22, 24): `vm.Script` with
 * `cachedData`, the CommonJS wrapper added as Node's own loader does.
 * `module.enableCompileCache()` exists from Node 22.1 only; on Node 20 this
 * is the way, and one way everywhere is one way to test.
 *
 * The cache of a file is produced by the first run that loads it on a given
 * Node version, right after its module body ran (what a small scan needs
 * first: the module's top level and the functions it called), and used by
 * every later run. Not at exit after the run's work: a cache written after a
 * whole scan of the benchmark's monorepo holds TypeScript's hot parser
 * functions as they were then, and the next scan took 30% more CPU with it
 * (measured on Node 20; written at load, the scan costs what it costs
 * without a cache and the start is as fast as with one written after a
 * small scan). It lives in a folder per Node version, V8
 * version and architecture, named after the file's size, mtime and inode, so
 * a rebuilt bundle never meets the cache of the old one (V8 itself checks
 * only the source's length). V8 also rejects a cache made under other V8
 * flags: the launchers set the wasm flags (v8-flags.ts) before loading
 * anything, so every run compiles under the same flags.
 *
 * A cache that is unreadable, fails its checksum (our own: V8 trusts the
 * bytes it is given) or that V8 rejects is ignored and written again;
 * a failure to write costs the next run its speed, never this run. The folder
 * must belong to the user and be closed to others (a cache is code).
 */
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** How a file's code cache went: used, none yet (written now), rejected (stale or corrupt; written again now), or off. */
export type CacheStatus = 'used' | 'none' | 'rejected' | 'off';

/** The folder for caches: `POSTHOG_FLAGS_CODE_CACHE` (a folder, or `off`), else `<tmp>/posthog-flags-code-cache-<uid>`. */
export function codeCacheRoot(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const setting = env.POSTHOG_FLAGS_CODE_CACHE?.trim();
  if (setting === 'off' || setting === '0') return undefined;
  if (setting) return setting;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `posthog-flags-code-cache-${uid}`);
}

const MAGIC = Buffer.from('PHFCC01\n');
const DIGEST = 20;

export class CodeCache {
  private readonly modules = new Map<string, unknown>();
  private readonly dir: string | undefined;

  /**
   * `root`: the folder for caches (undefined: no cache). `trace`: told how each file's cache went
   * (PHF_CODE_CACHE_TRACE, for tests).
   */
  constructor(root: string | undefined, private readonly trace?: (line: string) => void) {
    this.dir = root === undefined ? undefined : usableDir(join(root, `${process.version}-${process.arch}-v8-${process.versions.v8}`));
    if (root !== undefined && this.dir === undefined) trace?.(`code cache: folder unusable (${root})`);
  }

  /**
   * Runs `file` as a CommonJS module (as `require` would) and returns its
   * exports. `asMain`: `require.main === module` holds inside it (the CLI's
   * entry point checks that). A relative `require` of another .js file next
   * to it (dist/typescript.js) is loaded the same way.
   */
  load(file: string, asMain = false): unknown {
    const done = this.modules.get(file);
    if (done !== undefined) return (done as { exports: unknown }).exports;
    const source = readFileSync(file, 'utf8');
    const cacheFile = this.dir === undefined ? undefined : join(this.dir, cacheName(file));
    const cached = cacheFile === undefined ? undefined : readCache(cacheFile);
    const cachedData = cached === 'corrupt' ? undefined : cached;
    // Keep the text's length and lines: a `#!` line becomes a comment (the wrapper puts it mid-line).
    const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
    const script = new Script(Module.wrap(body), { filename: file, cachedData });
    const status: CacheStatus =
      cacheFile === undefined ? 'off' : cached === undefined ? 'none' : cached === 'corrupt' || script.cachedDataRejected ? 'rejected' : 'used';
    this.trace?.(`code cache: ${basename(file)} ${status}`);

    const mod = new Module(file, require.main);
    mod.filename = file;
    mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
    this.modules.set(file, mod);
    const plain = createRequire(file);
    const req = ((id: string) => {
      if ((id.startsWith('./') || id.startsWith('../')) && id.endsWith('.js')) return this.load(join(dirname(file), id));
      return plain(id);
    }) as NodeJS.Require;
    Object.assign(req, { resolve: plain.resolve, cache: plain.cache, extensions: plain.extensions, main: asMain ? mod : require.main });
    const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
    try {
      wrapper.call(mod.exports, mod.exports, req, mod, file, dirname(file));
    } catch (e) {
      this.modules.delete(file); // as Node's loader does: a later load runs it again, never half-initialised exports
      throw e;
    }
    mod.loaded = true;
    if (cacheFile !== undefined && status !== 'used') this.save(file, cacheFile, script);
    return mod.exports;
  }

  /** Writes the cache of a file loaded without a usable one: what compiling it and running its module body compiled. */
  private save(file: string, cacheFile: string, script: Script): void {
    try {
      writeCache(cacheFile, script.createCachedData(), `${basename(file)}-`);
      this.trace?.(`code cache: ${basename(file)} written`);
    } catch (e) {
      this.trace?.(`code cache: ${basename(file)} not written (${(e as Error).message})`);
    }
  }
}

/** `<name>-<size>-<mtime>-<inode>.v8`: a rebuilt file gets a new name. */
function cacheName(file: string): string {
  const st = statSync(file);
  return `${basename(file)}-${st.size}-${Math.floor(st.mtimeMs)}-${st.ino}.v8`;
}

/** `dir`, created if needed, when it and its parent belong to us and others cannot write to them. */
function usableDir(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    for (const d of [dirname(dir), dir]) {
      const st = lstatSync(d);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return undefined;
    }
    return dir;
  } catch {
    return undefined;
  }
}

/** The cache's V8 data; undefined when there is none, `corrupt` when its header or checksum is wrong. */
function readCache(cacheFile: string): Buffer | 'corrupt' | undefined {
  let raw: Buffer;
  try {
    raw = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  if (raw.length <= MAGIC.length + DIGEST || !raw.subarray(0, MAGIC.length).equals(MAGIC)) return 'corrupt';
  const data = raw.subarray(MAGIC.length + DIGEST);
  const digest = createHash('sha1').update(data).digest();
  return digest.equals(raw.subarray(MAGIC.length, MAGIC.length + DIGEST)) ? data : 'corrupt';
}

/** Writes atomically (a temporary file renamed over), and removes the caches of older builds of the same file. */
function writeCache(cacheFile: string, data: Buffer, prefix: string): void {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, MAGIC);
    writeSync(fd, createHash('sha1').update(data).digest());
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, cacheFile);
  const dir = dirname(cacheFile);
  const name = basename(cacheFile);
  for (const other of readdirSync(dir)) {
    if (other !== name && other.startsWith(prefix) && other.endsWith('.v8')) {
      try {
        unlinkSync(join(dir, other));
      } catch {
        /* another process got there first */
      }
    }
  }
}
