import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Ignore } from 'ignore';
import { MAX_FILE_BYTES, type FileSource, type SourceListing } from '../core/file-source';
import { FileSelection, ignoreRules, layersByFolder, outerIgnoreLayers, type SelectionOptions } from '../core/file-selection';
import type { Result, Skipped } from '../core/types';

/**
 * A FileSource over the tree of a git ref (branch, tag, commit), read from
 * the repository's objects: no checkout, and neither the work tree nor the
 * index is touched (`git ls-tree` + one `git cat-file --batch` process).
 *
 * Which files: the work tree's rule (core/file-selection.ts), with the
 * `.gitignore` files of the ref itself (and `info/exclude`), so a file
 * tracked against them, build output and `vendor/` are left out as in the
 * work tree; symbolic links (mode 120000) and submodules (160000) too.
 */
export class GitRefSource implements FileSource {
  private blobs = new Map<string, { oid: string; size: number }>();
  private listing: SourceListing | undefined;
  private reader: BlobReader | undefined;

  private constructor(
    /** Absolute folder the ref is read under; `file` paths are relative to it. */
    readonly root: string,
    /** The ref as the user wrote it. */
    readonly ref: string,
    /** The commit the ref resolved to. */
    readonly commit: string,
    private readonly repoTop: string,
    /** `dir` relative to the repository's top, with a trailing `/`, or ''. */
    private readonly prefix: string,
    private readonly selection: FileSelection,
  ) {}

  /**
   * Resolves REF in the repository holding DIR. Fails (never throws) when DIR
   * is not in a git repository or REF does not name a commit.
   */
  static async open(
    dir: string,
    ref: string,
    opts: SelectionOptions = {},
  ): Promise<Result<GitRefSource>> {
    const root = resolve(dir);
    if (!ref || ref.startsWith('-')) return { ok: false, error: { message: `invalid git ref '${ref}'` } };
    const top = await git(root, ['rev-parse', '--show-toplevel']);
    if (!top.ok) return { ok: false, error: { message: `${root} is not inside a git repository` } };
    const prefix = await git(root, ['rev-parse', '--show-prefix']);
    if (!prefix.ok) return { ok: false, error: { message: `${root} is not inside a git repository` } };
    const commit = await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
    if (!commit.ok || !commit.stdout.trim()) {
      return { ok: false, error: { message: `git ref '${ref}' does not resolve to a commit in ${top.stdout.trim()}` } };
    }
    return {
      ok: true,
      value: new GitRefSource(root, ref, commit.stdout.trim(), top.stdout.trim(), prefix.stdout.trim(), new FileSelection(opts)),
    };
  }

  async list(): Promise<SourceListing> {
    if (this.listing) return this.listing;
    // The folder's own tree, plus the `.gitignore` files of the folders above it.
    const toRoot = this.prefix.split('/').filter(Boolean);
    const outerIgnores = toRoot.map((_, i) => [...toRoot.slice(0, i), '.gitignore'].join('/'));
    const args = ['ls-tree', '-r', '-z', '--long', '--full-tree', this.commit];
    if (this.prefix) args.push('--', this.prefix, ...outerIgnores);
    const out = await git(this.repoTop, args);
    if (!out.ok) throw new Error(`git ls-tree failed for ${this.ref}: ${out.stderr.trim()}`);
    const entries = parseLsTree(out.bytes).filter((e) => e.type === 'blob' && e.mode !== '120000');
    const rulesAt = new Map<string, Ignore>(); // folder relative to the repository's top → its .gitignore
    for (const e of entries) {
      if (e.path !== '.gitignore' && !e.path.endsWith('/.gitignore')) continue;
      const rules = await this.readIgnore(e.oid, e.size);
      if (rules) rulesAt.set(e.path.slice(0, -'.gitignore'.length).replace(/\/$/, ''), rules);
    }
    const outer = outerIgnoreLayers(toRoot, (dir) => rulesAt.get(dir), await this.infoExclude());
    const layersFor = layersByFolder(outer, (dir) => rulesAt.get(`${this.prefix}${dir}`.replace(/\/$/, '')));
    const entered = new Map<string, boolean>();
    const paths = new Set(entries.map((e) => e.path));
    const hasFile = (p: string) => paths.has(`${this.prefix}${p}`);
    const files: string[] = [];
    const skipped: Skipped[] = [];
    const configs: string[] = [];
    for (const entry of entries) {
      if (!entry.path.startsWith(this.prefix)) continue;
      const file = entry.path.slice(this.prefix.length);
      // Any JSON stays readable: `extends` may name a base config of another name.
      if (file.endsWith('.json') && entry.size <= MAX_FILE_BYTES) this.blobs.set(file, { oid: entry.oid, size: entry.size });
      const selected = this.selection.select(file, layersFor, entered, hasFile);
      if (!selected) continue;
      if (selected.config && entry.size <= MAX_FILE_BYTES) {
        configs.push(file);
        this.blobs.set(file, { oid: entry.oid, size: entry.size });
      }
      if (!selected.source) continue;
      if (entry.size > MAX_FILE_BYTES) {
        skipped.push({ file, reason: 'too-large', detail: `${entry.size} bytes` });
        continue;
      }
      this.blobs.set(file, { oid: entry.oid, size: entry.size });
      files.push(file);
    }
    files.sort();
    configs.sort();
    this.listing = { files, skipped, configs };
    return this.listing;
  }

  /** The rules of a `.gitignore` blob (none when it cannot be read). */
  private async readIgnore(oid: string, size: number): Promise<Ignore | undefined> {
    if (size > MAX_FILE_BYTES) return undefined;
    this.reader ??= new BlobReader(this.repoTop);
    try {
      return ignoreRules(Buffer.from(await this.reader.read(oid)).toString('utf8'));
    } catch {
      return undefined;
    }
  }

  /** The repository's `info/exclude`, as the work tree scan applies it. */
  private async infoExclude(): Promise<Ignore | undefined> {
    const path = await git(this.repoTop, ['rev-parse', '--git-path', 'info/exclude']);
    if (!path.ok) return undefined;
    const p = path.stdout.trim();
    try {
      return ignoreRules(await readFile(isAbsolute(p) ? p : join(this.repoTop, p), 'utf8'));
    } catch {
      return undefined;
    }
  }

  async read(file: string): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; skipped: Skipped }> {
    if (!this.listing) await this.list();
    const blob = this.blobs.get(file);
    if (!blob) return { ok: false, skipped: { file, reason: 'unreadable', detail: `not in ${this.ref}` } };
    if (blob.size > MAX_FILE_BYTES) return { ok: false, skipped: { file, reason: 'too-large' } };
    this.reader ??= new BlobReader(this.repoTop);
    try {
      return { ok: true, bytes: await this.reader.read(blob.oid) };
    } catch (err) {
      return { ok: false, skipped: { file, reason: 'unreadable', detail: (err as Error).message } };
    }
  }

  /** Ends the `git cat-file` process. Safe to call more than once. */
  close(): void {
    this.reader?.close();
    this.reader = undefined;
  }
}

export interface LsTreeEntry {
  mode: string;
  type: string;
  oid: string;
  /** -1 for entries without a size (trees, submodules). */
  size: number;
  path: string;
}

/** Parses `git ls-tree -z --long` output: `<mode> SP <type> SP <oid> SP+ <size> TAB <path> NUL`. */
export function parseLsTree(bytes: Uint8Array): LsTreeEntry[] {
  const entries: LsTreeEntry[] = [];
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  for (const record of text.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, oid, size] = record.slice(0, tab).split(/ +/);
    entries.push({ mode, type, oid, size: size === '-' ? -1 : Number(size), path: record.slice(tab + 1) });
  }
  return entries;
}

/**
 * One long-lived `git cat-file --batch`: requests are written in order and
 * answered in order. Only the response being received is buffered; a reader
 * that is idle does not keep the process alive.
 */
class BlobReader {
  private proc: ChildProcessWithoutNullStreams;
  private waiting: { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }[] = [];
  private pending: Buffer = Buffer.alloc(0);
  private expected = -1; // content bytes of the current response, -1 while reading its header
  private failed: Error | undefined;

  constructor(cwd: string) {
    this.proc = spawn('git', ['cat-file', '--batch'], { cwd, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.proc.stderr.resume();
    const fail = (err: Error) => {
      this.failed = err;
      for (const w of this.waiting.splice(0)) w.reject(err);
    };
    this.proc.on('error', fail);
    this.proc.on('exit', (code) => fail(new Error(`git cat-file exited (${code ?? 'signal'})`)));
    this.proc.stdin.on('error', fail);
    this.setIdle(true);
  }

  read(oid: string): Promise<Uint8Array> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.setIdle(false);
      this.proc.stdin.write(`${oid}\n`);
    });
  }

  close(): void {
    this.failed ??= new Error('closed');
    this.proc.stdin.end();
    this.proc.kill();
  }

  private onData(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      if (this.expected < 0) {
        const nl = this.pending.indexOf(10);
        if (nl < 0) return;
        const header = this.pending.subarray(0, nl).toString('utf8');
        this.pending = this.pending.subarray(nl + 1);
        const m = /^\S+ (\S+) (\d+)$/.exec(header);
        if (!m) {
          this.waiting.shift()?.reject(new Error(`git cat-file: ${header}`));
          this.afterResponse();
          continue;
        }
        this.expected = Number(m[2]);
      }
      if (this.pending.length < this.expected + 1) return;
      const bytes = Uint8Array.prototype.slice.call(this.pending, 0, this.expected);
      this.pending = this.pending.subarray(this.expected + 1);
      this.expected = -1;
      this.waiting.shift()?.resolve(bytes);
      this.afterResponse();
    }
  }

  private afterResponse(): void {
    if (this.waiting.length === 0) this.setIdle(true);
  }

  private setIdle(idle: boolean): void {
    const streams = [this.proc, this.proc.stdin, this.proc.stdout, this.proc.stderr] as unknown as {
      ref(): void;
      unref(): void;
    }[];
    for (const s of streams) {
      if (idle) s.unref?.();
      else s.ref?.();
    }
  }
}

function gitEnv(): NodeJS.ProcessEnv {
  // No optional locks: reading objects must never refresh or write the index.
  return { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
}

interface GitOut {
  ok: boolean;
  stdout: string;
  bytes: Buffer;
  stderr: string;
}

function git(cwd: string, args: string[]): Promise<GitOut> {
  return new Promise((done) => {
    execFile(
      'git',
      args,
      { cwd, env: gitEnv(), encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const bytes = stdout as Buffer;
        done({ ok: !err, stdout: bytes.toString('utf8'), bytes, stderr: (stderr as Buffer).toString('utf8') });
      },
    );
  });
}
