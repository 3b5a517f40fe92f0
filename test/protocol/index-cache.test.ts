/**
 * The language server's index cache: a workspace reopened with a warm cache
 * publishes the same diagnostics and answers `posthog.flagUsages` with the
 * same locations as a cold start, reusing the stored facts (its log says how
 * many); `posthog.cache: false` keeps none; a damaged cache is said once in
 * the log and changes nothing. The time from `initialized` to complete
 * answers is printed for both starts (the figures; the machine is shared, so
 * no timing is asserted).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFakePostHog, type FakePostHog } from '../fake-posthog';
import { LspTestClient } from '../support/lsp-client';
import { FAKE_KEY, makeWorkspace, standardFlags, waitForIndexing, writeFiles } from './helpers';

const PAGES = 120;
const FILLER = `export function filler(n: number) {\n${'  n = (n * 31 + 7) % 1000;\n'.repeat(100)}  return n;\n}\n`;

function workspaceFiles(): Record<string, string> {
  const files: Record<string, string> = {
    'src/flags.ts': "export const FLAGS = { CHECKOUT: 'new-checkout', BANNER: 'beta-banner' } as const;\n",
    'src/gate.ts': "import posthog from 'posthog-js';\nexport function gate(key: string) { return posthog.isFeatureEnabled(key); }\n",
    'py/app.py': "import posthog\n\nif posthog.feature_enabled('pricing-test', 'user'):\n    pass\n",
  };
  for (let i = 0; i < PAGES; i++) {
    files[`src/pages/page-${i}.tsx`] = [
      "import { FLAGS } from '../flags';",
      "import { gate } from '../gate';",
      FILLER,
      `export const on${i} = gate(${i % 2 ? 'FLAGS.CHECKOUT' : 'FLAGS.BANNER'});`,
      `export const missing${i} = gate('not-in-posthog-${i % 7}');`,
      '',
    ].join('\n');
  }
  return files;
}

const KEYS = ['new-checkout', 'beta-banner', 'pricing-test', ...Array.from({ length: 7 }, (_, i) => `not-in-posthog-${i}`)];

interface Start {
  client: LspTestClient;
  /** ms from `initialized` until every page's diagnostics are in and flagUsages answered. */
  ms: number;
  diagnostics: Record<string, string[]>;
  usages: Record<string, string[]>;
}

async function start(dir: string, fake: FakePostHog, initializationOptions: Record<string, unknown>): Promise<Start> {
  const client = LspTestClient.start();
  await client.initialize({ folders: [dir], initializationOptions: { host: fake.url, projectId: 1, personalApiKey: FAKE_KEY, ...initializationOptions } });
  const started = Date.now();
  const pages = Array.from({ length: PAGES }, (_, i) => pathToFileURL(join(dir, `src/pages/page-${i}.tsx`)).href);
  // Every page has a missing-flag diagnostic once its usages are known (and the flags fetched).
  await client.waitFor('diagnostics of every page', () => pages.every((uri) => client.diagnostics.get(uri)?.some((d) => d.code === 'missing-flag')), 60_000);
  const usages: Record<string, string[]> = {};
  for (const key of KEYS) {
    const locations = await client.request('workspace/executeCommand', { command: 'posthog.flagUsages', arguments: [{ key }] });
    usages[key] = locations.map((l: any) => `${l.uri.slice(pathToFileURL(dir).href.length)}:${l.range.start.line}:${l.range.start.character}`).sort();
  }
  const ms = Date.now() - started;
  await waitForIndexing(client, 60_000);
  const diagnostics: Record<string, string[]> = {};
  for (const [uri, list] of client.diagnostics) diagnostics[uri.slice(pathToFileURL(dir).href.length)] = list.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`).sort();
  return { client, ms, diagnostics, usages };
}

/** The log line of a start that shows the last indexing's stored result while it indexes. */
const STORED_SHOWN = /showing the stored result of the last indexing/;

const logLines = (c: LspTestClient) => c.notifications.filter((n) => n.method === 'window/logMessage').map((n) => String(n.params.message));

describe('language server: index cache', function () {
  this.timeout(180_000);
  let fake: FakePostHog;
  let dir: string;
  const temps: string[] = [];
  before(async () => {
    fake = await startFakePostHog({ projects: [{ id: 1, flags: standardFlags() as never }] });
    dir = makeWorkspace(workspaceFiles());
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  });

  /** A workspace of its own, indexed once by a server (now stopped) that wrote its cache. */
  const warmedWorkspace = async () => {
    const tree = makeWorkspace(workspaceFiles());
    temps.push(tree);
    const cacheDir = mkdtempSync(join(tmpdir(), 'phf-lsp-cache-'));
    temps.push(cacheDir);
    const first = await start(tree, fake, { cacheDir });
    await first.client.stop();
    return { tree, cacheDir, first };
  };

  it('a warm start publishes the same diagnostics and answers flagUsages completely, from the cache', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'phf-lsp-cache-'));
    temps.push(cacheDir);
    const cold = await start(dir, fake, { cacheDir });
    await cold.client.stop();
    assert.equal(readdirSync(cacheDir).length, 1, 'the cache was written under initializationOptions.cacheDir');
    assert.ok(logLines(cold.client).some((l) => /index cache: 0 facts reused/.test(l)), logLines(cold.client).join('\n'));

    const warm = await start(dir, fake, { cacheDir });
    await warm.client.stop();
    assert.deepEqual(warm.diagnostics, cold.diagnostics);
    assert.deepEqual(warm.usages, cold.usages);
    assert.equal(warm.usages['new-checkout'].length, PAGES / 2);
    assert.equal(warm.usages['pricing-test'].length, 1, 'the Python file too');
    const reused = logLines(warm.client).map((l) => /index cache: (\d+) facts reused, (\d+) parsed/.exec(l)).find(Boolean);
    assert.ok(reused && Number(reused[1]) >= PAGES && Number(reused[2]) === 0, `the warm start parsed nothing: ${reused?.[0]}`);
    assert.ok(!logLines(cold.client).some((l) => STORED_SHOWN.test(l)), 'the cold start had no stored result');
    assert.ok(logLines(warm.client).some((l) => STORED_SHOWN.test(l)), 'the warm start showed the stored result while indexing');
    console.log(`      first diagnostics and complete flagUsages after initialized: cold ${cold.ms} ms, warm ${warm.ms} ms (${PAGES + 3} files)`);
  });

  it('files changed while the server was down: the warm start never shows the stored result, and answers as a cold start', async () => {
    const { tree, cacheDir, first } = await warmedWorkspace();
    assert.equal(first.usages['beta-banner'].length, PAGES / 2);
    // While it is down, the same files (the same listing) with other contents: a constant's value (every other page
    // resolves through it) and one page's calls.
    writeFiles(tree, {
      'src/flags.ts': "export const FLAGS = { CHECKOUT: 'new-checkout', BANNER: 'renamed-banner' } as const;\n",
      'src/pages/page-3.tsx': "import { gate } from '../gate';\nexport const x = gate('not-in-posthog-0');\nexport const y = gate('page-three-key');\n",
    });
    const pageUri = (i: number) => pathToFileURL(join(tree, `src/pages/page-${i}.tsx`)).href;
    const warm = await start(tree, fake, { cacheDir });
    await warm.client.stop();
    const coldDir = mkdtempSync(join(tmpdir(), 'phf-lsp-cache-'));
    temps.push(coldDir);
    const cold = await start(tree, fake, { cacheDir: coldDir });
    await cold.client.stop();
    assert.deepEqual(warm.usages, cold.usages, 'flagUsages as soon as every page had its diagnostics');
    assert.deepEqual(warm.diagnostics, cold.diagnostics);
    assert.deepEqual(warm.usages['beta-banner'], [], 'the old constant value is used nowhere');
    // Nothing the stored result held was ever published: no page's diagnostics said beta-banner, page 3 never its old keys.
    const published = warm.client.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics');
    assert.ok(published.some((n) => n.params.diagnostics.some((d: any) => d.data?.key === 'renamed-banner')), 'the new constant value is diagnosed');
    assert.ok(!published.some((n) => n.params.diagnostics.some((d: any) => d.data?.key === 'beta-banner')), 'a stale beta-banner diagnostic was published');
    assert.ok(!published.some((n) => n.params.uri === pageUri(3) && n.params.diagnostics.some((d: any) => ['not-in-posthog-3', 'new-checkout'].includes(d.data?.key))), 'page 3 showed its old calls');
    assert.ok(!logLines(warm.client).some((l) => STORED_SHOWN.test(l)), 'the stored result was not shown');
  });

  it('a buffer opened or a file changed on disk while the stored result is shown: the live index answers for them', async () => {
    const { tree, cacheDir } = await warmedWorkspace();
    const client = LspTestClient.start();
    try {
      await client.initialize({ folders: [tree], initializationOptions: { host: fake.url, projectId: 1, personalApiKey: FAKE_KEY, cacheDir } });
      await client.waitFor('the stored result shown', () => logLines(client).some((l) => STORED_SHOWN.test(l)), 30_000);
      const usagesOf = async (key: string) =>
        ((await client.request('workspace/executeCommand', { command: 'posthog.flagUsages', arguments: [{ key }] })) as any[]).map((l) => l.uri);
      assert.equal((await usagesOf('new-checkout')).length, PAGES / 2, 'the stored result is complete');
      // A buffer as it is on disk changes nothing: still the stored result, complete.
      const page1 = join(tree, 'src/pages/page-1.tsx');
      await client.open(page1, workspaceFiles()['src/pages/page-1.tsx']);
      assert.equal((await usagesOf('new-checkout')).length, PAGES / 2);
      // Page 0 opened with other text: its old usages are gone at once, its new one is there once indexed.
      const page0 = join(tree, 'src/pages/page-0.tsx');
      await client.open(page0, "import { gate } from '../gate';\nexport const z = gate('opened-key');\n");
      const banner = await usagesOf('beta-banner');
      assert.ok(!banner.includes(pathToFileURL(page0).href), 'page 0 no longer uses beta-banner');
      // Page 5 changed on disk: after the watcher's batch, and once indexing is done, its new call counts.
      writeFiles(tree, { 'src/pages/page-5.tsx': "import { gate } from '../gate';\nexport const w = gate('disk-key');\n" });
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(tree, 'src/pages/page-5.tsx')).href, type: 2 }] });
      await waitForIndexing(client, 60_000);
      for (let t = Date.now(); (await usagesOf('disk-key')).length === 0 && Date.now() - t < 10_000; ) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(await usagesOf('disk-key'), [pathToFileURL(join(tree, 'src/pages/page-5.tsx')).href]);
      assert.ok(!(await usagesOf('new-checkout')).includes(pathToFileURL(join(tree, 'src/pages/page-5.tsx')).href), 'page 5 lost its old call');
      assert.deepEqual(await usagesOf('opened-key'), [pathToFileURL(page0).href]);
      assert.equal((await usagesOf('beta-banner')).length, PAGES / 2 - 1);
      assert.equal((await usagesOf('new-checkout')).length, PAGES / 2 - 1);
      await client.waitForDiagnostics(page0, (d) => d.some((x) => /opened-key/.test(x.message)), 10_000);
      await client.waitForDiagnostics(page0, (d) => !d.some((x) => /beta-banner/.test(x.message)), 10_000);
    } finally {
      await client.stop();
    }
  });

  it('posthog.cache false: no cache is read or written', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'phf-lsp-cache-'));
    temps.push(cacheDir);
    const client = LspTestClient.start({ configuration: (item) => (item.section === 'posthog' ? { cache: false } : {}) });
    await client.initialize({ folders: [dir], initializationOptions: { host: fake.url, projectId: 1, personalApiKey: FAKE_KEY, cacheDir } });
    await waitForIndexing(client, 60_000);
    await client.stop();
    assert.deepEqual(readdirSync(cacheDir), []);
    assert.ok(!logLines(client).some((l) => /index cache/.test(l)), 'no cache, no cache figures');
  });

  it('a damaged cache: one warning in the log, the same answers, written again', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'phf-lsp-cache-'));
    temps.push(cacheDir);
    const first = await start(dir, fake, { cacheDir });
    await first.client.stop();
    const [name] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, name), 'PHFLAGS\u0001garbage');
    const second = await start(dir, fake, { cacheDir });
    await second.client.stop();
    assert.deepEqual(second.diagnostics, first.diagnostics);
    assert.deepEqual(second.usages, first.usages);
    const warnings = second.client.notifications.filter((n) => n.method === 'window/logMessage' && /index cache .* (damaged|truncated)/.test(n.params.message));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].params.type, 2, 'a warning');
    assert.ok(existsSync(join(cacheDir, name)));
    const third = await start(dir, fake, { cacheDir });
    await third.client.stop();
    assert.ok(logLines(third.client).some((l) => /index cache: [1-9]\d* facts reused, 0 parsed/.test(l)), 'written again after the damaged one');
  });
});
