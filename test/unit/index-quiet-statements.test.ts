/**
 * Quiet statements (server/src/core/index/quiet-statements.ts): a scan also
 * blanks the top-level statements no scan needs before parsing. These tests
 * check that a statement really goes (the parse never sees it), that each
 * kind of statement a usage may need stays, and that a scan with the pruning
 * finds exactly what one without it finds: on every fixture folder, on
 * generated programs, and on this repository's own sources.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { scanSource } from '../../server/src/core/index';
import { extractJs, isPosthogPackage } from '../../server/src/core/index/js-extract';
import { blankBodies, loudTerms, occurrences } from '../../server/src/core/index/quiet-bodies';
import { pruneStatements } from '../../server/src/core/index/quiet-statements';
import { sdkTerms } from '../../server/src/core/index/prefilter';
import { languageForPath } from '../../server/src/core/languages';
import { memorySource } from './index-support';

const TERMS = sdkTerms('js');

/** The text a scan parses (quiet bodies and quiet statements blanked), or the text itself when nothing went. */
function parsedText(text: string, loud: string[] = TERMS): string {
  const hits = occurrences(text, loudTerms(text, loud, isPosthogPackage));
  const q = blankBodies(text, hits);
  assert.ok(q, 'the lexer pairs every bracket');
  const p = pruneStatements(q, hits);
  if (!p) return q.text;
  assert.equal(p.text.length, text.length, 'same length');
  assert.deepEqual(p.text.match(/\r\n|\n|\r/g), text.match(/\r\n|\n|\r/g), 'same line ends');
  return p.text;
}

/** Facts of a file read as a scan reads it, with or without the pruning. */
function facts(file: string, text: string, statements = true) {
  return extractJs(file, text, languageForPath(file)!, { loud: TERMS, minLength: 0, statements });
}

async function bothWays(files: Record<string, string>) {
  const whole = (await scanSource(memorySource(files), { quietBodies: 'always' })).result;
  const pruned = (await scanSource(memorySource(files), { quietBodies: 'always', quietStatements: true })).result;
  return { whole, pruned };
}

describe('quiet statements: what goes and what stays', () => {
  it('a statement no scan needs is not parsed (its names are not in the facts; without the pruning they are)', () => {
    const text = [
      "import posthog from 'posthog-js';",
      'function formatRow(row: { id: string }) { return row.id.trim(); }',
      "const UNUSED_LABEL = 'never read';",
      'interface RowProps { id: string }',
      "export function Banner() { return posthog.isFeatureEnabled('banner') ? 1 : 0; }",
      '',
    ].join('\n');
    const out = parsedText(text);
    for (const gone of ['formatRow', 'UNUSED_LABEL', 'RowProps']) assert.ok(!out.includes(gone), `${gone} is blanked:\n${out}`);
    assert.ok(out.includes("export function Banner() { return posthog.isFeatureEnabled('banner') ? 1 : 0; }"), out);
    const pruned = facts('src/a.ts', text);
    const whole = facts('src/a.ts', text, false);
    assert.deepEqual(Object.keys(pruned.bindings).sort(), ['Banner']);
    assert.deepEqual(Object.keys(whole.bindings).sort(), ['Banner', 'RowProps', 'UNUSED_LABEL', 'formatRow'].sort());
    assert.ok(pruned.blanked!.some((s, r) => r % 2 === 0 && text.slice(s, pruned.blanked![r + 1]).includes('UNUSED_LABEL')), 'the dropped text is among the blanked ranges (a hover or a new wrapper name reads it again)');
  });

  it('keeps imports, exports, `module.exports` and `exports.` assignments, declarations and namespaces', () => {
    const text = [
      "import { helper } from './helper';",
      "const { other } = require('./other');",
      "export const EXPORTED = 'exported-key';",
      'export function exportedFn(a: string) { return a; }',
      'function local() { return 1; }',
      "module.exports.KEY = 'cjs-key';",
      'exports.OTHER = local;',
      'declare const injected: string;',
      'namespace Tools { export const x = 1; }',
      '',
    ].join('\n');
    const out = parsedText(text);
    for (const kept of ["import { helper } from './helper';", "const { other } = require('./other');", "export const EXPORTED = 'exported-key';", "module.exports.KEY = 'cjs-key';", 'exports.OTHER = local;', 'declare const injected', 'namespace Tools'])
      assert.ok(out.includes(kept), `${kept} stays:\n${out}`);
    assert.ok(out.includes('function local()'), 'a function an export names stays');
    const f = facts('src/a.js', text);
    assert.deepEqual(Object.keys(f.imports).sort(), ['helper', 'other']);
    assert.deepEqual(Object.keys(f.exports).sort(), ['EXPORTED', 'KEY', 'OTHER', 'exportedFn']);
  });

  it('keeps a constant a usage of the same file reads, and one only an exported function reads (transitively)', () => {
    const text = [
      "import { useFeatureFlagEnabled } from 'posthog-js/react';",
      "const PREFIX = 'team-';",
      'const KEY = `${PREFIX}beta`;',
      "const PANEL_KEY = 'panel-key';",
      'const PANEL = { key: PANEL_KEY };',
      "const UNRELATED = 'x';",
      'export function usePanel() { return useFeatureFlagEnabled(PANEL.key); }',
      'export function Beta() { return useFeatureFlagEnabled(KEY) ? 1 : 0; }',
      '',
    ].join('\n');
    const out = parsedText(text);
    for (const kept of ["const PREFIX = 'team-';", 'const KEY = `${PREFIX}beta`;', "const PANEL_KEY = 'panel-key';", 'const PANEL = { key: PANEL_KEY };']) assert.ok(out.includes(kept), `${kept} stays:\n${out}`);
    assert.ok(!out.includes('UNRELATED'), out);
  });

  it('keeps enums and classes with static members that usages read, and classes that implement or extend a type', () => {
    const text = [
      "import posthog from 'posthog-js';",
      "enum Flag { New = 'new-flag' }",
      "class Flags { static readonly BETA = 'beta-flag'; }",
      "class Adapter implements FlagPort { key = 'adapter-key'; }",
      'class Plain { size = 1; }',
      'export function a() { return posthog.isFeatureEnabled(Flag.New) && posthog.isFeatureEnabled(Flags.BETA); }',
      '',
    ].join('\n');
    const out = parsedText(text);
    for (const kept of ["enum Flag { New = 'new-flag' }", "class Flags { static readonly BETA = 'beta-flag'; }", 'class Adapter implements FlagPort']) assert.ok(out.includes(kept), `${kept} stays:\n${out}`);
    assert.ok(!out.includes('class Plain'), out);
    assert.deepEqual({ ...facts('src/a.ts', text).impls }, { Adapter: ['FlagPort'] });
  });

  it('keeps a statement with a call or JSX whatever the callee is named (a wrapper reached through an object names no wrapper)', () => {
    const text = [
      "import { api } from './api';",
      "const enabled = api.isOn('via-object');",
      'const view = <Gate name="x" />;',
      'const noArgs = make();',
      '',
    ].join('\n');
    const out = parsedText(text);
    assert.ok(out.includes("const enabled = api.isOn('via-object');"), out);
    assert.ok(out.includes('const view = <Gate name="x" />;'), out);
    assert.ok(!out.includes('noArgs'), 'a call without arguments can be no site');
  });

  it('never splits a statement across lines that continue it (ASI cases, decorators, `else`, `as`)', () => {
    const text = [
      "import posthog from 'posthog-js';",
      'const a = cond',
      '  ? 1',
      '  : 2',
      'const b = [1]',
      'as const',
      '@Component',
      '@Other()',
      'class Widget { size = 1; }',
      'if (ready) { go(); }',
      'else { stop(); }',
      "posthog.isFeatureEnabled('k');",
      '',
    ].join('\n');
    const hits = occurrences(text, loudTerms(text, TERMS, isPosthogPackage));
    const q = blankBodies(text, hits)!;
    const firstLines = q.starts!.map((s) => text.slice(s, text.indexOf('\n', s)));
    assert.deepEqual(firstLines, ["import posthog from 'posthog-js';", 'const a = cond', 'const b = [1]', '@Component', 'if (ready) { go(); }', "posthog.isFeatureEnabled('k');"]);
    // A decorator that cannot start a statement keeps the statement it decorates with the one before.
    const after = "import a from 'a';\nexport\n@Component\nclass Widget {}\n";
    const q2 = blankBodies(after, new Int32Array(0))!;
    assert.deepEqual(q2.starts, [0, after.indexOf('export')]);
  });
});

// ---------- the scan finds the same with and without the pruning ----------

function loadDir(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (languageForPath(p)) out[relative(root, p).split('\\').join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

const ROOT = join(__dirname, '..', '..');
const FOLDERS = [
  'test/fixtures/js/negatives',
  'test/fixtures/js/resolution',
  'test/fixtures/js/monorepo',
  ...readdirSync(join(ROOT, 'test/fixtures/real-world/js')).map((d) => `test/fixtures/real-world/js/${d}`),
  'examples/demo',
];

describe('quiet statements: a scan finds exactly what it finds without them', function () {
  this.timeout(180_000);

  for (const folder of FOLDERS) {
    it(`${folder}: same usages, unresolved calls and skipped files`, async () => {
      const { whole, pruned } = await bothWays(loadDir(join(ROOT, folder)));
      assert.deepEqual(pruned.usages, whole.usages);
      assert.deepEqual(pruned.unresolved, whole.unresolved);
      assert.deepEqual(pruned.skipped, whole.skipped);
    });
  }

  it('the fixtures really lose statements (the comparison above means something)', () => {
    let pruned = 0;
    let total = 0;
    for (const folder of FOLDERS) {
      for (const [file, text] of Object.entries(loadDir(join(ROOT, folder)))) {
        if (languageForPath(file)?.parser !== 'typescript') continue;
        total++;
        const hits = occurrences(text, loudTerms(text, TERMS, isPosthogPackage));
        const q = blankBodies(text, hits);
        if (q && pruneStatements(q, hits)) pruned++;
      }
    }
    // Fixture files are small and about usages: few hold a statement no scan needs (the generated programs below do).
    assert.ok(pruned >= 3, `${pruned} of ${total} fixture files had a statement dropped`);
  });

  it("real code (this repository's own sources) with SDK calls spliced into some of its top-level statements: the same usages", async () => {
    const files: Record<string, string> = {};
    let n = 0;
    for (const dir of ['server/src', 'client/src', 'scripts']) {
      for (const [file, text] of Object.entries(loadDir(join(ROOT, dir)))) {
        if (languageForPath(file)?.parser !== 'typescript' || text.startsWith('#!')) continue;
        let count = 0;
        const spliced = text.replace(/\) \{\n/g, (m) => (++count % 3 === 1 ? `${m}posthog.isFeatureEnabled('spliced-${n++}');\n` : m));
        files[`${dir}/${file}`] = `import posthog from 'posthog-js';\n${spliced}`;
      }
    }
    const { whole, pruned } = await bothWays(files);
    assert.ok(n > 300, `${n} calls spliced`);
    assert.ok(whole.usages.length >= n, `${whole.usages.length} usages found of ${n} spliced`);
    assert.deepEqual(pruned.usages, whole.usages);
    assert.deepEqual(pruned.unresolved, whole.unresolved);
  });

  it('generated programs: the pruning never changes what the scan finds', async () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    const call = fc.constantFrom('posthog.isFeatureEnabled', 'useFeatureFlagEnabled', 'useGate', 'check', 'api.isOn', 'Gates.on', 'helper');
    const arg = fc.oneof(key.map((k) => `'${k}'`), fc.constantFrom('KEY', 'LOCAL_KEY', 'Flag.New', 'Keys.BETA', 'KEYS.a', 'ALIAS', 'k', 'dynamic + 1'));
    const stmt = fc.oneof(
      fc.tuple(call, arg).map(([c, a]) => `${c}(${a});`),
      fc.constantFrom('const x = items.map((i) => i.id);', "if (ready) { log('ready'); }", 'return LOCAL_KEY;'),
    );
    const body = fc.array(stmt, { maxLength: 3 }).map((s) => s.join(' '));
    const decl = fc.oneof(
      fc.tuple(fc.constantFrom('export function', 'function'), fc.constantFrom('A', 'B', 'useGate', 'check', 'helper'), body).map(([kw, n, b]) => `${kw} ${n}(k: string) { ${b} }`),
      fc.tuple(fc.constantFrom('export const', 'const'), fc.constantFrom('D', 'check'), call).map(([kw, n, c]) => `${kw} ${n} = (k: string) =>\n  ${c}(k);`),
      fc.tuple(fc.constantFrom('export ', ''), key).map(([e, k]) => `${e}const LOCAL_KEY = '${k}';`),
      fc.tuple(call, arg).map(([c, a]) => `const top = ${c}(${a});`),
      fc.constantFrom(
        "enum Flag { New = 'flag-new' }",
        "class Keys { static readonly BETA = 'flag-beta'; }",
        "const KEYS = { a: 'flag-a' };",
        'const ALIAS = LOCAL_KEY;',
        'const Gates = { on: check };',
        "class Adapter implements Port { isOn(k: string) { return check(k); } }",
        'interface Port { isOn(k: string): boolean }',
        'type Unused = { a: string };',
        "module.exports.EXTRA = 'flag-extra';",
      ),
    );
    const header = ["import posthog from 'posthog-js';", "import { useFeatureFlagEnabled } from 'posthog-js/react';", "import { KEY, api } from './lib';"].join('\n');
    const lib = [
      "import posthog from 'posthog-js';",
      "export const KEY = 'lib-key';",
      'export function gate(k: string) { return posthog.isFeatureEnabled(k); }',
      'export const api = { isOn: gate };',
      'export function useGate(k: string) { return gate(k); }',
      'export function check(k: string) { return gate(k); }',
    ].join('\n');
    let runs = 0;
    let dropped = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(decl, { minLength: 1, maxLength: 8 }), async (page) => {
        const files = { 'src/page.tsx': `${header}\n${page.join('\n')}\n`, 'src/lib.ts': `${lib}\n` };
        runs++;
        if (parsedText(files['src/page.tsx']) !== blankBodies(files['src/page.tsx'], occurrences(files['src/page.tsx'], loudTerms(files['src/page.tsx'], TERMS, isPosthogPackage)))!.text) dropped++;
        const { whole, pruned } = await bothWays(files);
        assert.deepEqual(pruned.usages, whole.usages);
        assert.deepEqual(pruned.unresolved, whole.unresolved);
      }),
      { numRuns: 150 },
    );
    assert.ok(dropped >= runs / 5, `${dropped} of ${runs} generated pages had a statement dropped`);
  });
});
