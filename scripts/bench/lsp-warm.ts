/**
 * Language-server warm start for `npm run bench` (section `cache`): starts
 * dist/server.js on a folder twice with the same index cache directory — a
 * cold start that writes the cache, then a warm one — and times, from
 * `initialized`, the first published diagnostics and the moment
 * `posthog.flagUsages` answers every key with what the cold start answered
 * (then, until the warm start's live index is built behind the stored result).
 *
 *   node lsp-warm.cjs <folder> <flags.json> <cacheDir> <keys.json>
 * prints one JSON object.
 */
import { readFileSync } from 'node:fs';
import { LspTestClient } from '../../test/support/lsp-client';

const [folder, flagsFile, cacheDir, keysFile] = process.argv.slice(2);
const keys: string[] = JSON.parse(readFileSync(keysFile, 'utf8'));

async function usagesOf(client: LspTestClient): Promise<string> {
  const out: string[] = [];
  for (const key of keys) {
    const locations = await client.request('workspace/executeCommand', { command: 'posthog.flagUsages', arguments: [{ key }] });
    out.push(`${key}=${(locations as Array<{ uri: string; range: { start: { line: number; character: number } } }>).map((l) => `${l.uri}:${l.range.start.line}:${l.range.start.character}`).sort().join(',')}`);
  }
  return out.join('\n');
}

/** One start: ms to the first diagnostics, ms until flagUsages equals `expected` (or until indexing ended, without one). */
async function start(expected?: string): Promise<{ firstDiagnosticsMs: number; completeMs: number; indexedMs: number; usages: string; log: string[] }> {
  const client = LspTestClient.start({ keepStdout: false });
  await client.initialize({ folders: [folder], initializationOptions: { flagsFile, cacheDir } });
  const t0 = Date.now();
  let firstDiagnosticsMs = -1;
  const firstDiagnostics = client
    .waitFor('first diagnostics', () => client.notifications.some((n) => n.method === 'textDocument/publishDiagnostics' && n.params.diagnostics.length > 0), 300_000)
    .then(() => (firstDiagnosticsMs = Date.now() - t0));
  let usages = '';
  if (expected === undefined) {
    await client.waitFor('indexing', () => client.notifications.some((n) => n.method === '$/progress' && n.params.value?.kind === 'end'), 300_000);
    usages = await usagesOf(client);
  } else {
    for (;;) {
      usages = await usagesOf(client);
      if (usages === expected) break;
      if (Date.now() - t0 > 300_000) throw new Error('flagUsages never matched the cold start');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const completeMs = Date.now() - t0;
  await firstDiagnostics;
  // The live index is built behind a stored result: its log line says what the cache gave.
  await client.waitFor('indexing', () => client.notifications.some((n) => n.method === '$/progress' && n.params.value?.kind === 'end'), 300_000);
  const indexedMs = Date.now() - t0;
  const log = client.notifications.filter((n) => n.method === 'window/logMessage').map((n) => String(n.params.message));
  await client.stop();
  return { firstDiagnosticsMs, completeMs, indexedMs, usages, log };
}

async function main() {
  const cold = await start();
  const warm = await start(cold.usages);
  const reused = warm.log.map((l) => /index cache: (\d+) facts reused, (\d+) parsed/.exec(l)).find(Boolean);
  console.log(
    JSON.stringify({
      cold: { firstDiagnosticsMs: cold.firstDiagnosticsMs, completeMs: cold.completeMs },
      warm: { firstDiagnosticsMs: warm.firstDiagnosticsMs, completeMs: warm.completeMs, indexedMs: warm.indexedMs },
      storedResultShown: warm.log.some((l) => /showing the stored result/.test(l)),
      reused: reused ? Number(reused[1]) : 0,
      parsed: reused ? Number(reused[2]) : -1,
      keys: keys.length,
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
