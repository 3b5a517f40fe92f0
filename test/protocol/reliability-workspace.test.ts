/**
 * Issue 8, bad workspaces: binary files, a 5 MB minified bundle, a smaller
 * minified file, invalid UTF-8, a symbolic-link loop and deeply nested
 * expressions neither crash nor stall the server; the skipped files are
 * reported with their reasons (server log, and `scan --json`); a file that
 * changes 100 times a second keeps hovers answering within a bound while
 * diagnostics are debounced.
 */
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/flags-cli';
import { uriOf } from '../support/lsp-client';
import { hoverText, makeWorkspace, positionOf, startSession, type Session } from './helpers';

const CALL = (key: string) => `posthog.isFeatureEnabled('${key}')`;
const APP = `import posthog from 'posthog-js';\nexport const a = ${CALL('new-checkout')};\nexport const b = ${CALL('typo-flag')};\n`;
/** Deep, yet within the index's walk bound (≈1,200 syntax levels); DEPTH * 6 levels of objects lie beyond it. */
const DEPTH = 500;

function badWorkspace(): string {
  const dir = makeWorkspace({
    'src/app.ts': APP,
    // Nested deeply but over many short lines (one long line would count as minified).
    'src/deep.ts': `import posthog from 'posthog-js';\nexport const d = ${'(\n'.repeat(DEPTH)}${CALL('deep-flag')}${')\n'.repeat(DEPTH)};\n`,
    // Deeper than the parser's stack allows: the rest of the file is still read.
    'src/deeper.ts': `import posthog from 'posthog-js';\nexport const o = ${'{ a:\n'.repeat(DEPTH * 6)}1${'}\n'.repeat(DEPTH * 6)};\nexport const after = ${CALL('after-deep')};\n`,
    'package.json': '{"name":"bad","dependencies":{"posthog-js":"1.0.0"}}',
  });
  const bundleLine = `!function(){var posthog=window.posthog;${CALL('in-bundle')};${'var a=1,b=2;function f(x){return x*2}'.repeat(140_000)}}();`;
  writeFileSync(join(dir, 'bundle.min.js'), bundleLine); // ~5 MB, one line
  writeFileSync(join(dir, 'src/small.min.js'), `${CALL('in-small-min')};${'x=1;'.repeat(60_000)}`);
  writeFileSync(join(dir, 'src/blob.ts'), Buffer.concat([Buffer.from(`${CALL('in-binary')}\n`), Buffer.alloc(64, 0), Buffer.from('more')]));
  writeFileSync(join(dir, 'src/latin1.ts'), Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9, 0xff, 0xfe]), Buffer.from(`\nimport posthog from 'posthog-js';\nposthog.isFeatureEnabled('after-bad-bytes');\n`)]));
  symlinkSync('..', join(dir, 'src/loop'));
  symlinkSync(join(dir, 'b-link'), join(dir, 'a-link'));
  symlinkSync(join(dir, 'a-link'), join(dir, 'b-link'));
  return dir;
}

describe('reliability: bad workspaces', function () {
  this.timeout(60_000);
  let s: Session;
  let dir: string;
  before(async () => {
    dir = badWorkspace();
    s = await startSession({ folders: [dir] });
  });
  after(async () => s?.dispose());

  it('indexes what it can: deep nesting, invalid UTF-8 (read as U+FFFD), no link followed', async () => {
    const usages = async (key: string) => s.client.request('workspace/executeCommand', { command: 'posthog.flagUsages', arguments: [{ key }] });
    assert.equal((await usages('deep-flag')).length, 1);
    assert.equal((await usages('after-deep')).length, 1, 'a call after 3,000 nested objects in the same file');
    const bad = await usages('after-bad-bytes');
    assert.equal(bad.length, 1);
    assert.deepEqual(bad[0].range.start, { line: 2, character: 26 });
    for (const key of ['in-bundle', 'in-small-min', 'in-binary']) assert.deepEqual(await usages(key), [], `${key} comes from a skipped file`);
    const all = await s.client.request('posthog/report', {});
    const files = new Set(all.flags.flatMap((f: any) => f.usages.map((u: any) => u.uri)));
    assert.ok(![...files].some((u) => String(u).includes('/loop/')), 'the link loop was not followed');
    const p = positionOf(APP, "'new-checkout'", 2);
    assert.match(hoverText(await s.client.hover(join(dir, 'src/app.ts'), p.line, p.character)), /Active/);
    assert.equal(s.client.exitCode, null);
  });

  it('reports the skipped files with their reasons (server log and scan --json)', async () => {
    const note = await s.client.waitForNotification('window/logMessage', (m) => /^indexed /.test(m.message));
    assert.match(note.message, /skipped \d+ files \(/);
    assert.match(note.message, /binary: 1/);
    assert.match(note.message, /too-large: 1/);
    assert.match(note.message, /minified: 1/);
    assert.match(note.message, /bundle\.min\.js/);
    const r = await runCli(['scan', dir, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const skipped = JSON.parse(r.stdout).skipped.map((x: any) => `${x.file}:${x.reason}`).sort();
    assert.deepEqual(skipped, ['bundle.min.js:too-large', 'src/blob.ts:binary', 'src/small.min.js:minified']);
  });

  it('a file changing 100 times a second: hovers answer within 1 s each, diagnostics are debounced and end right', async () => {
    const file = join(dir, 'src/app.ts');
    const uri = uriOf(file);
    await s.client.open(file, APP);
    await s.client.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'missing-flag'));
    const publishedBefore = s.client.publishCount.get(uri) ?? 0;
    const p = positionOf(APP, "'new-checkout'", 2);
    const hoverTimes: number[] = [];
    const started = Date.now();
    let i = 0;
    for (; Date.now() - started < 2_000; i++) {
      const text = APP.replace('typo-flag', `typo-flag-${i}`);
      void s.client.change(file, text);
      if (i % 10 === 0) {
        const t = Date.now();
        const h = await s.client.hover(file, p.line, p.character);
        hoverTimes.push(Date.now() - t);
        assert.match(hoverText(h), /new-checkout/);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const last = i - 1;
    await s.client.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'missing-flag' && x.message.includes(`typo-flag-${last}`)));
    const published = (s.client.publishCount.get(uri) ?? 0) - publishedBefore;
    assert.ok(i >= 100, `${i} changes sent`);
    assert.ok(Math.max(...hoverTimes) < 1_000, `slowest hover ${Math.max(...hoverTimes)} ms`);
    assert.ok(published <= Math.ceil(i / 10), `${published} diagnostics publications for ${i} changes`);
  });
});
