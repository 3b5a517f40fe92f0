// A grammar that throws, aborts or parses too long costs one file, never the
// process: the file is a `parse-error` in `skipped`, the next file parses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanSource } from '../../server/src/core/index/scan';
import { languageForPath } from '../../server/src/core/languages';
import { createTreeSitterRuntime, extractTreeSitter, PARSE_TIMEOUT_MS, type TreeSitterRuntime } from '../../server/src/core/tree-sitter/extract';
import { loadWasmFromDir } from '../../server/src/node/tree-sitter-loader';
import { memorySource } from './index-support';

const SWIFT = languageForPath('x.swift')!;
const PY = languageForPath('x.py')!;
const swiftFixture = readFileSync(join(__dirname, '..', 'fixtures', 'langs', 'swift', 'positive.swift'), 'utf8');
/** About 600 KB of real Swift: a few hundred ms of parsing, under the 1 MB limit. */
const bigSwift = Array.from({ length: 700 }, (_, i) => swiftFixture.replace(/ContentView/g, `ContentView${i}`)).join('\n');
const smallSwift = 'import PostHog\nlet on = PostHogSDK.shared.isFeatureEnabled("after-timeout")\n';

function keys(r: ReturnType<typeof extractTreeSitter>): string[] {
  if ('error' in r) assert.fail(r.error);
  return r.usages.map((u) => u.key);
}

describe('tree-sitter runtime: a failing parse costs one file', function () {
  let rt: TreeSitterRuntime;
  beforeEach(async function () {
    rt = await createTreeSitterRuntime(loadWasmFromDir(), ['swift', 'python']);
  });

  it('has a default time limit per file', function () {
    assert.equal(rt.parseTimeoutMs, PARSE_TIMEOUT_MS);
  });

  it('stops a parse that runs past the time limit, then parses the next file from a clean start', function () {
    assert.ok(bigSwift.length > 500_000 && bigSwift.length < 1_000_000, `${bigSwift.length} chars`);
    rt.parseTimeoutMs = 5;
    const started = performance.now();
    const r = extractTreeSitter(rt, 'big.swift', bigSwift, SWIFT);
    const took = performance.now() - started;
    assert.ok('error' in r, 'the big file is reported, not parsed');
    assert.match(r.error, /tree-sitter swift: parse stopped after 5 ms/);
    assert.ok(took < 200, `stopped after ${took.toFixed(0)} ms`);
    // Without a reset the parser would resume the stopped parse of the big text.
    rt.parseTimeoutMs = PARSE_TIMEOUT_MS;
    assert.deepEqual(keys(extractTreeSitter(rt, 'small.swift', smallSwift, SWIFT)), ['after-timeout']);
    assert.equal(keys(extractTreeSitter(rt, 'big.swift', bigSwift, SWIFT)).length, 700 * keys(extractTreeSitter(rt, 'one.swift', swiftFixture, SWIFT)).length);
  });

  it('reports a grammar that throws (a wasm trap or abort) and parses the next file', function () {
    const slot = rt.slots.get('python')!;
    const parser = slot.parser!;
    const real = parser.parse.bind(parser);
    parser.parse = () => {
      // What emscripten throws when the grammar's malloc fails (a WebAssembly.RuntimeError).
      throw Object.assign(new Error('Aborted(OOM)'), { name: 'RuntimeError' });
    };
    const r = extractTreeSitter(rt, 'a.py', 'import posthog\nposthog.feature_enabled("k", "u")\n', PY);
    assert.deepEqual(r, { error: 'tree-sitter python: Aborted(OOM)' });
    parser.parse = real;
    assert.deepEqual(keys(extractTreeSitter(rt, 'b.py', 'import posthog\nposthog.feature_enabled("next", "u")\n', PY)), ['next']);
  });

  it('replaces a parser left unusable by a failure', function () {
    const slot = rt.slots.get('python')!;
    const broken = slot.parser!;
    broken.parse = () => {
      throw new Error('memory access out of bounds');
    };
    broken.reset = () => {
      throw new Error('memory access out of bounds');
    };
    assert.ok('error' in extractTreeSitter(rt, 'a.py', 'import posthog\nposthog.feature_enabled("k", "u")\n', PY));
    assert.notEqual(slot.parser, broken, 'a fresh parser');
    assert.deepEqual(keys(extractTreeSitter(rt, 'b.py', 'import posthog\nposthog.feature_enabled("fresh", "u")\n', PY)), ['fresh']);
  });

  it('scan: the stopped file is skipped as parse-error with the reason; the other files are read', async function () {
    rt.parseTimeoutMs = 20;
    const source = memorySource({ 'ios/Big.swift': bigSwift, 'ios/Small.swift': smallSwift, 'svc/app.py': 'import posthog\nposthog.feature_enabled("py-flag", "u")\n' });
    const { result } = await scanSource(source, { treeSitter: rt });
    assert.deepEqual(result.skipped, [{ file: 'ios/Big.swift', reason: 'parse-error', detail: 'tree-sitter swift: parse stopped after 20 ms' }]);
    assert.deepEqual(result.usages.map((u) => `${u.file} ${u.key}`).sort(), ['ios/Small.swift after-timeout', 'svc/app.py py-flag']);
    assert.equal(result.filesScanned, 3);
  });

  it('scan: the same for a Python file (Python facts are read on their own path)', async function () {
    rt.parseTimeoutMs = 5;
    const lines = ['import posthog'];
    for (let i = 0; lines.join('\n').length < 800_000; i++) lines.push(`flag_${i} = posthog.feature_enabled("py-${i % 50}", user.id) and settings.get("x", {"a": [1, 2, 3]})`);
    const source = memorySource({ 'svc/big.py': lines.join('\n') + '\n', 'svc/small.py': 'import posthog\nposthog.feature_enabled("small-py", "u")\n' });
    const { result } = await scanSource(source, { treeSitter: rt });
    assert.deepEqual(result.skipped, [{ file: 'svc/big.py', reason: 'parse-error', detail: 'tree-sitter python: parse stopped after 5 ms' }]);
    assert.deepEqual(result.usages.map((u) => `${u.file} ${u.key}`), ['svc/small.py small-py']);
  });
});
