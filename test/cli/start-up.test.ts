// Start-up of dist/cli.js (server/src/node/launch.ts, code-cache.ts): the V8
// code cache is produced and used per Node version, a stale or corrupt cache
// is rejected safely, and TypeScript (dist/typescript.js) is loaded only when
// a JS/TS file is parsed. The runtimes tier runs this file on Node 20, 22, 24.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, ensureBuilt, repoRoot } from './scan-cli';
import { isCallerSpecific } from '../support/flags-cli';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The trace lines of the code cache (PHF_CODE_CACHE_TRACE). */
  trace: string[];
}

function run(args: string[], env: Record<string, string>, nodeArgs: string[] = []): Run {
  const base: Record<string, string> = { LC_ALL: 'C', TZ: 'UTC' };
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !isCallerSpecific(k) && !k.startsWith('PHF_CODE_CACHE')) base[k] = v;
  const r = spawnSync(process.execPath, [...nodeArgs, cliPath, ...args], { cwd: repoRoot, env: { ...base, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  const lines = r.stderr.split('\n');
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: lines.filter((l) => l && !l.startsWith('code cache: ')).join('\n'),
    trace: lines.filter((l) => l.startsWith('code cache: ')),
  };
}

const JS_FIXTURE = join(repoRoot, 'test/fixtures/js/resolution');
const PY_FIXTURE = join(repoRoot, 'test/fixtures/langs/python');
const GO_FIXTURE = join(repoRoot, 'test/fixtures/langs/go');

describe('start-up: code cache and lazy TypeScript (dist/cli.js)', function () {
  this.timeout(120_000);
  let dir: string;
  let cacheRoot: string;

  before(() => ensureBuilt());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'phf-start-'));
    cacheRoot = join(dir, 'cache');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const traced = (root: string) => ({ POSTHOG_FLAGS_CODE_CACHE: root, PHF_CODE_CACHE_TRACE: '1' });
  /** The folder of this Node's caches, and its files. */
  const versionDir = () => {
    const dirs = readdirSync(cacheRoot);
    assert.equal(dirs.length, 1, `one folder per Node version: ${dirs.join(', ')}`);
    assert.ok(dirs[0].startsWith(`${process.version}-${process.arch}-v8-${process.versions.v8}`), dirs[0]);
    return join(cacheRoot, dirs[0]);
  };
  const cacheFileOf = (name: string) => {
    const d = versionDir();
    const files = readdirSync(d).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.v8'));
    assert.equal(files.length, 1, `one cache of ${name}: ${readdirSync(d).join(', ')}`);
    return join(d, files[0]);
  };

  it('is produced by the first run on this Node version and used by the next, with the same output', () => {
    const first = run(['scan', JS_FIXTURE, '--json'], traced(cacheRoot));
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(first.trace, ['code cache: cli.bundle.js none', 'code cache: cli.bundle.js written', 'code cache: typescript.js none', 'code cache: typescript.js written']);
    cacheFileOf('cli.bundle.js');
    cacheFileOf('typescript.js');

    const second = run(['scan', JS_FIXTURE, '--json'], traced(cacheRoot));
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(second.trace, ['code cache: cli.bundle.js used', 'code cache: typescript.js used']);
    assert.equal(second.stdout, first.stdout);
    assert.ok(JSON.parse(second.stdout).usages.length > 0, 'the fixture has usages (the comparison means something)');

    const uncached = run(['scan', JS_FIXTURE, '--json'], traced('off'));
    assert.deepEqual(uncached.trace, ['code cache: cli.bundle.js off', 'code cache: typescript.js off']);
    assert.equal(uncached.stdout, first.stdout);
  });

  it('rejects a corrupt cache (checksum) and a stale one (V8), runs correctly anyway, and writes it again', () => {
    const reference = run(['scan', JS_FIXTURE, '--json'], traced(cacheRoot));
    assert.equal(reference.status, 0, reference.stderr);
    const bundleCache = cacheFileOf('cli.bundle.js');
    const tsCache = cacheFileOf('typescript.js');

    // One flipped byte in the middle of the V8 data.
    const bytes = readFileSync(bundleCache);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(bundleCache, bytes);
    // Truncated.
    writeFileSync(tsCache, readFileSync(tsCache).subarray(0, 100));
    const corrupt = run(['scan', JS_FIXTURE, '--json'], traced(cacheRoot));
    assert.equal(corrupt.status, 0, corrupt.stderr);
    assert.deepEqual(corrupt.trace, ['code cache: cli.bundle.js rejected', 'code cache: cli.bundle.js written', 'code cache: typescript.js rejected', 'code cache: typescript.js written']);
    assert.equal(corrupt.stdout, reference.stdout);

    // Well-formed and checksummed, but V8 data for another script (TypeScript's, under the bundle's name): V8 refuses it.
    writeFileSync(cacheFileOf('cli.bundle.js'), readFileSync(cacheFileOf('typescript.js')));
    const stale = run(['scan', JS_FIXTURE, '--json'], traced(cacheRoot));
    assert.equal(stale.status, 0, stale.stderr);
    assert.deepEqual(stale.trace, ['code cache: cli.bundle.js rejected', 'code cache: cli.bundle.js written', 'code cache: typescript.js used']);
    assert.equal(stale.stdout, reference.stdout);

    const again = run(['scan', JS_FIXTURE, '--json'], traced(cacheRoot));
    assert.deepEqual(again.trace, ['code cache: cli.bundle.js used', 'code cache: typescript.js used']);
  });

  it('a cache made under other V8 flags is rejected, not run', () => {
    run(['scan', JS_FIXTURE, '--json'], traced(cacheRoot));
    // --no-lazy changes how V8 compiles (and its flag hash): the caches above do not fit.
    const other = run(['scan', JS_FIXTURE, '--json'], traced(cacheRoot), ['--no-lazy']);
    assert.equal(other.status, 0, other.stderr);
    assert.deepEqual(other.trace.filter((l) => !l.endsWith('written')), ['code cache: cli.bundle.js rejected', 'code cache: typescript.js rejected']);
  });

  it('does not use a folder other users can write to', () => {
    mkdirSync(cacheRoot, { mode: 0o777 });
    chmodSync(cacheRoot, 0o777);
    const r = run(['scan', JS_FIXTURE, '--json'], traced(cacheRoot));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.trace, [`code cache: folder unusable (${cacheRoot})`, 'code cache: cli.bundle.js off', 'code cache: typescript.js off']);
    assert.deepEqual(readdirSync(cacheRoot).filter((f) => !readdirSync(join(cacheRoot, f)).length), readdirSync(cacheRoot), 'nothing written there');
  });

  // A preloaded hook records every file node reads or requires whose name says TypeScript.
  const hookFile = () => {
    const hook = join(dir, 'ts-hook.cjs');
    writeFileSync(
      hook,
      `const fs = require('node:fs'); const Module = require('node:module'); const seen = [];
const readFileSync = fs.readFileSync;
fs.readFileSync = function (p, ...rest) { if (/typescript/.test(String(p))) seen.push(String(p)); return readFileSync.call(this, p, ...rest); };
const load = Module._load;
Module._load = function (request, ...rest) { if (/typescript/.test(request)) seen.push(request); return load.call(this, request, ...rest); };
process.on('exit', () => process.stderr.write('typescript loads: ' + JSON.stringify(seen) + '\\n'));
`,
    );
    return hook;
  };
  const typescriptLoads = (r: Run) => {
    const line = r.stderr.split('\n').find((l) => l.startsWith('typescript loads: '));
    assert.ok(line, r.stderr);
    return JSON.parse(line.slice('typescript loads: '.length)) as string[];
  };

  for (const [label, fixture] of [['Python', PY_FIXTURE], ['Go', GO_FIXTURE]] as const) {
    it(`a ${label}-only scan never loads TypeScript (and finds its usages)`, () => {
      for (const cache of ['off', cacheRoot]) {
        const r = run(['scan', fixture, '--json'], traced(cache), ['--require', hookFile()]);
        assert.equal(r.status, 0, r.stderr);
        assert.ok(JSON.parse(r.stdout).usages.length > 0, 'usages found');
        assert.deepEqual(typescriptLoads(r), []);
        assert.ok(!r.trace.some((l) => l.includes('typescript.js')), r.trace.join('\n'));
      }
    });
  }

  it('an empty folder never loads TypeScript; a JS/TS scan does (the hook sees it)', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const none = run(['scan', empty, '--json'], traced('off'), ['--require', hookFile()]);
    assert.equal(none.status, 0, none.stderr);
    assert.deepEqual(typescriptLoads(none), []);
    const js = run(['scan', JS_FIXTURE, '--json'], traced('off'), ['--require', hookFile()]);
    assert.equal(js.status, 0, js.stderr);
    assert.ok(typescriptLoads(js).some((f) => f.endsWith('typescript.js')), JSON.stringify(typescriptLoads(js)));
  });
});
