/**
 * A monorepo workspace over stdio: two apps and a shared package, each file
 * resolved with the config that governs it, and a config edited while the
 * server runs. Fixture: test/fixtures/js/monorepo.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { uriOf } from '../support/lsp-client';
import { loadFixture } from '../unit/index-support';
import { hoverText, positionOf, startSession, writeFiles, type Session } from './helpers';

const files = loadFixture('monorepo');

async function usagesOf(s: Session, key: string): Promise<string[]> {
  const locs: Array<{ uri: string; range: { start: { line: number } } }> = await s.client.request('workspace/executeCommand', { command: 'posthog.flagUsages', arguments: [{ key }] });
  return locs.map((l) => `${l.uri.slice(uriOf(s.dir).length + 1)}:${l.range.start.line + 1}`).sort();
}

/** Polls an async check until it holds (a request answers from the index, so no event to wait for). */
async function eventually(what: string, check: () => Promise<boolean>, ms = 10000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('language server: a monorepo workspace', () => {
  it('resolves through nested configs, references, bundler aliases and workspace packages, and re-resolves when a config changes', async () => {
    const s = await startSession({ files });
    try {
      assert.deepEqual(await usagesOf(s, 'web-checkout'), ['apps/web/src/app/page.tsx:11']);
      assert.deepEqual(await usagesOf(s, 'new-nav'), ['apps/web/src/app/page.tsx:12']);
      assert.deepEqual(await usagesOf(s, 'shared-wrapper-key'), ['apps/web/src/app/page.tsx:15']);
      assert.deepEqual(await usagesOf(s, 'admin-reports'), ['apps/admin/src/main.tsx:5']);
      assert.deepEqual(await usagesOf(s, 'admin-audit'), ['apps/admin/src/main.tsx:6']);
      const page = join(s.dir, 'apps/web/src/app/page.tsx');
      const at = positionOf(files['apps/web/src/app/page.tsx'], 'FLAGS.NEW_NAV');
      assert.match(hoverText(await s.client.hover(page, at.line, at.character + 2)), /new-nav/);

      // `@/missing/flags` cannot be followed yet; a new folder and a new `paths` entry make it resolve.
      assert.deepEqual(await usagesOf(s, 'relocated-flag'), []);
      writeFiles(s.dir, { 'apps/web/src/relocated/flags.ts': "import posthog from 'posthog-js';\nexport const GONE = 'relocated-flag';\nexport const direct = posthog.isFeatureEnabled('relocated-direct');\n" });
      await s.client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(s.dir, 'apps/web/src/relocated/flags.ts')), type: 1 }] });
      await eventually('the new file indexed', async () => (await usagesOf(s, 'relocated-direct')).length === 1);
      assert.deepEqual(await usagesOf(s, 'relocated-flag'), [], 'no config maps @/missing yet');
      const paths = JSON.parse(files['apps/web/tsconfig.paths.json']);
      paths.compilerOptions.paths['@/missing/*'] = ['./src/relocated/*'];
      writeFiles(s.dir, { 'apps/web/tsconfig.paths.json': JSON.stringify(paths) });
      await s.client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(s.dir, 'apps/web/tsconfig.paths.json')), type: 2 }] });
      let after: string[] = [];
      await eventually('the edited config re-resolves page.tsx', async () => (after = await usagesOf(s, 'relocated-flag')).length === 1);
      assert.deepEqual(after, ['apps/web/src/app/page.tsx:16']);
      // the rest is unchanged
      assert.deepEqual(await usagesOf(s, 'web-checkout'), ['apps/web/src/app/page.tsx:11']);
    } finally {
      await s.dispose();
    }
  });
});
