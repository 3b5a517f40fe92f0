import assert from 'node:assert/strict';
import { decodeSource, isMinified, scanSource, WorkspaceIndex } from '../../server/src/core/index';
import { extractJs } from '../../server/src/core/index/js-extract';
import { languageForPath } from '../../server/src/core/languages';
import { brief, memorySource, positionOf } from './index-support';

const enc = new TextEncoder();

describe('index: decodeSource', () => {
  it('skips binary files (NUL in the first 8,000 bytes) and reads the rest as UTF-8', () => {
    const bin = new Uint8Array([0x61, 0x00, 0x62]);
    assert.deepEqual(decodeSource('a.ts', bin), { ok: false, skipped: { file: 'a.ts', reason: 'binary' } });
    const late = enc.encode('ab\n'.repeat(3000));
    late[8500] = 0;
    assert.equal(decodeSource('a.ts', late).ok, true);
    assert.deepEqual(decodeSource('a.ts', new Uint8Array([0xef, 0xbb, 0xbf, 0x78, 0xff])), { ok: true, text: 'x\ufffd' });
    assert.deepEqual(decodeSource('a.ts', new Uint8Array()), { ok: true, text: '' });
  });

  it('skips minified files: a line over 10,000 chars, or an average line over 300', () => {
    const bundle = 'var a=1;'.repeat(2000);
    const r = decodeSource('dist/app.js', enc.encode(bundle));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.skipped.reason, 'minified');
    assert.equal(isMinified(enc.encode(('x'.repeat(400) + '\n').repeat(10))), true);
    // one long data URI among ordinary lines is hand-written code
    const normal = 'const a = 1;\n'.repeat(200) + `const svg = "${'d'.repeat(3000)}";\n`;
    assert.equal(isMinified(enc.encode(normal)), false);
    assert.equal(isMinified(enc.encode('x'.repeat(900))), false);
  });
});

describe('index: positions', () => {
  it('counts UTF-16 columns after non-ASCII text and lines across \\r\\n', () => {
    const text = `import posthog from 'posthog-js';\r\n// héllo 😀 wörld\r\nconst s = '😀'; posthog.isFeatureEnabled('emoji-after');\r\n`;
    const ix = new WorkspaceIndex();
    ix.update('a.ts', text);
    const [u] = ix.usages();
    const p = positionOf(text.split('\r\n')[2], "'emoji-after'", 1);
    assert.deepEqual([u.line, u.column, u.endLine, u.endColumn], [3, p.column, 3, p.column + 'emoji-after'.length]);
    assert.equal(u.column, 43);
  });

  it('handles lone \\r line ends', () => {
    const ix = new WorkspaceIndex();
    ix.update('a.ts', `import posthog from 'posthog-js';\r\rposthog.isFeatureEnabled("cr")`);
    assert.deepEqual(brief(ix.usages()), ['a.ts:3:27 cr literal isFeatureEnabled']);
  });
});

describe('index: script blocks of .vue, .svelte and .astro', () => {
  it('reads <script> and <script setup> of a Vue file with file positions', () => {
    const vue = `<template>\n  <div v-if="on">{{ posthog.isFeatureEnabled('template-only') }}</div>\n</template>\n<script lang="ts">\nexport default { name: 'X' };\n</script>\n<script setup lang="ts">\nimport { usePostHog } from 'posthog-js/vue';\nconst ph = usePostHog();\nconst on = ph.isFeatureEnabled('vue-flag');\n</script>\n<style>.a { color: red }</style>\n`;
    const ix = new WorkspaceIndex();
    ix.update('src/App.vue', vue);
    assert.deepEqual(brief(ix.usages()), ['src/App.vue:10:33 vue-flag literal isFeatureEnabled']);
    assert.equal(ix.usages()[0].language, 'vue');
  });

  it('reads a Svelte script and Astro frontmatter plus client scripts', () => {
    const svelte = `<script context="module">\n  export const prerender = true;\n</script>\n<script lang="ts">\n  import posthog from 'posthog-js';\n  const on = posthog.getFeatureFlag('svelte-flag');\n</script>\n<p>{on}</p>\n`;
    const astro = `---\nimport { FLAGS } from '../flags';\nimport { PostHog } from 'posthog-node';\nconst client = new PostHog('phc_fake');\nconst v = await client.getFeatureFlag(FLAGS.A, 'id');\n---\n<h1>{v}</h1>\n<script>\n  window.posthog.isFeatureEnabled('astro-client');\n</script>\n<script type="application/ld+json">{"isFeatureEnabled": "no"}</script>\n`;
    const ix = new WorkspaceIndex();
    ix.update('src/flags.ts', `export const FLAGS = { A: 'astro-server' };`);
    ix.update('src/C.svelte', svelte);
    ix.update('src/pages/index.astro', astro);
    assert.deepEqual(brief(ix.usages()), [
      'src/C.svelte:6:38 svelte-flag literal getFeatureFlag',
      'src/pages/index.astro:5:39 astro-server constant getFeatureFlag',
      'src/pages/index.astro:9:36 astro-client literal isFeatureEnabled',
    ]);
  });
});

describe('index: SDK call forms', () => {
  it('reads object keys of override/updateFlags/bootstrap, flagKeys lists, and optional chaining', () => {
    const text = [
      "import posthog from 'posthog-js';",
      "import { PostHog } from 'posthog-node';",
      "posthog.featureFlags.override({ 'over-a': true, overB: 'v' });",
      "posthog.featureFlags.override(['over-list']);",
      "posthog.featureFlags.override(false);",
      "posthog.featureFlags.overrideFeatureFlags({ flags: { 'nested-over': true } });",
      "posthog.updateFlags({ 'update-a': true });",
      "posthog.init('phc_fake', { bootstrap: { featureFlags: { 'boot-a': true } } });",
      "const client = new PostHog('phc_fake', { bootstrap: { featureFlags: { 'boot-node': true } } });",
      "client.evaluateFlags('id', { flagKeys: ['eval-a', 'eval-b'] });",
      "window.posthog?.getFeatureFlagPayload?.('optional');",
      "posthog.getFeatureFlagResult(...args);",
      '',
    ].join('\n');
    const ix = new WorkspaceIndex();
    ix.update('a.ts', text);
    assert.deepEqual(
      ix.usages().map((u) => `${u.key} ${u.call}`),
      ['over-a override', 'overB override', 'over-list override', 'nested-over overrideFeatureFlags', 'update-a updateFlags', 'boot-a init', 'boot-node init', 'eval-a evaluateFlags', 'eval-b evaluateFlags', 'optional getFeatureFlagPayload'],
    );
    assert.deepEqual(ix.unresolved().map((u) => u.expression), ['...args']);
  });

  it('claims a generic call on a client imported from a local module, and not on other imports', () => {
    const ix = new WorkspaceIndex();
    ix.update('lib/analytics.ts', `import { PostHog } from 'posthog-node';\nexport default new PostHog('phc_fake');\n`);
    ix.update('lib/other.ts', `export const store = { isEnabled: (k: string) => !!k };\n`);
    ix.update('use.ts', `import analytics from './lib/analytics';\nimport { store } from './lib/other';\nanalytics.isFeatureEnabled('via-default-client', 'id');\nstore.isEnabled('not-posthog');\n`);
    assert.deepEqual(brief(ix.usages()), ['use.ts:3:29 via-default-client literal isFeatureEnabled']);
  });

  it('maps renamed imports of PostHog hooks and components', () => {
    const ix = new WorkspaceIndex();
    ix.update('a.tsx', `import { useFeatureFlagEnabled as useOn, PostHogFeature as Gate } from '@posthog/react';\nexport const A = () => <Gate flag="gate">{String(useOn('on'))}</Gate>;\n`);
    assert.deepEqual(ix.usages().map((u) => `${u.key} ${u.call}`), ['gate PostHogFeature', 'on useFeatureFlagEnabled']);
  });

  it('reads CommonJS require and module.exports', () => {
    const ix = new WorkspaceIndex();
    ix.update('flags.js', `module.exports = { A: 'cjs-a' };\nexports.B = 'cjs-b';\n`);
    ix.update('flags2.js', `exports.C = 'cjs-c';\n`);
    ix.update('app.js', `const { PostHog } = require('posthog-node');\nconst flags = require('./flags');\nconst { C } = require('./flags2');\nconst client = new PostHog('k');\nclient.isFeatureEnabled(flags.A, 'id');\nclient.isFeatureEnabled(C, 'id');\n`);
    assert.deepEqual(ix.usages().map((u) => `${u.key} ${u.kind}`), ['cjs-a constant', 'cjs-c constant']);
  });
});

describe('index: bad input never throws', () => {
  const lang = languageForPath('a.ts')!;
  it('empty files and syntax errors still yield what can be found', () => {
    const ix = new WorkspaceIndex();
    ix.update('empty.ts', '');
    ix.update('broken.ts', `import posthog from 'posthog-js';\nposthog.isFeatureEnabled('before-error');\nconst = = ;;; let y = ;\nposthog.isFeatureEnabled('after-error');\nposthog.isFeatureEnabled('unterminated`);
    assert.deepEqual(ix.usages().map((u) => u.key), ['before-error', 'after-error', 'unterminated']);
  });

  it('names of Object.prototype members (constructor, toString, __proto__, hasOwnProperty) are plain names', () => {
    // Found in lodash/core.js: a function named `constructor` once stopped the walk of the whole file.
    const text = [
      "import posthog from 'posthog-js';",
      'function constructor(value) { return value; }',
      'var toString = Object.prototype.toString;',
      'function hasOwnProperty(o, k) { return constructor(o) && toString.call(k); }',
      "export const __proto__ = 'not-a-prototype';",
      "posthog.isFeatureEnabled('after-prototype-names');",
      'constructor(1); hasOwnProperty({}, "a"); valueOf();',
    ].join('\n');
    const facts = extractJs('src/proto.js', text, languageForPath('src/proto.js')!);
    assert.equal(facts.error, undefined);
    const ix = new WorkspaceIndex();
    ix.update('src/proto.js', text);
    assert.deepEqual(brief(ix.usages()), ['src/proto.js:6:27 after-prototype-names literal isFeatureEnabled']);
  });

  it('10,000 levels of nesting do not blow the stack', () => {
    for (const [open, close] of [['(', ')'], ['[', ']'], ['f(', ')'], ['{a:', '}']]) {
      const deep = `import posthog from 'posthog-js';\nposthog.isFeatureEnabled('shallow');\nconst x = ${open.repeat(10000)}1${close.repeat(10000)};\n`;
      const facts = extractJs('deep.ts', deep, lang);
      assert.equal(facts.sites.length >= 1, true, open);
      const ix = new WorkspaceIndex();
      ix.update('deep.ts', deep);
      assert.deepEqual(ix.usages().map((u) => u.key), ['shallow'], open);
    }
    const chain = `import posthog from 'posthog-js';\nconst x = ${Array(10000).fill('a').join(' + ')};\nposthog.isFeatureEnabled('after-chain');\n`;
    const ix = new WorkspaceIndex();
    ix.update('chain.ts', chain);
    assert.deepEqual(ix.usages().map((u) => u.key), ['after-chain']);
  });

  it('a minified line in a scan is skipped, and odd files do not stop the scan', async () => {
    const files = {
      'dist/bundle.js': 'var posthog={};posthog.isFeatureEnabled("in-bundle");'.repeat(400),
      'src/ok.ts': `import posthog from 'posthog-js';\nposthog.isFeatureEnabled('ok');\n`,
      'src/bin.ts': new Uint8Array([0x70, 0, 0x71]),
      'src/invalid-utf8.ts': new Uint8Array([...enc.encode("import posthog from 'posthog-js';\n// \u00e9"), 0xff, 0xfe, ...enc.encode("\nposthog.isFeatureEnabled('after-bad-bytes');\n")]),
      'src/gone.ts': 'x',
    };
    const { result } = await scanSource(memorySource(files, { unreadable: ['src/gone.ts'] }));
    assert.deepEqual(result.usages.map((u) => `${u.file} ${u.key} ${u.line}`), ['src/invalid-utf8.ts after-bad-bytes 3', 'src/ok.ts ok 2']);
    assert.deepEqual(result.skipped.map((s) => `${s.file} ${s.reason}`), ['dist/bundle.js minified', 'src/bin.ts binary', 'src/gone.ts unreadable']);
    assert.equal(result.filesScanned, 4);
  });
});
