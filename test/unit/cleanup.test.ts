/**
 * `cleanup` (core/cleanup): one fixture per rule under test/fixtures/cleanup
 * with the exact expected files and manual sites per kept value; the
 * rewritten fixtures still type-check; the behaviour fixture prints the same
 * before and after the rewrite with the flag forced to the kept value.
 * UPDATE_CLEANUP_FIXTURES=1 writes the expected files (review them).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { planCleanup, unifiedDiff, type CleanupPlan } from '../../server/src/core/cleanup';
import { scanSource } from '../../server/src/core/index';
import { createTreeSitterRuntime, withParser, type TreeSitterRuntime } from '../../server/src/core/tree-sitter/extract';
import { loadWasmFromDir } from '../../server/src/node/tree-sitter-loader';
import { memorySource } from './index-support';

const ROOT = join(__dirname, '..', 'fixtures', 'cleanup');
const { key: KEY, cases: CASES } = JSON.parse(readFileSync(join(ROOT, 'cases.json'), 'utf8')) as { key: string; cases: Record<string, string[]> };
const TYPES = readFileSync(join(ROOT, 'types.d.ts'), 'utf8');
const update = process.env.UPDATE_CLEANUP_FIXTURES === '1';
let rt: TreeSitterRuntime;
before(async () => {
  rt = await createTreeSitterRuntime(loadWasmFromDir(), ['python']);
});

function load(rule: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    for (const e of require('node:fs').readdirSync(dir, { withFileTypes: true }) as Array<{ name: string; isDirectory(): boolean }>) {
      if (e.isDirectory()) walk(join(dir, e.name), `${rel}${e.name}/`);
      else out[`${rel}${e.name}`] = readFileSync(join(dir, e.name), 'utf8');
    }
  };
  walk(join(ROOT, rule, 'src'), 'src/');
  return out;
}

async function plan(files: Record<string, string>, keep: string, key = KEY): Promise<CleanupPlan> {
  const { index } = await scanSource(memorySource(files), { treeSitter: rt });
  return planCleanup(index, key, keep, (f) => files[f], { treeSitter: rt });
}

function rewritten(files: Record<string, string>, p: CleanupPlan): Record<string, string> {
  const out = { ...files };
  for (const f of p.files) out[f.file] = f.after;
  return out;
}

/** Type errors of the files (with the fixtures' types.d.ts), as "file: message" lines. */
function typeErrors(files: Record<string, string>): string[] {
  const all: Record<string, string> = { '/fx/types.d.ts': TYPES };
  for (const [f, t] of Object.entries(files)) if (/\.tsx?$/.test(f)) all[`/fx/${f}`] = t;
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, jsx: ts.JsxEmit.Preserve, lib: ['lib.es2022.d.ts'], types: [], skipLibCheck: true, allowUnreachableCode: false };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang) => (name in all ? ts.createSourceFile(name, all[name], lang) : getSourceFile(name, lang));
  host.fileExists = (name) => name in all || ts.sys.fileExists(name);
  host.readFile = (name) => all[name] ?? ts.sys.readFile(name);
  host.directoryExists = (d) => d === '/fx' || d.startsWith('/fx/') || ts.sys.directoryExists(d);
  host.getCurrentDirectory = () => '/fx';
  const program = ts.createProgram(Object.keys(all), options, host);
  const pythonErrors = Object.entries(files)
    .filter(([f]) => f.endsWith('.py'))
    .flatMap(([f, t]) => {
      const bad = withParser(rt, 'python', (parser) => {
        const tree = parser.parse(t)!;
        const hasError = tree.rootNode.hasError;
        tree.delete();
        return hasError;
      });
      return bad === false ? [] : [`${f}: does not parse`];
    });
  return [...pythonErrors, ...ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)];
}

describe('cleanup: a fixture per rule, exact output', () => {
  for (const [rule, keeps] of Object.entries(CASES)) {
    for (const keep of keeps) {
      it(`${rule} --keep ${keep}`, async () => {
        const files = load(rule);
        const p = await plan(files, keep);
        const dir = join(ROOT, rule, 'expected', keep);
        const manual = p.manual.map((m) => `${m.file}:${m.line}:${m.column} ${m.reason}`);
        if (update) {
          rmSync(dir, { recursive: true, force: true });
          mkdirSync(dir, { recursive: true });
          for (const f of p.files) {
            mkdirSync(dirname(join(dir, f.file)), { recursive: true });
            writeFileSync(join(dir, f.file), f.after);
          }
          writeFileSync(join(dir, 'manual.json'), `${JSON.stringify(manual, null, 2)}\n`);
        }
        assert.deepEqual(manual, JSON.parse(readFileSync(join(dir, 'manual.json'), 'utf8')));
        for (const f of Object.keys(files)) {
          const expectedPath = join(dir, f);
          const got = p.files.find((x) => x.file === f)?.after ?? files[f];
          assert.equal(got, existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : files[f], `${f} (--keep ${keep})`);
        }
      });
    }
  }
});

describe('cleanup: the rewritten fixtures still parse and type-check', function () {
  this.timeout(60000);
  for (const [rule, keeps] of Object.entries(CASES)) {
    it(`${rule}`, async () => {
      const files = load(rule);
      assert.deepEqual(typeErrors(files), [], 'the fixture itself type-checks');
      for (const keep of keeps) assert.deepEqual(typeErrors(rewritten(files, await plan(files, keep))), [], `--keep ${keep}`);
    });
  }
});

describe('cleanup: behaviour is kept', function () {
  this.timeout(60000);
  const tmp = mkdtempSync(join(tmpdir(), 'phf-cleanup-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  /** Transpiles the files to CommonJS in a folder and runs src/main.js with the flag forced. */
  function runProgram(files: Record<string, string>, name: string, flagValue: boolean | string): string {
    const dir = join(tmp, name);
    for (const [f, text] of Object.entries(files)) {
      const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f.replace(/\.tsx?$/, '.js')), js);
    }
    return execFileSync(process.execPath, [join(dir, 'src', 'main.js')], { env: { ...process.env, FLAGS: JSON.stringify({ [KEY]: flagValue }) }, encoding: 'utf8' });
  }

  for (const keep of CASES.behaviour) {
    it(`--keep ${keep}: the program prints the same before and after`, async () => {
      const files = load('behaviour');
      const p = await plan(files, keep);
      assert.deepEqual(p.manual, []);
      assert.ok(p.files.length > 0);
      const value = keep === 'enabled' ? true : keep === 'disabled' ? false : keep;
      const before = runProgram(files, `before-${keep}`, value);
      const after = runProgram(rewritten(files, p), `after-${keep}`, value);
      assert.equal(after, before);
      assert.ok(!Object.values(rewritten(files, p)).some((t) => t.includes(`'${KEY}'`)), 'no check of the key is left');
    });
  }
});

describe('cleanup: behaviour is kept (Python)', function () {
  this.timeout(60000);
  const python = ['python3', 'python'].find((cmd) => {
    try {
      execFileSync(cmd, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  const tmp = mkdtempSync(join(tmpdir(), 'phf-cleanup-py-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  function runProgram(files: Record<string, string>, name: string, flagValue: boolean | string): string {
    const dir = join(tmp, name);
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), text);
    }
    return execFileSync(python!, [join(dir, 'src', 'main.py')], { env: { ...process.env, FLAGS: JSON.stringify({ [KEY]: flagValue }) }, encoding: 'utf8' });
  }

  for (const keep of CASES['behaviour-py']) {
    it(`--keep ${keep}: the program prints the same before and after`, async function () {
      if (!python) this.skip();
      const files = load('behaviour-py');
      const p = await plan(files, keep);
      assert.deepEqual(p.manual, []);
      const value = keep === 'enabled' ? true : keep === 'disabled' ? false : keep;
      const after = rewritten(files, p);
      assert.equal(runProgram(after, `after-${keep}`, value), runProgram(files, `before-${keep}`, value));
      assert.ok(!after['src/main.py'].includes(`"${KEY}"`), 'no check of the key is left');
    });
  }
});

describe('cleanup: unified diff', () => {
  it('is what git apply reads (a/ b/ paths, hunks with context)', () => {
    const diff = unifiedDiff('src/a.ts', 'one\ntwo\nthree\n', 'one\nthree\n');
    assert.equal(diff, 'diff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,3 +1,2 @@\n one\n-two\n three\n');
  });
});
