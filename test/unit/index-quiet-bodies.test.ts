/**
 * Quiet bodies (server/src/core/index/quiet-bodies.ts): a scan blanks the
 * bodies that mention no SDK term and no wrapper name before parsing. These
 * tests check the lexer's choices one by one, and that a scan with blanking
 * finds exactly what a scan without it finds: on every fixture folder, on
 * the demo, on generated programs, and when a wrapper turns up only after a
 * file that calls it was read.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import { scanSource } from '../../server/src/core/index';
import { extractJs, isPosthogPackage } from '../../server/src/core/index/js-extract';
import { blankQuietBodies, loudTerms } from '../../server/src/core/index/quiet-bodies';
import { sdkTerms } from '../../server/src/core/index/prefilter';
import { languageForPath } from '../../server/src/core/languages';
import { loadDir as loadDirWhere, memorySource } from './index-support';

const TERMS = sdkTerms('js');

/** The text with each blanked range shown as `_` (`0_` where a `0` keeps an expression), for readable asserts. */
function blanked(text: string, loud: string[] = TERMS): string | undefined {
  const q = blankQuietBodies(text, loudTerms(text, loud, isPosthogPackage));
  if (!q) return undefined;
  assert.equal(q.text.length, text.length, 'same length');
  assert.deepEqual(q.text.match(/\r\n|\n|\r/g), text.match(/\r\n|\n|\r/g), 'same line ends');
  let out = '';
  let at = 0;
  for (let r = 0; r < q.ranges.length; r += 2) {
    const [s, e] = [q.ranges[r], q.ranges[r + 1]];
    out += text.slice(at, s) + (q.text[s] === '0' ? '0_' : '_');
    assert.match(q.text.slice(q.text[s] === '0' ? s + 1 : s, e), /^\s*$/, 'a range holds only blanks');
    at = e;
  }
  return out + text.slice(at);
}

describe('quiet bodies: what the lexer blanks', () => {
  it('blanks a function body without SDK terms, keeps one with a call, and blanks quiet blocks inside a loud one', () => {
    const text = [
      'function quiet(a) { return a * 2; }',
      'function loud() { const on = posthog.isFeatureEnabled("k"); if (on) { log(on); } return on; }',
    ].join('\n');
    assert.equal(blanked(text), ['function quiet(_) {_}', 'function loud() { const on = posthog.isFeatureEnabled("k"); if (on) {_} return on; }'].join('\n'));
  });

  it('keeps object literals, enums, class bodies, JSX expressions and template substitutions (methods inside may go)', () => {
    const text = [
      "export const FLAGS = { A: 'flag-a', nested: { B: 'flag-b' } } as const;",
      "enum Flag { New = 'new-flag' }",
      'class Store { items = [1]; size() { return this.items.length; } }',
      'const el = <div title={`a ${name} b`}>{items.map((i) => i.label)}</div>;',
    ].join('\n');
    assert.equal(
      blanked(text),
      [
        "export const FLAGS = { A: 'flag-a', nested: { B: 'flag-b' } } as const;",
        "enum Flag { New = 'new-flag' }",
        'class Store { items = [1]; size() {_} }',
        'const el = <div title={`a ${name} b`}>{items.map((i) => 0_)}</div>;',
      ].join('\n'),
    );
  });

  it('blanks interface bodies, object type aliases, return-typed bodies, expression arrows and returned JSX', () => {
    const text = [
      'export interface User extends Base<T> { id: string; tags: string[] }',
      'type Props = { title: string; items: Item[] };',
      'export function sum(xs: number[]): Promise<number> { return total(xs); }',
      'export const double = (xs: number[]): number[] =>',
      '  xs.map((x) => x * 2);',
      'function View() {',
      '  return (',
      '    <section className="card">{title}</section>',
      '  );',
      '}',
    ].join('\n');
    assert.equal(
      blanked(text),
      [
        'export interface User extends Base<T> {_}',
        'type Props = {_};',
        'export function sum(_): Promise<number> {_}',
        'export const double = (_): number[] =>',
        '  0_;',
        'function View() {_}',
      ].join('\n'),
    );
  });

  it("a quiet body's parameters and type parameters go too, unless they hold a call, a decorator or a parameter property", () => {
    const text = [
      'export function pick<T extends { id: string }>(items: T[], limit = 10): T[] { return items.slice(0, limit); }',
      'export const sort = <T,>(items: T[], by: (a: T) => number): T[] =>',
      '  items.sort((a, b) => by(a) - by(b));',
      'function track(cb = () => send(1)) { return cb; }',
      'class Service { constructor(private readonly client: Client) { this.ready = true; } method(@Inject() a: A) { return a; } }',
      'if (ready(1)) { start(); }',
      'const pickOne = cond ? take(first) : item => { return item; };',
    ].join('\n');
    assert.equal(
      blanked(text),
      [
        'export function pick_(_): T[] {_}',
        'export const sort = _(_): T[] =>',
        '  0_;',
        'function track(cb = () => 0_) {_}',
        'class Service { constructor(private readonly client: Client) {_} method(@Inject() a: A) {_} }',
        'if (ready(1)) {_}',
        'const pickOne = cond ? take(first) : item => {_};',
      ].join('\n'),
    );
  });

  it('an expression arrow without a semicolon never swallows the next top-level statement', () => {
    const text = ['export const id = (x: string) =>', '  x.trim()', "export const KEYS = { A: 'key-a' }", ''].join('\n');
    const out = blanked(text) ?? text;
    assert.ok(out.includes("export const KEYS = { A: 'key-a' }"), out);
  });

  it('arrow types and bodies met in real code stay valid syntax (found in a corpus of 6,888 files)', () => {
    const cases = [
      'class E { private events: EventEmitter<(...args: any[]) => Promise<void> | void>; }',
      'type U<T> = (T extends any ? (_: T) => void : never) extends (_: infer I) => void ? I : never;',
      'class A { async acquire(): Promise<() => void> { return () => {}; } }',
      'function g(run: () => Promise<Result<T, PostHogError>>): void { run(); }',
      'export const f: (...c: number[]) => string =\n  String.fromCodePoint ??\n  function (c: number): string { return String(c); };',
      'const it = { return(value) { return value; }, next() { return 1; } };',
      'const pick = (a, b) => a > b ? a : b, other = (x) => x?.y ?? 0;',
      // A quiet body's parameters go too: not an arrow body's `(` after `=>`, not a parenthesized return type.
      'const reply =\n  (data: Record<string, unknown>) => (payload: string, done: (d: string) => void) => done(payload);',
      'const subscribe = (\n  cb: () => void,\n): (() => void) => {\n  return () => cb();\n};',
    ];
    for (const text of cases) {
      const q = blankQuietBodies(text, TERMS);
      if (!q) continue;
      const sf = ts.createSourceFile('case.ts', q.text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
      assert.deepEqual((sf as unknown as { parseDiagnostics: Array<{ messageText: string }> }).parseDiagnostics.map((d) => d.messageText), [], `${text}\n→ ${q.text}`);
    }
  });

  it('keeps `return (a) => …` and arrow parameters intact (they are not expressions to blank)', () => {
    const text = 'function make() { if (x) { return (a) => a + 1; } return posthog.getFeatureFlag("k"); }';
    assert.equal(blanked(text), 'function make() { if (x) {_} return posthog.getFeatureFlag("k"); }');
  });

  it('reads JSX text apostrophes, regular expressions and JSX closing tags without losing its place', () => {
    const text = [
      'function Help() {',
      "  const re = /[{'\"`(]/g;",
      "  return <p>Don't worry, it's {count} items</p>;",
      '}',
      'function Loud() { return posthog.isFeatureEnabled("k") ? <br /> : null; }',
    ].join('\n');
    assert.equal(blanked(text), ['function Help() {_}', 'function Loud() { return posthog.isFeatureEnabled("k") ? <br /> : null; }'].join('\n'));
  });

  it('keeps CRLF line ends and every position outside the blanked runs', () => {
    const text = 'function a() {\r\n  return 1;\r\n}\r\nposthog.isFeatureEnabled("k");\r\n';
    const q = blankQuietBodies(text, TERMS)!;
    assert.equal(q.text, 'function a() {\r\n           \r\n}\r\nposthog.isFeatureEnabled("k");\r\n');
  });

  it('gives up (undefined) on brackets it cannot pair, and when nothing can go', () => {
    assert.equal(blankQuietBodies('function a() { return [1, 2); }', TERMS), undefined);
    assert.equal(blankQuietBodies('const s = `open ${', TERMS), undefined);
    assert.equal(blankQuietBodies("const A = { k: 'v' };", TERMS), undefined);
  });

  it('a name an SDK import binds under an alias is loud; so is one bound by an import of a loud module', () => {
    const text = [
      'import {',
      '  useFeatureFlagEnabled as useOn, // renamed',
      "} from 'posthog-js/react';",
      "import gate from './use-gate';",
      'function A() { return useOn(KEY); }',
      "function B() { return gate('k'); }",
      'function C() { return other(1); }',
    ].join('\n');
    const out = blanked(text, [...TERMS, 'use-gate'])!;
    assert.deepEqual(loudTerms(text, [], isPosthogPackage).sort(), ['renamed', 'useFeatureFlagEnabled', 'useOn'].sort(), 'an import clause with a comment');
    assert.ok(out.includes('function A() { return useOn(KEY); }'), out);
    assert.ok(out.includes("function B() { return gate('k'); }"), out);
    assert.ok(out.includes('function C() {_}'), out);
  });
});

// ---------- the scan finds the same with and without blanking ----------

/** The files of a folder the scan reads. */
const loadDir = (root: string) => loadDirWhere(root, (p) => Boolean(languageForPath(p)));

async function bothWays(files: Record<string, string>) {
  const exact = (await scanSource(memorySource(files), { quietBodies: false })).result;
  const quiet = (await scanSource(memorySource(files), { quietBodies: 'always' })).result;
  return { exact, quiet };
}

const ROOT = join(__dirname, '..', '..');
const FOLDERS = [
  'test/fixtures/js/negatives',
  'test/fixtures/js/resolution',
  ...readdirSync(join(ROOT, 'test/fixtures/real-world/js')).map((d) => `test/fixtures/real-world/js/${d}`),
  'examples/demo',
];

describe('quiet bodies: a scan finds exactly what a full parse finds', function () {
  // About 35 s of CPU for the largest case; a shared, loaded machine stretches that.
  this.timeout(180_000);

  for (const folder of FOLDERS) {
    it(`${folder}: same usages, unresolved calls and skipped files`, async () => {
      const files = loadDir(join(ROOT, folder));
      const { exact, quiet } = await bothWays(files);
      assert.deepEqual(quiet.usages, exact.usages);
      assert.deepEqual(quiet.unresolved, exact.unresolved);
      assert.deepEqual(quiet.skipped, exact.skipped);
    });
  }

  it('the fixtures really are read with bodies blanked, and hold usages (the comparison above means something)', async () => {
    let withBlanks = 0;
    let total = 0;
    let usages = 0;
    for (const folder of FOLDERS) usages += (await scanSource(memorySource(loadDir(join(ROOT, folder))), { quietBodies: false })).result.usages.length;
    assert.ok(usages > 50, `${usages} usages in the fixture folders`);
    for (const folder of FOLDERS) {
      for (const [file, text] of Object.entries(loadDir(join(ROOT, folder)))) {
        const lang = languageForPath(file)!;
        if (lang.parser !== 'typescript') continue;
        total++;
        if (extractJs(file, text, lang, { loud: TERMS, minLength: 0 }).blanked) withBlanks++;
      }
    }
    assert.ok(total > 60, `${total} JS/TS fixture files`);
    assert.ok(withBlanks >= 25, `${withBlanks} of ${total} fixture files had a body blanked`);
  });

  it('the script blocks of .vue and .svelte files are blanked too (the template around them is not code)', async () => {
    const script = [
      "import { useFeatureFlagEnabled } from 'posthog-js/vue';",
      "const on = useFeatureFlagEnabled('vue-flag');",
      'function format(items: number[]) { return items.map((x) => x * 2).join(", "); }',
    ].join('\n');
    const files = {
      'src/Panel.vue': `<template>\n  <p>Don't {{ format([1]) }}</p>\n</template>\n<script setup lang="ts">\n${script}\n</script>\n`,
      'src/Panel.svelte': `<script lang="ts">\n${script.replace('vue-flag', 'svelte-flag').replace('posthog-js/vue', 'posthog-js/svelte')}\n</script>\n<p>It's {format([1])}</p>\n`,
    };
    const { exact, quiet } = await bothWays(files);
    assert.deepEqual(quiet.usages.map((u) => u.key).sort(), ['svelte-flag', 'vue-flag']);
    assert.deepEqual(quiet, exact);
    for (const [file, text] of Object.entries(files)) assert.ok(extractJs(file, text, languageForPath(file)!, { loud: TERMS, minLength: 0 }).blanked?.length, `${file} had a body blanked`);
  });

  it('a wrapper found after a file calling it was read: the file is read again and the call counts', async () => {
    const files = {
      // Read first (it holds an SDK term), before any wrapper name is known: `gate(…)` sits in a quiet-looking body.
      'src/a-page.tsx': [
        "import posthog from 'posthog-js';",
        "import gate from './gate';",
        "export function Direct() { return posthog.isFeatureEnabled('direct-key'); }",
        "export function Late() { const on = gate('late-key'); return on ? 1 : 0; }",
      ].join('\n'),
      'src/gate.ts': "import { isOn } from './z-flags';\nexport default function gate(key: string) { return isOn(key); }\n",
      'src/z-flags.ts': "import posthog from 'posthog-js';\nexport const isOn = (key: string) => posthog.isFeatureEnabled(key);\n",
    };
    const { exact, quiet } = await bothWays(files);
    assert.deepEqual(
      quiet.usages.map((u) => `${u.file} ${u.key} ${u.kind}`),
      ['src/a-page.tsx direct-key literal', 'src/a-page.tsx late-key wrapper'],
    );
    assert.deepEqual(quiet.usages, exact.usages);
  });

  it("real code (this repository's own sources) with SDK calls spliced into its blocks: the same usages", async () => {
    const files: Record<string, string> = {};
    let n = 0;
    for (const dir of ['server/src', 'client/src', 'test', 'scripts']) {
      for (const [file, text] of Object.entries(loadDir(join(ROOT, dir)))) {
        if (languageForPath(file)?.parser !== 'typescript' || text.startsWith('#!')) continue;
        let count = 0;
        const spliced = text.replace(/\) \{\n/g, (m) => (++count % 2 === 1 ? `${m}posthog.isFeatureEnabled('spliced-${n++}');\n` : m));
        files[`${dir}/${file}`] = `import posthog from 'posthog-js';\n${spliced}`;
      }
    }
    const { exact, quiet } = await bothWays(files);
    assert.ok(Object.keys(files).length > 150 && n > 400, `${Object.keys(files).length} files, ${n} calls spliced`);
    assert.ok(exact.usages.length >= n, `${exact.usages.length} usages found of ${n} spliced`);
    assert.deepEqual(quiet.usages, exact.usages);
    assert.deepEqual(quiet.unresolved, exact.unresolved);
  });

  it('generated programs: blanking never changes what the scan finds', async () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    const call = fc.constantFrom('posthog.isFeatureEnabled', 'posthog.getFeatureFlag', 'useFeatureFlagEnabled', 'useGate', 'check', 'helper');
    const arg = fc.oneof(key.map((k) => `'${k}'`), fc.constantFrom('FLAGS.A', 'FLAGS.nested.B', 'Flag.New', 'KEY', 'k', 'dynamic + 1'));
    const stmt = fc.oneof(
      fc.tuple(call, arg).map(([c, a]) => `${c}(${a});`),
      fc.constantFrom('const x = items.map((i) => i.id);', "if (ready) { log('ready'); }", 'for (const i of items) { total += i; }', "const re = /[{(]'/;", 'const t = `a ${b} c`;'),
    );
    const body = fc.array(stmt, { maxLength: 4 }).map((s) => s.join(' '));
    const decl = fc.oneof(
      fc.tuple(fc.constantFrom('A', 'B', 'C', 'useGate', 'check', 'helper'), body).map(([n, b]) => `export function ${n}(k: string) { ${b} }`),
      fc.tuple(fc.constantFrom('D', 'E', 'check'), call).map(([n, c]) => `export const ${n} = (k: string) =>\n  ${c}(k);`),
      fc.tuple(fc.constantFrom('F', 'G'), body).map(([n, b]) => `export function ${n}() {\n  return (\n    <div onClick={() => { ${b} }}>text</div>\n  );\n}`),
      key.map((k) => `const KEY = '${k}';`),
    );
    const header = [
      "import posthog from 'posthog-js';",
      "import { useFeatureFlagEnabled } from 'posthog-js/react';",
      "import { FLAGS, Flag } from './flags';",
      "import { useGate, check, helper } from './lib';",
    ].join('\n');
    const flags = "export const FLAGS = { A: 'flag-a', nested: { B: 'flag-b' } } as const;\nexport enum Flag { New = 'flag-new' }\n";
    await fc.assert(
      fc.asyncProperty(fc.array(decl, { minLength: 1, maxLength: 6 }), fc.array(decl, { minLength: 1, maxLength: 6 }), async (page, lib) => {
        const files = { 'src/page.tsx': `${header}\n${page.join('\n')}\n`, 'src/lib.tsx': `${header.replace("import { useGate, check, helper } from './lib';", '')}\n${lib.join('\n')}\n`, 'src/flags.ts': flags };
        const { exact, quiet } = await bothWays(files);
        assert.deepEqual(quiet.usages, exact.usages);
        assert.deepEqual(quiet.unresolved, exact.unresolved);
      }),
      { numRuns: 150 },
    );
  });
});
