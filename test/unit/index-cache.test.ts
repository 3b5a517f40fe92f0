/**
 * The index cache (core/index/facts-cache.ts, node/facts-store.ts): a scan
 * with the cache finds exactly what a cold scan finds — on every fixture
 * folder, after edits, deletions, new files, a constant changed in another
 * file, a tsconfig change, on generated programs — and a damaged, foreign or
 * unwritable cache changes nothing but one warning.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, lutimesSync, symlinkSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import type { FileSource } from '../../server/src/core/file-source';
import { FactsCache, factsFromJson } from '../../server/src/core/index/facts-cache';
import { scanResult, scanSource } from '../../server/src/core/index/scan';
import { isProjectConfig } from '../../server/src/core/index/module-resolution';
import { languageForPath } from '../../server/src/core/languages';
import { createTreeSitterRuntime, type TreeSitterRuntime } from '../../server/src/core/tree-sitter/extract';
import type { ScanResult } from '../../server/src/core/types';
import { cacheFileFor, FactsStore } from '../../server/src/node/facts-store';
import { loadWasmFromDir } from '../../server/src/node/tree-sitter-loader';
import { WorkTreeSource } from '../../server/src/node/work-tree-source';

const FIXTURES = join(__dirname, '..', 'fixtures');
let runtime: TreeSitterRuntime;
const temps: string[] = [];

function temp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

interface Run {
  result: ScanResult;
  hits: number;
  misses: number;
  warnings: string[];
}

async function cold(source: FileSource): Promise<ScanResult> {
  return (await scanSource(source, { treeSitter: runtime })).result;
}

/** A scan with the cache in `cacheDir` (read before, written after), as the CLI runs it. */
async function cached(source: FileSource, cacheDir: string): Promise<Run> {
  const warnings: string[] = [];
  const store = new FactsStore({ dir: cacheDir, root: source.root, warn: (m) => warnings.push(m) });
  const cache = store.open();
  const { result } = await scanSource(source, { treeSitter: runtime, factsCache: cache });
  store.save(cache);
  return { result, hits: cache.hits, misses: cache.misses, warnings };
}

/** Cold and cached scans of the same tree give the same result (the whole of it). */
async function assertSame(root: string, cacheDir: string, label = root): Promise<Run> {
  const run = await cached(new WorkTreeSource(root), cacheDir);
  const base = await cold(new WorkTreeSource(root));
  assert.deepEqual(run.result, base, `${label}: the cached scan differs from the cold scan`);
  return run;
}

function write(root: string, file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

/**
 * Pushes the files' modification times into the past, so their stamps alone
 * are trusted (not racy); with `folders`, the folders' too, `root` included
 * (the listing is reused only when no folder's time is too recent).
 */
function age(root: string, seconds = 60, { folders = false } = {}): void {
  const when = new Date(Date.now() - seconds * 1000);
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      if (!e.isDirectory() || folders) utimesSync(p, when, when);
    }
  };
  walk(root);
  if (folders) utimesSync(root, when, when);
}

/** A FileSource over path → text whose stamps the test sets (mtime: the file's version). */
function stampedSource(files: Record<string, string>, versions: Record<string, number>): FileSource {
  const enc = new TextEncoder();
  return {
    root: '/generated',
    async list() {
      return { files: Object.keys(files).filter((f) => languageForPath(f)).sort(), skipped: [], configs: Object.keys(files).filter(isProjectConfig) };
    },
    async read(file) {
      const bytes = enc.encode(files[file]);
      return { ok: true as const, bytes, stamp: { size: bytes.length, mtimeMs: 1_000_000_000_000 + (versions[file] ?? 0) } };
    },
  };
}

/** Past QUIET_MIN_LENGTH, so quiet bodies are blanked and read again as wrapper names turn up. */
const PAD = `export function filler(n: number) {\n${'  n = n * 2 + 1;\n'.repeat(130)}  return n;\n}\n`;

/**
 * Generated programs of five files: wrappers defined and called across
 * files (some only in bodies that were quiet), keys through constants and
 * an object of flags. `program` gives one version of every file.
 */
function generatedPrograms() {
  const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
  const wrappers = ['useGate', 'check', 'helper', 'probe'];
  const call = fc.constantFrom('posthog.isFeatureEnabled', 'posthog.getFeatureFlag', ...wrappers);
  const arg = fc.oneof(key.map((k) => `'${k}'`), fc.constantFrom('FLAGS.A', 'FLAGS.B', 'KEY', 'k'));
  const stmt = fc.oneof(fc.tuple(call, arg).map(([c, a]) => `${c}(${a});`), fc.constantFrom('const x = items.map((i) => i.id);', "if (ready) { log('ready'); }"));
  const body = fc.array(stmt, { maxLength: 3 }).map((s) => s.join(' '));
  const decl = fc.oneof(
    fc.tuple(fc.constantFrom('A', 'B', ...wrappers), body).map(([n, b]) => `export function ${n}(k: string) {\n  ${b}\n}`),
    fc.tuple(fc.constantFrom(...wrappers), call).map(([n, c]) => `export const ${n} = (k: string) => ${c}(k);`),
    key.map((k) => `export const KEY = '${k}';`),
  );
  const header = "import posthog from 'posthog-js';\nimport { FLAGS } from './flags';\nimport { useGate, check, helper, probe, KEY } from './lib';\n";
  const file = fc.array(decl, { minLength: 1, maxLength: 5 }).map((d) => `${header}${PAD}${d.join('\n')}\n`);
  const flags = key.chain((a) => key.map((b) => `export const FLAGS = { A: '${a}', B: '${b}' } as const;\n`));
  const names = ['src/lib.ts', 'src/page.tsx', 'src/a.ts', 'src/b.ts', 'src/flags.ts'];
  const program = fc.record({ 'src/lib.ts': file, 'src/page.tsx': file, 'src/a.ts': file, 'src/b.ts': file, 'src/flags.ts': flags });
  return { names, program };
}

describe('index cache', function () {
  this.timeout(60000);
  before(async () => {
    runtime = await createTreeSitterRuntime(loadWasmFromDir(), ['python', 'go', 'swift', 'kotlin', 'dart', 'ruby', 'php', 'java', 'c_sharp']);
  });
  after(() => {
    for (const d of temps) {
      try {
        chmodSync(d, 0o700);
      } catch {
        // already gone
      }
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('every fixture folder: a cached scan equals the cold scan, and the second run parses nothing again', async () => {
    const folders = ['js/monorepo', 'js/negatives', 'js/resolution', 'cleanup', ...readdirSync(join(FIXTURES, 'langs')).map((l) => `langs/${l}`), ...readdirSync(join(FIXTURES, 'real-world')).map((l) => `real-world/${l}`)];
    for (const f of folders) {
      const root = temp('phf-cache-fix-');
      cpSync(join(FIXTURES, f), root, { recursive: true });
      age(root);
      const cacheDir = join(temp('phf-cache-dir-'), 'c');
      const first = await assertSame(root, cacheDir, f);
      assert.equal(first.hits, 0, `${f}: nothing to reuse on the first run`);
      const second = await assertSame(root, cacheDir, f);
      if (first.misses > 0) assert.ok(second.hits > 0, `${f}: the second run reuses facts`);
      assert.equal(second.misses, 0, `${f}: the second run parses nothing (${second.misses} parsed)`);
      assert.deepEqual([...first.warnings, ...second.warnings], []);
    }
  });

  it('after edits, a deletion, a new file and a constant changed in another file: the cached scan equals the cold scan', async () => {
    const root = temp('phf-cache-edit-');
    write(root, 'src/flags.ts', "export const FLAGS = { A: 'flag-a', B: 'flag-b' } as const;\nexport const SOLO = 'solo-flag';\n");
    write(root, 'src/gate.ts', "import posthog from 'posthog-js';\nexport function gate(key: string) { return posthog.isFeatureEnabled(key); }\n");
    write(root, 'src/page.tsx', "import { FLAGS, SOLO } from './flags';\nimport { gate } from './gate';\nexport const a = gate(FLAGS.A);\nexport const s = gate(SOLO);\n");
    write(root, 'src/other.ts', "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('other-flag');\n");
    write(root, 'src/quiet.ts', 'export function helper(x: number) {\n  return x * 2;\n}\n');
    age(root);
    const cacheDir = join(temp('phf-cache-dir-'), 'c');
    await assertSame(root, cacheDir);
    // A constant's value changes in another file (same size: only the content tells).
    write(root, 'src/flags.ts', "export const FLAGS = { A: 'flag-x', B: 'flag-b' } as const;\nexport const SOLO = 'solo-flag';\n");
    let r = await assertSame(root, cacheDir, 'constant changed');
    assert.ok(r.result.usages.some((u) => u.key === 'flag-x') && !r.result.usages.some((u) => u.key === 'flag-a'));
    assert.ok(r.hits > 0, 'unchanged files come from the cache');
    // A deletion, a new file calling the wrapper, a file that starts calling it.
    rmSync(join(root, 'src/other.ts'));
    write(root, 'src/new.ts', "import { gate } from './gate';\ngate('new-flag');\n");
    write(root, 'src/quiet.ts', "import { gate } from './gate';\nexport function helper(x: number) {\n  return gate('quiet-now-loud') ? x : 0;\n}\n");
    r = await assertSame(root, cacheDir, 'deleted, new, edited');
    assert.deepEqual(r.result.usages.map((u) => u.key).sort(), ['flag-x', 'new-flag', 'quiet-now-loud', 'solo-flag']);
    // The wrapper goes away: its callers' usages go with it.
    write(root, 'src/gate.ts', 'export function gate(key: string) { return key.length > 3; }\n');
    r = await assertSame(root, cacheDir, 'wrapper gone');
    assert.deepEqual(r.result.usages.map((u) => u.key), []);
  });

  it('a scan with nothing changed is replayed without reading a file; a change of content, permissions, a deletion or a new file scans again, with the cold result', async () => {
    const root = temp('phf-cache-replay-');
    write(root, 'src/keys.ts', "export const KEY = 'const-flag';\n");
    write(root, 'src/a.ts', "import posthog from 'posthog-js';\nimport { KEY } from './keys';\nposthog.isFeatureEnabled(KEY);\nposthog.isFeatureEnabled('a-flag');\n");
    write(root, 'py/app.py', "import posthog\nposthog.feature_enabled('py-flag', 'u')\n");
    age(root);
    const cacheDir = join(temp('phf-cache-dir-'), 'c');
    const run = async (label: string) => {
      const source = new WorkTreeSource(root);
      let reads = 0;
      const read = source.read.bind(source);
      source.read = (f: string) => {
        reads++;
        return read(f);
      };
      const store = new FactsStore({ dir: cacheDir, root: source.root, warn: (m) => assert.fail(m) });
      const cache = store.open();
      const result = await scanResult(source, { treeSitter: runtime, factsCache: cache });
      store.save(cache);
      assert.deepEqual(result, await cold(new WorkTreeSource(root)), `${label}: differs from the cold scan`);
      return { replayed: cache.wasReplayed(), reads, result };
    };
    assert.equal((await run('first')).replayed, false);
    let r = await run('unchanged');
    assert.deepEqual([r.replayed, r.reads], [true, 0], 'nothing changed: replayed, no file read');
    // A change the stamps show but the content does not (permissions, times): that file alone is read again, and answers as before.
    chmodSync(join(root, 'src/keys.ts'), 0o600);
    r = await run('permissions changed');
    assert.deepEqual([r.replayed, r.reads], [true, 1], 'permissions changed: the one file read, replayed');
    r = await run('unchanged again');
    assert.deepEqual([r.replayed, r.reads], [true, 0], 'its new stamp was stored');
    const old = statSync(join(root, 'src/keys.ts'));
    utimesSync(join(root, 'src/keys.ts'), old.atime, old.mtime);
    r = await run('times set');
    assert.deepEqual([r.replayed, r.reads], [true, 1]);
    write(root, 'src/keys.ts', "export const KEY = 'changed-flag';\n");
    r = await run('content changed');
    assert.equal(r.replayed, false);
    assert.ok(r.result.usages.some((u) => u.key === 'changed-flag'));
    rmSync(join(root, 'py/app.py'));
    assert.equal((await run('deleted')).replayed, false);
    write(root, 'src/b.ts', "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('b-flag');\n");
    assert.equal((await run('new file')).replayed, false);
    assert.equal((await run('unchanged at last')).replayed, true);
  });

  describe('replay after changes (the changed files answer as before)', () => {
    /** A CLI-like run with the cache (scanResult: replay when it can), compared with a cold scan; counts the files read. */
    const replayRun = async (root: string, cacheDir: string, label: string, startedAt?: number) => {
      const source = new WorkTreeSource(root);
      const readFiles: string[] = [];
      const read = source.read.bind(source);
      source.read = (f: string) => {
        readFiles.push(f);
        return read(f);
      };
      const warnings: string[] = [];
      const store = new FactsStore({ dir: cacheDir, root: source.root, warn: (m) => warnings.push(m) });
      const cache = store.open(startedAt);
      const result = await scanResult(source, { treeSitter: runtime, factsCache: cache });
      store.save(cache);
      assert.deepEqual(result, await cold(new WorkTreeSource(root)), `${label}: differs from the cold scan`);
      return { replayed: cache.wasReplayed(), reads: readFiles.sort(), result, warnings };
    };
    const keysOf = (r: { result: ScanResult }) => r.result.usages.map((u) => u.key).sort();
    /** Times an hour back for these files only (the others keep their stamps, status change time included). */
    const ageFiles = (root: string, files: string[]) => {
      const when = new Date(Date.now() - 3600_000);
      for (const f of files) utimesSync(join(root, f), when, when);
    };
    /** Quiet bodies (past QUIET_MIN_LENGTH) so that blanked bodies and their re-reads are in play. */
    const pyPad = `def filler(n):\n${'    n = n * 2 + 1\n'.repeat(130)}    return n\n`;

    const project = (root: string) => {
      write(root, 'src/keys.ts', "export const KEY = 'const-flag';\n");
      write(root, 'src/gate.ts', "import posthog from 'posthog-js';\nexport function gate(key: string) { return posthog.isFeatureEnabled(key); }\n");
      // An SDK term in a comment: lib.ts is parsed up front, before and after it defines a wrapper.
      write(root, 'src/lib.ts', `// not posthog.isFeatureEnabled yet\n${PAD}export function later(key: string) { return key.length; }\n`);
      write(root, 'src/page.tsx', `import { KEY } from './keys';\nimport { gate } from './gate';\nimport { later } from './lib';\n${PAD}export function run() {\n  gate(KEY);\n  later('later-flag');\n}\n`);
      write(root, 'src/quiet.ts', `import { later } from './lib';\n${PAD}`);
      write(root, 'py/app.py', `import posthog\n${pyPad}\ndef main():\n    posthog.feature_enabled('py-flag', 'u')\n`);
      write(root, 'py/util.py', `${pyPad}`);
    };

    it('comments appended to parsed and unparsed files (TS, Python): only those files read, replayed, the cold result; then nothing read at all', async () => {
      const root = temp('phf-replay-comment-');
      project(root);
      age(root, 3600);
      const cacheDir = join(temp('phf-cache-dir-'), 'c');
      assert.equal((await replayRun(root, cacheDir, 'first')).replayed, false);
      for (const f of ['src/page.tsx', 'src/quiet.ts', 'src/keys.ts']) writeFileSync(join(root, f), readFileSync(join(root, f), 'utf8') + '\n// a note\n');
      for (const f of ['py/app.py', 'py/util.py']) writeFileSync(join(root, f), readFileSync(join(root, f), 'utf8') + '\n# a note\n');
      ageFiles(root, ['src/page.tsx', 'src/quiet.ts', 'src/keys.ts', 'py/app.py', 'py/util.py']);
      let r = await replayRun(root, cacheDir, 'comments');
      assert.deepEqual([r.replayed, r.reads], [true, ['py/app.py', 'py/util.py', 'src/keys.ts', 'src/page.tsx', 'src/quiet.ts']]);
      assert.deepEqual(keysOf(r), ['const-flag', 'py-flag']);
      r = await replayRun(root, cacheDir, 'then unchanged');
      assert.deepEqual([r.replayed, r.reads], [true, []], 'the new stamps were stored');
      assert.deepEqual(r.warnings, []);
    });

    it('a new wrapper defined in a changed file and called in an unchanged one (in a blanked body too): the scan runs and finds the calls', async () => {
      const root = temp('phf-replay-wrapper-');
      project(root);
      age(root, 3600);
      const cacheDir = join(temp('phf-cache-dir-'), 'c');
      assert.deepEqual(keysOf(await replayRun(root, cacheDir, 'first')), ['const-flag', 'py-flag']);
      // `later` becomes a wrapper: page.tsx (unchanged) calls it in a body that was quiet.
      write(root, 'src/lib.ts', `// not posthog.isFeatureEnabled yet\n${PAD}import posthog from 'posthog-js';\nexport function later(key: string) { return posthog.isFeatureEnabled(key); }\n`);
      ageFiles(root, ['src/lib.ts']);
      const r = await replayRun(root, cacheDir, 'wrapper now');
      assert.equal(r.replayed, false);
      assert.deepEqual(keysOf(r), ['const-flag', 'later-flag', 'py-flag']);
    });

    it('a constant changed in an unchanged file\'s import target, same size and same modification time inside the racy window: the content hash tells', async () => {
      const root = temp('phf-replay-racy-');
      project(root);
      const now = Math.floor(Date.now() / 1000);
      utimesSync(join(root, 'src/keys.ts'), now, now);
      const cacheDir = join(temp('phf-cache-dir-'), 'c');
      assert.deepEqual(keysOf(await replayRun(root, cacheDir, 'first')), ['const-flag', 'py-flag']);
      const before = statSync(join(root, 'src/keys.ts'));
      write(root, 'src/keys.ts', "export const KEY = 'const-flog';\n");
      utimesSync(join(root, 'src/keys.ts'), now, now);
      const after = statSync(join(root, 'src/keys.ts'));
      assert.deepEqual([after.size, after.mtimeMs], [before.size, before.mtimeMs]);
      const r = await replayRun(root, cacheDir, 'racy edit');
      assert.equal(r.replayed, false);
      assert.deepEqual(keysOf(r), ['const-flog', 'py-flag']);
    });

    it('a racy stamp whose content did not change: replayed after reading that file, its hash dropped once the time is old enough', async () => {
      const root = temp('phf-replay-racy-same-');
      project(root);
      age(root, 3600);
      const now = Math.floor(Date.now() / 1000);
      utimesSync(join(root, 'src/keys.ts'), now, now);
      const cacheDir = join(temp('phf-cache-dir-'), 'c');
      await replayRun(root, cacheDir, 'first');
      let r = await replayRun(root, cacheDir, 'racy, unchanged');
      assert.deepEqual([r.replayed, r.reads], [true, ['src/keys.ts']]);
      // A run that starts a minute later: the time is trusted alone from now on.
      r = await replayRun(root, cacheDir, 'later', Date.now() + 60_000);
      assert.deepEqual([r.replayed, r.reads], [true, ['src/keys.ts']]);
      r = await replayRun(root, cacheDir, 'later still', Date.now() + 60_000);
      assert.deepEqual([r.replayed, r.reads], [true, []]);
    });

    it('a file deleted, a file added, a file that starts holding an SDK term, a wrapper name appearing in an unparsed file: the scan runs, the cold result', async () => {
      const root = temp('phf-replay-listing-');
      project(root);
      age(root, 3600);
      const cacheDir = join(temp('phf-cache-dir-'), 'c');
      await replayRun(root, cacheDir, 'first');
      rmSync(join(root, 'py/util.py'));
      let r = await replayRun(root, cacheDir, 'deleted');
      assert.equal(r.replayed, false);
      write(root, 'src/added.ts', "import { gate } from './gate';\ngate('added-flag');\n");
      ageFiles(root, ['src/added.ts']);
      r = await replayRun(root, cacheDir, 'added');
      assert.equal(r.replayed, false);
      assert.ok(keysOf(r).includes('added-flag'));
      write(root, 'src/quiet.ts', `import posthog from 'posthog-js';\n${PAD}posthog.isFeatureEnabled('quiet-flag');\n`);
      ageFiles(root, ['src/quiet.ts']);
      r = await replayRun(root, cacheDir, 'SDK term');
      assert.equal(r.replayed, false);
      assert.ok(keysOf(r).includes('quiet-flag'));
      // keys.ts is unparsed until resolution needs it; now it calls the wrapper `gate` (a name it did not contain).
      write(root, 'src/keys.ts', "import { gate } from './gate';\nexport const KEY = 'const-flag';\ngate('keys-flag');\n");
      ageFiles(root, ['src/keys.ts']);
      r = await replayRun(root, cacheDir, 'wrapper name');
      assert.equal(r.replayed, false);
      assert.ok(keysOf(r).includes('keys-flag'));
      r = await replayRun(root, cacheDir, 'unchanged');
      assert.deepEqual([r.replayed, r.reads], [true, []]);
    });

    it('a line added above a usage (its position moves): the scan runs, the usage at its new line', async () => {
      const root = temp('phf-replay-moved-');
      project(root);
      age(root, 3600);
      const cacheDir = join(temp('phf-cache-dir-'), 'c');
      const first = await replayRun(root, cacheDir, 'first');
      write(root, 'py/app.py', `import posthog\n# moved\n${pyPad}\ndef main():\n    posthog.feature_enabled('py-flag', 'u')\n`);
      ageFiles(root, ['py/app.py']);
      const r = await replayRun(root, cacheDir, 'moved');
      assert.equal(r.replayed, false);
      const line = (x: typeof r) => x.result.usages.find((u) => u.key === 'py-flag')!.line;
      assert.equal(line(r), line(first) + 1);
    });

    it('a damaged trace: one warning, the scan runs with the cold result, and the cache is written again', async () => {
      const root = temp('phf-replay-damaged-');
      project(root);
      age(root, 3600);
      const cacheDir = join(temp('phf-cache-dir-'), 'c');
      await replayRun(root, cacheDir, 'first');
      const file = cacheFileFor(cacheDir, root);
      const bytes = readFileSync(file);
      const metaLength = bytes.readUInt32LE(8);
      const meta = JSON.parse(bytes.toString('utf8', 12, 12 + metaLength)) as { sections: Record<string, [number, number, number]> };
      const [at, length] = meta.sections.trace;
      bytes[at + Math.floor(length / 2)] ^= 0x20;
      writeFileSync(file, bytes);
      writeFileSync(join(root, 'src/page.tsx'), readFileSync(join(root, 'src/page.tsx'), 'utf8') + '\n// a note\n');
      ageFiles(root, ['src/page.tsx']);
      let r = await replayRun(root, cacheDir, 'damaged trace');
      assert.equal(r.replayed, false);
      assert.equal(r.warnings.length, 1, r.warnings.join(' | '));
      assert.match(r.warnings[0], /damaged/);
      r = await replayRun(root, cacheDir, 'rewritten');
      assert.deepEqual([r.replayed, r.reads, r.warnings], [true, [], []]);
    });

    const ageTree = (root: string) => age(root, 3600, { folders: true });
    /** A run with a source whose walks are counted (the listing reused: no walk). */
    const listingRun = async (root: string, cacheDir: string, label: string, options: { exclude?: string[] } = {}) => {
      const source = new WorkTreeSource(root, options);
      let walks = 0;
      const list = source.list.bind(source);
      source.list = () => {
        walks++;
        return list();
      };
      const store = new FactsStore({ dir: cacheDir, root: source.root, warn: (m) => assert.fail(m) });
      const cache = store.open();
      const result = await scanResult(source, { treeSitter: runtime, factsCache: cache });
      store.save(cache);
      assert.deepEqual(result, (await scanSource(new WorkTreeSource(root, options), { treeSitter: runtime })).result, `${label}: differs from the cold scan`);
      return { walks, result };
    };

    it('the listing is reused while no folder, ignore file or .git on the way changed; a file added or removed, an ignore file edited in place, other options: listed again', async () => {
      const root = temp('phf-replay-listing-walk-');
      project(root);
      write(root, 'src/.gitignore', 'generated/\n');
      write(root, 'src/generated/out.ts', "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('generated-flag');\n");
      write(root, 'src/deep/er/x.ts', "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('deep-flag');\n");
      ageTree(root);
      const cacheDir = join(temp('phf-cache-dir-'), 'c');
      assert.equal((await listingRun(root, cacheDir, 'first')).walks, 1);
      assert.equal((await listingRun(root, cacheDir, 'unchanged')).walks, 0, 'nothing changed: no walk');
      // A file added deep down: its folder's time moves.
      write(root, 'src/deep/er/y.ts', "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('new-deep-flag');\n");
      let r = await listingRun(root, cacheDir, 'added');
      assert.equal(r.walks, 1);
      assert.ok(r.result.usages.some((u) => u.key === 'new-deep-flag'));
      ageTree(root);
      await listingRun(root, cacheDir, 'aged');
      assert.equal((await listingRun(root, cacheDir, 'unchanged again')).walks, 0);
      // The ignore file edited in place (its folder's time does not move): the generated file is listed now.
      write(root, 'src/.gitignore', 'nothing/\n');
      r = await listingRun(root, cacheDir, 'ignore file edited');
      assert.equal(r.walks, 1);
      assert.ok(r.result.usages.some((u) => u.key === 'generated-flag'));
      // Other options: listed again.
      ageTree(root);
      await listingRun(root, cacheDir, 'aged again');
      r = await listingRun(root, cacheDir, 'excluded', { exclude: ['src/deep/'] });
      assert.equal(r.walks, 1);
      assert.ok(!r.result.usages.some((u) => u.key === 'deep-flag'));
      // A file removed, its folder's time set back: the status change time still tells.
      const dir = join(root, 'src/deep/er');
      const before = statSync(dir);
      rmSync(join(dir, 'y.ts'));
      utimesSync(dir, before.atime, before.mtime);
      r = await listingRun(root, cacheDir, 'removed, time set back');
      assert.equal(r.walks, 1);
      assert.ok(!r.result.usages.some((u) => u.key === 'new-deep-flag'));
      // A .git appearing at the root: its .git/info/exclude now applies.
      ageTree(root);
      await listingRun(root, cacheDir, 'aged once more');
      write(root, '.git/info/exclude', 'src/deep/\n');
      r = await listingRun(root, cacheDir, 'a repository now');
      assert.equal(r.walks, 1);
      assert.ok(!r.result.usages.some((u) => u.key === 'deep-flag'));
    });

    it('a root reached through a link, and a .gitignore that is a link: changes behind the links are seen (the walk reads through them)', async () => {
      const base = temp('phf-replay-listing-link-');
      const target = join(base, 'target');
      project(target);
      write(base, 'rules/ignore', 'nothing/\n');
      write(target, 'src/generated/out.ts', "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('generated-flag');\n");
      symlinkSync(join(base, 'rules/ignore'), join(target, 'src/.gitignore'));
      const root = join(base, 'root');
      symlinkSync(target, root);
      ageTree(target);
      ageTree(join(base, 'rules'));
      // The links themselves old too: only what is behind them changes.
      const old = new Date(Date.now() - 3600_000);
      lutimesSync(root, old, old);
      lutimesSync(join(target, 'src/.gitignore'), old, old);
      const cacheDir = join(temp('phf-cache-dir-'), 'c');
      assert.ok((await listingRun(root, cacheDir, 'first')).result.usages.some((u) => u.key === 'generated-flag'));
      assert.equal((await listingRun(root, cacheDir, 'unchanged')).walks, 0, 'nothing changed: no walk');
      // A file added at the top of the linked folder: the link itself does not change.
      write(target, 'top.ts', "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('top-flag');\n");
      let r = await listingRun(root, cacheDir, 'added behind the root link');
      assert.equal(r.walks, 1);
      assert.ok(r.result.usages.some((u) => u.key === 'top-flag'));
      ageTree(target);
      await listingRun(root, cacheDir, 'aged');
      // The ignore rules edited behind the .gitignore link.
      write(base, 'rules/ignore', 'generated/\n');
      r = await listingRun(root, cacheDir, 'ignore rules edited behind the link');
      assert.equal(r.walks, 1);
      assert.ok(!r.result.usages.some((u) => u.key === 'generated-flag'));
    });

    it('a folder changed within the racy window: the listing is not trusted next time', async () => {
      const root = temp('phf-replay-listing-racy-');
      project(root);
      ageTree(root);
      const now = Math.floor(Date.now() / 1000);
      utimesSync(join(root, 'src'), now, now);
      const cacheDir = join(temp('phf-cache-dir-'), 'c');
      await listingRun(root, cacheDir, 'first');
      assert.equal((await listingRun(root, cacheDir, 'racy folder')).walks, 1, 'a folder this recent may change again unseen');
    });

    it('generated programs: after random edits, comments and deletions between runs, the replayed or scanned result equals the cold scan', async () => {
      const { names, program } = generatedPrograms();
      const change = fc.array(fc.constantFrom('keep', 'keep', 'comment', 'edit', 'delete'), { minLength: names.length, maxLength: names.length });
      const enc = new TextEncoder();
      /** stampedSource with `stat` (what a replay needs), a file's version as its times. */
      const source = (files: Record<string, string>, versions: Record<string, number>): FileSource => {
        const stamp = (f: string) => ({ size: enc.encode(files[f]).length, mtimeMs: 1_000_000_000_000 + (versions[f] ?? 0), ctimeMs: 1_000_000_000_000 + (versions[f] ?? 0) });
        const s = stampedSource(files, versions);
        return {
          ...s,
          read: async (f) => ({ ok: true as const, bytes: enc.encode(files[f]), stamp: stamp(f) }),
          stat: (f) => (f in files ? stamp(f) : undefined),
        };
      };
      let replays = 0;
      await fc.assert(
        fc.asyncProperty(program, program, change, async (v1, v2, how) => {
          const cacheDir = temp('phf-cache-gen-');
          const versions: Record<string, number> = {};
          const files: Record<string, string> = { ...v1 };
          const run = async () => {
            const warnings: string[] = [];
            const store = new FactsStore({ dir: cacheDir, root: '/generated', warn: (m) => warnings.push(m) });
            const cache = store.open();
            const result = await scanResult(source(files, versions), { treeSitter: runtime, factsCache: cache });
            store.save(cache);
            assert.deepEqual(warnings, []);
            return { result, replayed: cache.wasReplayed() };
          };
          await run();
          names.forEach((n, i) => {
            if (how[i] === 'comment') files[n] += '// a comment\n';
            else if (how[i] === 'edit') files[n] = v2[n as keyof typeof v2];
            else if (how[i] === 'delete') delete files[n];
            if (how[i] !== 'keep') versions[n] = 1;
          });
          const second = await run();
          if (second.replayed) replays++;
          assert.deepEqual(second.result, await cold(source(files, versions)));
          rmSync(cacheDir, { recursive: true, force: true });
        }),
        { numRuns: 60 },
      );
      assert.ok(replays > 0, 'some runs were replayed after changes');
    });
  });

  it('after a write nothing is left to write until something changes (the language server writes on changes only)', async () => {
    const root = temp('phf-cache-saved-');
    write(root, 'a.ts', "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('flag-one');\n");
    age(root);
    const store = new FactsStore({ dir: join(temp('phf-cache-dir-'), 'c'), root, warn: (m) => assert.fail(m) });
    const cache = store.open();
    await scanSource(new WorkTreeSource(root), { treeSitter: runtime, factsCache: cache });
    assert.equal(cache.changed(), true, 'a new cache');
    assert.equal(store.save(cache), true);
    assert.equal(cache.changed(), false, 'just written');
    assert.equal(store.save(cache), false, 'nothing to write');
    cache.forget('a.ts');
    assert.equal(cache.changed(), true, 'a file edited in a buffer drops its facts');
  });

  it('a same-size edit with the same modification time right after the cache was written: the content hash tells', async () => {
    const root = temp('phf-cache-racy-');
    // A whole second, now: what a file system with coarse times shows for two writes in the same second.
    const now = Math.floor(Date.now() / 1000);
    write(root, 'a.ts', "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('flag-one');\n");
    utimesSync(join(root, 'a.ts'), now, now);
    const cacheDir = join(temp('phf-cache-dir-'), 'c');
    await assertSame(root, cacheDir);
    const before = statSync(join(root, 'a.ts'));
    write(root, 'a.ts', "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('flag-two');\n");
    utimesSync(join(root, 'a.ts'), now, now);
    assert.equal(statSync(join(root, 'a.ts')).mtimeMs, before.mtimeMs);
    assert.equal(statSync(join(root, 'a.ts')).size, before.size);
    const r = await assertSame(root, cacheDir, 'racy edit');
    assert.deepEqual(r.result.usages.map((u) => u.key), ['flag-two']);
  });

  it("CI's recipe (README): a fresh clone at the same path reuses the facts once each file has its last commit's time, and only then", async () => {
    const base = temp('phf-cache-ci-');
    const origin = join(base, 'origin');
    write(origin, 'src/app.ts', "import posthog from 'posthog-js';\nimport { KEY } from './keys';\nposthog.isFeatureEnabled(KEY);\n");
    write(origin, 'src/keys.ts', "export const KEY = 'from-keys';\n");
    write(origin, 'app/views.py', "import posthoganalytics\nposthoganalytics.feature_enabled('py-flag', 'id')\n");
    const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z', GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z' }, stdio: 'pipe' }).toString();
    git(origin, 'init', '-q', '-b', 'main');
    git(origin, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '.');
    git(origin, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'one');
    const work = join(base, 'work');
    const cacheDir = join(base, 'cache');
    /** `actions/checkout` (every file gets the time of the checkout), optionally followed by git-restore-mtime. */
    const checkout = (restore: boolean) => {
      rmSync(work, { recursive: true, force: true });
      git(base, 'clone', '-q', origin, work);
      if (!restore) return;
      for (const file of git(work, 'ls-files').trim().split('\n')) {
        const when = Number(git(work, 'log', '-1', '--format=%ct', '--', file).trim());
        utimesSync(join(work, file), when, when);
      }
    };
    checkout(true);
    const first = await assertSame(work, cacheDir, 'first run');
    assert.equal(first.hits, 0);
    checkout(true);
    const restored = await assertSame(work, cacheDir, 'restored times');
    assert.ok(restored.hits >= 2 && restored.misses === 0, `restored times: ${restored.hits} reused, ${restored.misses} parsed`);
    checkout(false);
    const plain = await assertSame(work, cacheDir, 'checkout times');
    assert.equal(plain.hits, 0, 'without the restored times every file looks changed');
  });

  it('a tsconfig change (paths): the cache is not used, and the result is the cold one', async () => {
    const root = temp('phf-cache-tsconfig-');
    write(root, 'tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@flags/*': ['src/flags/*'] } } }));
    write(root, 'src/flags/keys.ts', "export const KEY = 'first-flag';\n");
    write(root, 'other/keys.ts', "export const KEY = 'second-flag';\n");
    write(root, 'src/app.ts', "import posthog from 'posthog-js';\nimport { KEY } from '@flags/keys';\nposthog.isFeatureEnabled(KEY);\n");
    age(root);
    const cacheDir = join(temp('phf-cache-dir-'), 'c');
    let r = await assertSame(root, cacheDir);
    assert.deepEqual(r.result.usages.map((u) => u.key), ['first-flag']);
    write(root, 'tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@flags/*': ['other/*'] } } }));
    r = await assertSame(root, cacheDir, 'paths changed');
    assert.deepEqual(r.result.usages.map((u) => u.key), ['second-flag']);
    assert.equal(r.hits, 0, 'facts made under other configs are not used');
    r = await assertSame(root, cacheDir, 'again');
    assert.ok(r.hits > 0);
  });

  it('a truncated, a damaged and a foreign-version cache are ignored with one warning, and written again', async () => {
    const root = temp('phf-cache-bad-');
    cpSync(join(FIXTURES, 'js', 'monorepo'), root, { recursive: true });
    age(root);
    const cacheDir = join(temp('phf-cache-dir-'), 'c');
    await assertSame(root, cacheDir);
    const file = cacheFileFor(cacheDir, root);
    const good = readFileSync(file);
    const damage: Array<[string, Buffer, RegExp]> = [
      ['truncated', good.subarray(0, Math.floor(good.length * 0.7)), /truncated/],
      ['a flipped byte in the body', Buffer.concat([good.subarray(0, good.length - 20), Buffer.from([good[good.length - 20] ^ 0x55]), good.subarray(good.length - 19)]), /damaged/],
      ['not a cache', Buffer.from('hello'), /not a posthog-flags cache/],
      ['another version', Buffer.from(good.toString('latin1').replace(/"format\\?":\d+/, (m) => m.replace(/\d+$/, (d) => (d === '9'.repeat(d.length) ? '8' : '9').repeat(d.length))), 'latin1'), /another version/],
    ];
    for (const [what, bytes, said] of damage) {
      writeFileSync(file, bytes);
      const r = await assertSame(root, cacheDir, what);
      assert.equal(r.warnings.length, 1, `${what}: one warning (${r.warnings.join(' | ')})`);
      assert.match(r.warnings[0], said);
      assert.equal(r.hits, 0, `${what}: nothing used`);
      const again = await assertSame(root, cacheDir, `${what}, rewritten`);
      assert.deepEqual(again.warnings, []);
      assert.ok(again.hits > 0 && again.misses === 0, `${what}: the cache was written again`);
    }
  });

  it('an unwritable cache directory: one warning, the same result, nothing thrown', async function () {
    if (process.getuid?.() === 0) {
      // root writes anywhere: make the "directory" a file instead.
      const root = temp('phf-cache-ro-');
      write(root, 'a.ts', "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('flag-one');\n");
      const blocker = join(temp('phf-cache-dir-'), 'not-a-dir');
      writeFileSync(blocker, 'x');
      const r = await assertSame(root, blocker);
      assert.equal(r.warnings.length, 1, r.warnings.join(' | '));
      assert.match(r.warnings[0], /not written/);
      return;
    }
    const root = temp('phf-cache-ro-');
    write(root, 'a.ts', "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('flag-one');\n");
    const parent = temp('phf-cache-dir-');
    chmodSync(parent, 0o500);
    const r = await assertSame(root, join(parent, 'c'));
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /not written/);
  });

  it('files 0600 in a 0700 directory, holding no file text', async () => {
    const root = temp('phf-cache-modes-');
    write(root, 'a.ts', "import posthog from 'posthog-js';\n// a comment only the file has: zebra-quokka-marmalade\nposthog.isFeatureEnabled('flag-one');\n");
    const cacheDir = join(temp('phf-cache-dir-'), 'nested', 'c');
    await assertSame(root, cacheDir);
    assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
    const files = readdirSync(cacheDir);
    assert.equal(files.length, 1, 'one entry per root');
    assert.equal(statSync(join(cacheDir, files[0])).mode & 0o777, 0o600);
    const body = readFileSync(join(cacheDir, files[0]), 'utf8');
    assert.ok(!body.includes('zebra-quokka-marmalade'), 'no file text in the cache');
    assert.ok(body.includes('flag-one'), 'the facts are there');
  });

  it('facts read back keep records without prototypes (a binding named constructor is just a name)', async () => {
    const root = temp('phf-cache-proto-');
    write(root, 'keys.ts', "export const constructor = 'ctor-flag';\nexport const toString = 'str-flag';\nexport const O = { constructor: 'obj-ctor-flag' };\n");
    write(root, 'a.ts', "import posthog from 'posthog-js';\nimport { constructor, toString, O } from './keys';\nposthog.isFeatureEnabled(constructor);\nposthog.isFeatureEnabled(toString);\nposthog.isFeatureEnabled(O.constructor);\nposthog.isFeatureEnabled(O.hasOwnProperty);\n");
    age(root);
    const cacheDir = join(temp('phf-cache-dir-'), 'c');
    await assertSame(root, cacheDir);
    const r = await assertSame(root, cacheDir, 'read back');
    assert.ok(r.hits > 0);
    assert.deepEqual(r.result.usages.map((u) => u.key), ['ctor-flag', 'str-flag', 'obj-ctor-flag']);
    const facts = factsFromJson(JSON.stringify({ kind: 'js', file: 'x.ts', language: 'typescript', bindings: { a: { t: 'obj', props: { b: { t: 'unknown' } } } }, imports: {}, exports: {}, stars: [], fns: [], sites: [], refs: [], specifiers: [] }));
    assert.ok(facts?.kind === 'js');
    assert.equal(Object.getPrototypeOf(facts.bindings), null);
    const a = facts.bindings.a;
    assert.ok(a.t === 'obj' && Object.getPrototypeOf(a.props) === null);
    assert.equal(factsFromJson('{"kind":"js"'), undefined, 'cut JSON is no facts');
    assert.equal(factsFromJson('{"kind":"other","file":"x"}'), undefined, 'foreign JSON is no facts');
  });

  it('generated programs: after random edits between runs, the cached scan equals the cold scan', async () => {
    const { names, program } = generatedPrograms();
    // A second version: some files kept, others changed or gone.
    const change = fc.array(fc.constantFrom('keep', 'edit', 'delete'), { minLength: names.length, maxLength: names.length });
    await fc.assert(
      fc.asyncProperty(program, program, change, async (v1, v2, how) => {
        const cacheDir = temp('phf-cache-gen-');
        const versions: Record<string, number> = {};
        const files1: Record<string, string> = { ...v1 };
        await cached(stampedSource(files1, versions), cacheDir);
        const files2: Record<string, string> = {};
        names.forEach((n, i) => {
          if (how[i] === 'keep') files2[n] = files1[n];
          else if (how[i] === 'edit') {
            files2[n] = v2[n as keyof typeof v2];
            versions[n] = 1;
          }
        });
        const run = await cached(stampedSource(files2, versions), cacheDir);
        assert.deepEqual(run.result, await cold(stampedSource(files2, versions)));
        assert.deepEqual(run.warnings, []);
        rmSync(cacheDir, { recursive: true, force: true });
      }),
      { numRuns: 60 },
    );
  });

  it('facts made under other loud terms are used only where the terms that differ are absent from the text', () => {
    const cache = new FactsCache(undefined, 0);
    const bytes = new TextEncoder().encode('x');
    cache.noteRead('a.ts', bytes, { size: 1, mtimeMs: 1 });
    const facts = { kind: 'foreign' as const, file: 'a.ts', language: 'typescript', usages: [], unresolved: [] };
    const made = ['isFeatureEnabled'];
    cache.put('a.ts', 'typescript:quiet:0', made, facts);
    assert.equal(cache.get('a.ts', 'typescript:quiet:0', made, 'text'), facts);
    assert.equal(cache.get('a.ts', 'typescript:quiet:0', [...made, 'gate'], 'no such name here'), facts);
    assert.equal(cache.get('a.ts', 'typescript:quiet:0', [...made, 'gate'], 'calls gate(k)'), undefined);
    assert.equal(cache.get('a.ts', 'typescript:whole', made, 'text'), undefined, 'another mode');
    cache.forget('a.ts');
    assert.equal(cache.get('a.ts', 'typescript:quiet:0', made, 'text'), undefined, 'a forgotten file');
    assert.ok(!existsSync('/nonexistent-cache-check'));
  });
});
