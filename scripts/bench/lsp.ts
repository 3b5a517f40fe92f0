/**
 * Language-server figures for `npm run bench` (section `lsp`): starts
 * dist/server.js over stdio on the benchmark monorepo with a flags snapshot,
 * waits for indexing, then times 1,000 hovers on usages and 1,000 key
 * completions, client-side round trips at the protocol level.
 *
 * With `truth.json` (the generator's usages), first a cold start (empty
 * index cache) hovered from `initialized` until indexing ends, one hover
 * after the other on the usages the generator wrote: the latency of a
 * request while the server indexes.
 *
 *   node lsp.cjs <monorepo> <flags.json> <count> [truth.json]
 * prints one JSON object.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LspTestClient } from '../../test/support/lsp-client';

const [mono, flagsFile, countArg, truthFile] = process.argv.slice(2);
const count = Number(countArg ?? 1000);

/** Hovers one after the other from `initialized` until the first indexing ends (cold: a new, empty cache directory). */
async function hoverWhileIndexing(): Promise<{ hovers: number; p50: number; p99: number; max: number; indexMs: number }> {
  const truth: Array<{ file: string; line: number; column: number }> = JSON.parse(readFileSync(truthFile, 'utf8'));
  const sites = truth.map((t) => ({ uri: pathToFileURL(join(mono, t.file)).href, line: t.line - 1, character: t.column }));
  const cacheDir = mkdtempSync(join(tmpdir(), 'phf-bench-hover-'));
  const client = LspTestClient.start({ keepStdout: false });
  try {
    await client.initialize({ folders: [mono], initializationOptions: { flagsFile, cacheDir } });
    const t0 = Date.now();
    let indexed = false;
    const ended = client
      .waitFor('indexing', () => client.notifications.some((n) => n.method === '$/progress' && n.params.value?.kind === 'end'), 300_000)
      .then(() => (indexed = true));
    const times: number[] = [];
    for (let i = 0; !indexed; i++) {
      const s = sites[(i * 7919) % sites.length];
      const start = process.hrtime.bigint();
      await client.request('textDocument/hover', { textDocument: { uri: s.uri }, position: { line: s.line, character: s.character } });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      // Diagnostics pile up meanwhile: keep only what the indexing check reads.
      if (client.notifications.length > 2000) client.notifications.splice(0, client.notifications.length, ...client.notifications.filter((n) => n.method === '$/progress'));
    }
    await ended;
    const indexMs = Date.now() - t0;
    return { hovers: times.length, p50: percentile(times, 50), p99: percentile(times, 99), max: Math.max(...times), indexMs };
  } finally {
    await client.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function main() {
  const whileIndexing = truthFile ? await hoverWhileIndexing() : undefined;
  const client = LspTestClient.start({ keepStdout: false });
  const t0 = Date.now();
  await client.initialize({ folders: [mono], initializationOptions: { flagsFile } });
  await client.waitFor('indexing', () => client.notifications.some((n) => n.method === '$/progress' && n.params.value?.kind === 'end'), 300_000);
  const indexMs = Date.now() - t0;
  // Flags from the snapshot loaded (an earlier status may be 'loading').
  await client.waitForNotification('posthog/status', (p: any) => p?.state === 'ok', 60_000);
  const report = await client.request('posthog/report', {});
  const usages: Array<{ uri: string; range: any }> = report.flags.flatMap((f: any) => f.usages);
  if (!usages.length) throw new Error('no usages indexed');

  // Only what the timings need stays in this process: recorded notifications are GC work too.
  client.notifications.length = 0;
  client.diagnostics.clear();

  const hover: number[] = [];
  let hoverHits = 0;
  for (let i = 0; i < count; i++) {
    const u = usages[(i * 7919) % usages.length];
    const start = process.hrtime.bigint();
    const h = await client.request('textDocument/hover', { textDocument: { uri: u.uri }, position: { line: u.range.start.line, character: u.range.start.character + 1 } });
    hover.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (h) hoverHits++;
  }

  // Completion inside a key argument of open documents (50 files, a partial key typed).
  const files = [...new Set(usages.map((u) => u.uri))].slice(0, 50);
  const sites: Array<{ uri: string; line: number; character: number }> = [];
  for (const uri of files) {
    const path = fileURLToPath(uri);
    const text = readFileSync(path, 'utf8') + "\nposthog.isFeatureEnabled('be');\n";
    await client.open(path, text);
    const line = text.split('\n').length - 2;
    sites.push({ uri, line, character: "posthog.isFeatureEnabled('be".length });
  }
  const completion: number[] = [];
  let items = 0;
  for (let i = 0; i < count; i++) {
    const s = sites[i % sites.length];
    const start = process.hrtime.bigint();
    const r = await client.request('textDocument/completion', { textDocument: { uri: s.uri }, position: { line: s.line, character: s.character } });
    completion.push(Number(process.hrtime.bigint() - start) / 1e6);
    items += r?.items?.length ?? 0;
  }
  await client.stop();
  console.log(
    JSON.stringify({
      indexMs,
      usages: usages.length,
      hoverHits,
      hoverP50: percentile(hover, 50),
      hoverP99: percentile(hover, 99),
      completionP50: percentile(completion, 50),
      completionP99: percentile(completion, 99),
      completionItemsAvg: items / count,
      whileIndexing,
    }),
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
