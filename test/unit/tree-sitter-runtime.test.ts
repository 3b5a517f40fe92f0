import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { languageForPath, type LanguageInfo } from '../../server/src/core/languages';
import { createTreeSitterRuntime, ensureGrammar, extractTreeSitter, grammarErrors, SUPPORTED_GRAMMARS, type TreeSitterRuntime } from '../../server/src/core/tree-sitter/extract';
import { loadWasmFromDir } from '../../server/src/node/tree-sitter-loader';

const PY = languageForPath('x.py')!;
const GO = languageForPath('x.go')!;
const req = createRequire(__filename);
const runtimeWasm = req.resolve('web-tree-sitter/tree-sitter.wasm');
const grammarWasm = (g: string) => join(dirname(req.resolve('tree-sitter-wasms/package.json')), 'out', `tree-sitter-${g}.wasm`);

function ok(r: ReturnType<typeof extractTreeSitter>) {
  if ('error' in r) assert.fail(r.error);
  return r;
}

describe('tree-sitter runtime', function () {
  let rt: TreeSitterRuntime;
  before(async function () {
    rt = await createTreeSitterRuntime(loadWasmFromDir());
  });

  it('loads every supported grammar from the npm packages', function () {
    assert.deepEqual([...SUPPORTED_GRAMMARS].sort(), ['c_sharp', 'dart', 'go', 'java', 'kotlin', 'php', 'python', 'ruby', 'swift']);
    assert.deepEqual(grammarErrors(rt), {});
  });

  it('counts columns in UTF-16 code units after é and an astral emoji on the same line', function () {
    const line = 'label = "é😀 ☕"; posthog.feature_enabled("k-1", u)';
    const text = `import posthog\n${line}\n`;
    const [u] = ok(extractTreeSitter(rt, 'a.py', text, PY)).usages;
    const col = line.indexOf('"k-1"') + 2; // 1-based column of the key's first character
    assert.deepEqual([u.line, u.column, u.endLine, u.endColumn], [2, col, 2, col + 3]);
    assert.equal(col, 43); // é = 1 unit, 😀 = 2 units, ☕ = 1 unit
  });

  it('keeps lines right with CRLF and lone CR line endings', function () {
    const text = 'package p\r\n\r\nfunc f() {\r\n\tc.GetRemoteConfigPayload("crlf")\r}\r';
    const [u] = ok(extractTreeSitter(rt, 'a.go', text, GO)).usages;
    assert.deepEqual([u.key, u.line, u.column, u.endColumn], ['crlf', 4, 28, 32]);
  });

  it('does not parse a file without SDK names and returns nothing', function () {
    const r = ok(extractTreeSitter(rt, 'a.py', 'def f():\n    return 1\n', PY));
    assert.deepEqual(r, { usages: [], unresolved: [] });
  });

  it('parses a 2 MB generated Python file and finds every usage', function () {
    const parts: string[] = ['import posthog\n', 'FLAG_CONST = "const-flag"\n'];
    let expected = 0;
    let size = 0;
    for (let i = 0; size < 2_000_000; i++) {
      const block =
        `def handler_${i}(request, user_id):\n` +
        `    """Docstring for handler ${i} with some text to make it longer."""\n` +
        `    items = [x * ${i} for x in range(10) if x % 3 == 0]\n` +
        `    if posthog.feature_enabled("flag-${i}", user_id):\n` +
        `        return {"items": items, "variant": posthog.get_feature_flag(FLAG_CONST, user_id)}\n` +
        `    return None\n\n`;
      parts.push(block);
      size += block.length;
      expected += 2;
    }
    const text = parts.join('');
    assert.ok(text.length >= 2_000_000);
    const r = ok(extractTreeSitter(rt, 'big.py', text, PY));
    assert.equal(r.usages.length, expected);
    assert.equal(r.usages.filter((u) => u.kind === 'constant').length, expected / 2);
    assert.equal(r.unresolved.length, 0);
  });

  it('never throws on hostile input (NUL bytes, lone surrogates, unterminated calls)', function () {
    const inputs = ['posthog.feature_enabled(', 'posthog.feature_enabled("\0\0\0', '\uD800posthog.feature_enabled("a")\uDC00', 'x'.repeat(100_000) + ' posthog.feature_enabled("z")', '\0'.repeat(1000)];
    for (const text of inputs) {
      for (const lang of ['x.py', 'x.go', 'x.rb', 'x.php', 'x.java', 'x.kt', 'x.swift', 'x.dart', 'x.cs'].map((p) => languageForPath(p)!)) {
        const r = extractTreeSitter(rt, 'h', text, lang);
        assert.ok('usages' in r || 'error' in r);
      }
    }
    const r = ok(extractTreeSitter(rt, 'h', '\uD800posthog.feature_enabled("a")\uDC00', PY));
    assert.deepEqual(r.usages.map((u) => [u.key, u.column]), [['a', 27]]);
  });

  it('reports an error (not a throw) for a language without a grammar or adapter', function () {
    const ts = languageForPath('x.ts')!;
    assert.match((extractTreeSitter(rt, 'a.ts', 'x', ts) as { error: string }).error, /no tree-sitter grammar/);
    const made: LanguageInfo = { id: 'lua', family: 'js', parser: 'tree-sitter', grammar: 'lua' };
    assert.match((extractTreeSitter(rt, 'a.lua', 'x', made) as { error: string }).error, /no extractor/);
  });

  it('does not leak wasm memory across many files', function () {
    const text = readFileSync(join(__dirname, '..', 'fixtures', 'langs', 'python', 'positive.py'), 'utf8').repeat(4);
    for (let i = 0; i < 100; i++) ok(extractTreeSitter(rt, 'a.py', text, PY));
    // A leak grows memory in every window; a GC or JIT spike (seen under a loaded full run) in one only.
    const windows: number[] = [];
    for (let w = 0; w < 3; w++) {
      const before = process.memoryUsage().rss;
      for (let i = 0; i < 200; i++) ok(extractTreeSitter(rt, 'a.py', text, PY));
      windows.push(process.memoryUsage().rss - before);
    }
    const least = Math.min(...windows);
    assert.ok(least < 12 * 1024 * 1024, `resident memory grew in every window of 200 parses: ${windows.join(', ')} bytes`);
  });
});

describe('tree-sitter runtime: lazy and failing grammars', function () {
  it('loads only the listed grammars eagerly; others on ensureGrammar', async function () {
    const rt = await createTreeSitterRuntime(loadWasmFromDir(), ['python']);
    const first = extractTreeSitter(rt, 'a.go', 'package p\nfunc f() { c.GetRemoteConfigPayload("lazy") }\n', GO);
    assert.match((first as { error: string }).error, /not loaded/);
    assert.equal(await ensureGrammar(rt, 'go'), true);
    const second = ok(extractTreeSitter(rt, 'a.go', 'package p\nfunc f() { c.GetRemoteConfigPayload("lazy") }\n', GO));
    assert.deepEqual(second.usages.map((u) => u.key), ['lazy']);
  });

  it('records a grammar that fails to load and keeps the others working', async function () {
    const base = loadWasmFromDir();
    const rt = await createTreeSitterRuntime(async (name) => (name === 'ruby' ? new Uint8Array([0, 1, 2, 3]) : base(name)), ['ruby', 'python']);
    assert.ok(grammarErrors(rt).ruby);
    const r = extractTreeSitter(rt, 'a.rb', 'posthog.is_feature_enabled("k", "u")', languageForPath('a.rb')!);
    assert.match((r as { error: string }).error, /ruby.*failed to load/);
    assert.deepEqual(ok(extractTreeSitter(rt, 'a.py', 'posthog.feature_enabled("k", "u")', PY)).usages.map((u) => u.key), ['k']);
  });
});

describe('tree-sitter wasm loading', function () {
  let dir: string;
  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'phf-ts-'));
  });
  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('loadWasmFromDir reads <dir>/tree-sitter.wasm and <dir>/grammars/, else falls back to node_modules', async function () {
    mkdirSync(join(dir, 'grammars'));
    writeFileSync(join(dir, 'grammars', 'tree-sitter-python.wasm'), 'from-dir');
    const load = loadWasmFromDir(dir);
    assert.equal(Buffer.from(await load('python')).toString(), 'from-dir');
    assert.deepEqual(Buffer.from(await load('go')), readFileSync(grammarWasm('go')));
    assert.deepEqual(Buffer.from(await load('tree-sitter')), readFileSync(runtimeWasm));
    await assert.rejects(load('no-such-grammar'));
  });

  it('works from an esbuild bundle placed where node_modules is unreachable', async function () {
    this.timeout(60_000);
    const out = join(dir, 'bundle');
    mkdirSync(join(out, 'grammars'), { recursive: true });
    copyFileSync(runtimeWasm, join(out, 'tree-sitter.wasm'));
    copyFileSync(grammarWasm('python'), join(out, 'grammars', 'tree-sitter-python.wasm'));
    const entry = join(dir, 'entry.ts');
    const src = join(__dirname, '..', '..', 'server', 'src');
    writeFileSync(
      entry,
      `import { createTreeSitterRuntime, extractTreeSitter } from ${JSON.stringify(join(src, 'core/tree-sitter/extract'))};
import { loadWasmFromDir } from ${JSON.stringify(join(src, 'node/tree-sitter-loader'))};
(async () => {
  const rt = await createTreeSitterRuntime(loadWasmFromDir(__dirname), ['python']);
  const r = extractTreeSitter(rt, 'a.py', 'import posthog\\nposthog.feature_enabled("bundled", "u")\\n', { id: 'python', family: 'python', parser: 'tree-sitter', grammar: 'python' });
  process.stdout.write(JSON.stringify(r));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`,
    );
    // Same options as scripts/build.mjs.
    await build({ entryPoints: [entry], outfile: join(out, 'check.js'), bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, keepNames: true, logLevel: 'silent', absWorkingDir: join(__dirname, '..', '..') });
    const stdout = execFileSync(process.execPath, [join(out, 'check.js')], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    const r = JSON.parse(stdout);
    assert.deepEqual(r.usages.map((u: { key: string; line: number; column: number }) => [u.key, u.line, u.column]), [['bundled', 2, 26]]);
  });
});
