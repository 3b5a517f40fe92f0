/**
 * Issue 8, fuzzing the index with fast-check: for arbitrary text and for
 * realistic snippets with SDK calls spliced among quotes, template
 * literals, comments, unicode, every kind of line end, unterminated strings
 * and deep nesting, `update` never throws, every usage and unresolved call
 * lies inside its file, and a literal usage's range holds exactly its key.
 * Clean snippets must also yield every key spliced into them. The same for
 * the tree-sitter languages (Python, Go). Runs are bounded (a few seconds).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeSource, WorkspaceIndex } from '../../server/src/core/index';
import { createTreeSitterRuntime, type TreeSitterRuntime } from '../../server/src/core/tree-sitter/extract';
import type { Location, Usage } from '../../server/src/core/types';
import { loadWasmFromDir } from '../../server/src/node/tree-sitter-loader';

/** Lines as the contract counts them: `\r\n`, `\n` and `\r` each end one line. */
function linesOf(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
}

function offsetOf(lines: string[], line: number, column: number): number {
  let at = 0;
  for (let i = 0; i < line - 1; i++) at += lines[i].length + 1;
  return at + column - 1;
}

/** Asserts `loc` lies inside `text` (1-based, UTF-16 columns, end exclusive, start ≤ end); returns the covered text. */
function assertInside(text: string, loc: Location, what: string): string {
  const lines = linesOf(text);
  const ok = (line: number, column: number) => Number.isInteger(line) && Number.isInteger(column) && line >= 1 && line <= lines.length && column >= 1 && column <= lines[line - 1].length + 1;
  assert.ok(ok(loc.line, loc.column), `${what} starts outside the file: ${JSON.stringify(loc)}`);
  assert.ok(ok(loc.endLine, loc.endColumn), `${what} ends outside the file: ${JSON.stringify(loc)}`);
  assert.ok(loc.line < loc.endLine || (loc.line === loc.endLine && loc.column <= loc.endColumn), `${what} ends before it starts: ${JSON.stringify(loc)}`);
  return lines.join('\n').slice(offsetOf(lines, loc.line, loc.column), offsetOf(lines, loc.endLine, loc.endColumn));
}

function checkIndex(ix: WorkspaceIndex, files: Record<string, string>): Usage[] {
  const usages = ix.usages();
  for (const u of usages) {
    const text = files[u.file];
    assert.ok(text !== undefined, `a usage in an unknown file ${u.file}`);
    const covered = assertInside(text, u, `usage of '${u.key}'`);
    if (u.kind === 'literal' && !covered.includes('\\')) assert.equal(covered, u.key, `literal range text equals its key in ${JSON.stringify(text)}`);
    if (u.keySite) assert.ok(files[u.keySite.file] !== undefined && assertInside(files[u.keySite.file], u.keySite, 'key site') !== undefined);
  }
  for (const r of ix.unresolved()) {
    const text = files[r.file];
    assert.ok(text !== undefined, `unresolved in an unknown file ${r.file}`);
    assertInside(text, r, `unresolved ${r.call}`);
  }
  return usages;
}

// ---------- generators ----------

const keyArb = fc.stringMatching(/^[a-z][a-z0-9_-]{0,20}$/);
const identArb = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,8}$/).filter((s) => !RESERVED.has(s));
const RESERVED = new Set(['do', 'if', 'in', 'for', 'let', 'new', 'try', 'var', 'case', 'else', 'enum', 'null', 'this', 'true', 'void', 'with', 'break', 'catch', 'class', 'const', 'false', 'super', 'throw', 'while', 'yield', 'delete', 'export', 'import', 'return', 'switch', 'typeof', 'default', 'extends', 'finally', 'continue', 'debugger', 'function', 'instanceof', 'await', 'async', 'of', 'as', 'is', 'type', 'from', 'any']);
const newline = fc.constantFrom('\n', '\r\n', '\r');
const unicode = fc.constantFrom('é', '日本語', '😀', '𝒳', '\u200b', '\u2028', 'ß', '\u0301', '\uFEFF');
const JS_CALLS = ['posthog.isFeatureEnabled', 'posthog.getFeatureFlag', 'posthog.getFeatureFlagPayload', 'useFeatureFlagEnabled', 'useFeatureFlagVariantKey', 'useFeatureFlagPayload'];

/** A statement that certainly holds one literal usage of `key` (in a clean snippet). */
const cleanCall = fc.record({ call: fc.constantFrom(...JS_CALLS), key: keyArb, quote: fc.constantFrom("'", '"'), pre: fc.constantFrom('', 'const v = ', 'if (', 'return ', 'x = !!'), pad: fc.constantFrom('', ' ') }).map(
  ({ call, key, quote, pre, pad }) => ({ key, text: `${pre}${call}(${pad}${quote}${key}${quote}${pad})${pre === 'if (' ? ') {}' : ';'}` }),
);

const cleanFragment: fc.Arbitrary<{ key?: string; text: string }> = fc.oneof(
  cleanCall,
  cleanCall.map((c) => ({ key: c.key, text: `${c.text} // ${c.key} trailing comment` })),
  fc.tuple(unicode, unicode).map(([a, b]) => ({ text: `const s = "${a}${b}";` })),
  unicode.map((u) => ({ text: `/* ${u} block comment with posthog.isFeatureEnabled('not-a-call') */` })),
  fc.tuple(identArb, keyArb).map(([id, k]) => ({ text: `const ${id}Key = '${k}';` })),
  identArb.map((id) => ({ text: `function ${id}() { return [1, 2, { a: \`t \${1 + 2}\` }]; }` })),
  fc.constant({ text: "import posthog from 'posthog-js';" }),
  fc.constant({ text: "import { useFeatureFlagEnabled, useFeatureFlagVariantKey, useFeatureFlagPayload } from 'posthog-js/react';" }),
  fc.constant({ text: 'const el = <div className="x">{1}</div>;' }),
  // Bytes that are not UTF-8 decode to U+FFFD, in code as well as in comments.
  fc.constantFrom({ text: '\uFFFD' }, { text: '// caf\uFFFD' }, { text: 'const z = 1\uFFFD;' }),
);

/** Fragments that break the surrounding syntax on purpose. */
const hostileFragment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("'unterminated", '"unterminated', '`unterminated ${', '/* unterminated', '// ', '<div>', '</', '{', '}', '(', ')', '[', ']', '\\', '${', '`', 'posthog.isFeatureEnabled(', 'posthog.isFeatureEnabled(`a-${', '?.', '=>', '<<<', '\u0000', '\uD800', '\uDC00'),
  fc.nat({ max: 400 }).map((n) => '('.repeat(n) + 'posthog.isFeatureEnabled("deep")' + ')'.repeat(n)),
  fc.nat({ max: 300 }).map((n) => '{ a: '.repeat(n) + '1' + ' }'.repeat(n)),
  fc.nat({ max: 200 }).map((n) => '['.repeat(n)),
  keyArb.map((k) => `posthog.isFeatureEnabled(\`${k}\`)`),
  fc.tuple(keyArb, identArb).map(([k, id]) => `posthog.isFeatureEnabled(\`${k}-\${${id}}\`)`),
  fc.tuple(keyArb, unicode).map(([k, u]) => `posthog.isFeatureEnabled('${u}${k}${u}')`),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const joinWith = (parts: string[], seps: string[]) => parts.map((p, i) => p + (seps[i % seps.length] ?? '\n')).join('');

const cleanSnippet = fc
  .tuple(fc.array(cleanFragment, { minLength: 1, maxLength: 14 }), fc.array(newline, { minLength: 1, maxLength: 4 }))
  .map(([frags, seps]) => ({ text: joinWith(["import posthog from 'posthog-js';", "import { useFeatureFlagEnabled, useFeatureFlagVariantKey, useFeatureFlagPayload } from 'posthog-js/react';", ...frags.map((f) => f.text)], seps), keys: frags.flatMap((f) => (f.key ? [f.key] : [])) }));

const hostileSnippet = fc
  .tuple(fc.array(fc.oneof(cleanFragment.map((f) => f.text), hostileFragment), { minLength: 1, maxLength: 16 }), fc.array(fc.oneof(newline, fc.constantFrom(' ', '', ';')), { minLength: 1, maxLength: 4 }))
  .map(([parts, seps]) => "import posthog from 'posthog-js';\n" + joinWith(parts, seps));

const JS_FILES = ['src/a.ts', 'src/b.tsx', 'src/c.js', 'src/d.jsx', 'src/e.vue', 'src/f.svelte'];

// ---------- properties ----------

describe('fuzz: the JS/TS index', function () {
  this.timeout(60_000);

  it('arbitrary text (any unicode, lone surrogates, NULs) never throws; positions stay inside', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 300 })), fc.constantFrom(...JS_FILES), (text, file) => {
        const ix = new WorkspaceIndex();
        ix.update(file, `import posthog from 'posthog-js';\n${text}`);
        checkIndex(ix, { [file]: `import posthog from 'posthog-js';\n${text}` });
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes decode without throwing; decoded text indexes without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const decoded = decodeSource('x.ts', bytes);
        if (!decoded.ok) return;
        const ix = new WorkspaceIndex();
        ix.update('x.ts', decoded.text);
        checkIndex(ix, { 'x.ts': decoded.text });
      }),
      { numRuns: 300 },
    );
  });

  it('clean snippets: every spliced key is found, at its exact range, whatever the line ends', () => {
    fc.assert(
      fc.property(cleanSnippet, fc.constantFrom('src/a.ts', 'src/b.tsx', 'src/c.js', 'src/d.jsx'), ({ text, keys }, file) => {
        const ix = new WorkspaceIndex();
        ix.update(file, text);
        const found = checkIndex(ix, { [file]: text }).filter((u) => u.kind === 'literal').map((u) => u.key).sort();
        assert.deepEqual(found, [...keys].sort(), text);
      }),
      { numRuns: 300 },
    );
  });

  it('hostile snippets (unterminated strings, deep nesting, broken JSX, templates) never throw; positions stay inside', () => {
    fc.assert(
      fc.property(hostileSnippet, fc.constantFrom(...JS_FILES), (text, file) => {
        const wrapped = file.endsWith('.vue') || file.endsWith('.svelte') ? `<script>\n${text}\n</script>\n<div>{x}</div>\n` : text;
        const ix = new WorkspaceIndex();
        ix.update(file, wrapped);
        checkIndex(ix, { [file]: wrapped });
      }),
      { numRuns: 300 },
    );
  });

  it('a sequence of edits, removals and cross-file constants keeps the index consistent', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('update' as const), file: fc.constantFrom('src/a.ts', 'src/flags.ts', 'src/b.tsx'), text: fc.oneof(hostileSnippet, cleanSnippet.map((c) => c.text)) }),
      fc.record({ kind: fc.constant('flags' as const), key: keyArb }),
      fc.record({ kind: fc.constant('remove' as const), file: fc.constantFrom('src/a.ts', 'src/flags.ts', 'src/b.tsx') }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), (ops) => {
        const ix = new WorkspaceIndex();
        const files: Record<string, string> = { 'src/use.ts': "import posthog from 'posthog-js';\nimport { F } from './flags';\nposthog.isFeatureEnabled(F.A);\n" };
        ix.update('src/use.ts', files['src/use.ts']);
        for (const o of ops) {
          if (o.kind === 'update') {
            files[o.file] = o.text;
            ix.update(o.file, o.text);
          } else if (o.kind === 'flags') {
            files['src/flags.ts'] = `export const F = { A: '${o.key}' } as const;\n`;
            ix.update('src/flags.ts', files['src/flags.ts']);
          } else {
            delete files[o.file];
            ix.remove(o.file);
          }
          checkIndex(ix, files);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('fuzz: tree-sitter languages', function () {
  this.timeout(60_000);
  let rt: TreeSitterRuntime;
  before(async () => {
    rt = await createTreeSitterRuntime(loadWasmFromDir(), ['python', 'go']);
  });

  const pyClean = fc.record({ key: keyArb, call: fc.constantFrom('feature_enabled', 'get_feature_flag', 'get_feature_flag_payload'), q: fc.constantFrom("'", '"') }).map(({ key, call, q }) => ({ key, text: `    x = posthog.${call}(${q}${key}${q}, user)` }));
  const pyHostile = fc.oneof(
    fc.constantFrom('    "unterminated', "    '''open triple", '    posthog.feature_enabled(', '    def broken(:', '\t\tmixed indent', '    x = = 3', '    f"{', '    # posthog.feature_enabled("commented", u)', '\u0000', '\uD800'),
    fc.nat({ max: 200 }).map((n) => `    y = ${'('.repeat(n)}posthog.feature_enabled("deep", u)${')'.repeat(n)}`),
    fc.tuple(keyArb, unicode).map(([k, u]) => `    posthog.feature_enabled("${u}${k}", u)  # ${u}`),
    fc.string({ maxLength: 30 }),
  );
  const goClean = fc.record({ key: keyArb, call: fc.constantFrom('IsFeatureEnabled', 'GetFeatureFlag', 'GetFeatureFlagPayload') }).map(({ key, call }) => ({ key, text: `\tclient.${call}(posthog.FeatureFlagPayload{Key: "${key}", DistinctId: id})` }));
  const goHostile = fc.oneof(
    fc.constantFrom('\t"unterminated', '\t`raw open', '\tclient.IsFeatureEnabled(', '\tfunc (', '\t/* open', '\t}', '\t{', '\u0000', '\uD800'),
    fc.nat({ max: 200 }).map((n) => `\t_ = ${'('.repeat(n)}client.GetRemoteConfigPayload("deep")${')'.repeat(n)}`),
    fc.tuple(keyArb, unicode).map(([k, u]) => `\tclient.GetRemoteConfigPayload("${u}${k}") // ${u}`),
    fc.string({ maxLength: 30 }),
  );

  const pyFile = (lines: string[], nl: string) => ['import posthog', '', 'def handler(user):', ...lines, '    return None', ''].join(nl);
  const goFile = (lines: string[], nl: string) => ['package flags', '', 'import "github.com/posthog/posthog-go"', '', 'func Check(client posthog.Client, id string) {', ...lines, '}', ''].join(nl);

  // Go ends lines with \n only (a lone \r is white space, so two calls would share a line: a syntax error).
  const goNewline = fc.constantFrom('\n', '\r\n');
  for (const [lang, file, clean, hostile, wrap, nlArb] of [
    ['python', 'app/handler.py', pyClean, pyHostile, pyFile, newline],
    ['go', 'svc/check.go', goClean, goHostile, goFile, goNewline],
  ] as const) {
    it(`${lang}: clean snippets yield every spliced key at its exact range`, () => {
      fc.assert(
        fc.property(fc.array(clean as fc.Arbitrary<{ key: string; text: string }>, { minLength: 1, maxLength: 10 }), nlArb, (calls, nl) => {
          const text = (wrap as (l: string[], nl: string) => string)(calls.map((c) => c.text), nl);
          const ix = new WorkspaceIndex({ treeSitter: rt });
          ix.update(file, text);
          const found = checkIndex(ix, { [file]: text }).map((u) => u.key).sort();
          assert.deepEqual(found, calls.map((c) => c.key).sort(), text);
        }),
        { numRuns: 200 },
      );
    });

    it(`${lang}: hostile snippets never throw; positions stay inside`, () => {
      fc.assert(
        fc.property(fc.array(fc.oneof((clean as fc.Arbitrary<{ text: string }>).map((c) => c.text), hostile as fc.Arbitrary<string>), { minLength: 1, maxLength: 12 }), newline, (lines, nl) => {
          const text = (wrap as (l: string[], nl: string) => string)(lines, nl);
          const ix = new WorkspaceIndex({ treeSitter: rt });
          ix.update(file, text);
          checkIndex(ix, { [file]: text });
        }),
        { numRuns: 200 },
      );
    });
  }
});
