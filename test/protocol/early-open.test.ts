import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { LspTestClient } from '../support/lsp-client';
import { FAKE_KEY, startFakePostHog, type FakePostHog } from '../fake-posthog';
import { APP_TSX, STANDARD_FILES } from './fixtures';
import { hoverText, makeWorkspace, positionOf, standardFlags, waitForIndexing } from './helpers';

/**
 * Editors open the current file right after `initialized`, before the server
 * has registered the workspace folder or indexed anything (Neovim and Emacs
 * do). That file must end up in the folder's index, with hovers and
 * cross-file resolution, not in the index of loose files.
 */
describe('language server: a file opened before indexing', () => {
  let fake: FakePostHog;
  let dir: string;
  let client: LspTestClient;

  before(async () => {
    dir = makeWorkspace(STANDARD_FILES);
    fake = await startFakePostHog({ projects: [{ id: 1, flags: standardFlags() as never, cohorts: [] }] });
    client = LspTestClient.start();
    await client.initialize({ folders: [dir], initializationOptions: { host: fake.url, projectId: 1, personalApiKey: FAKE_KEY } });
    await client.open(join(dir, 'src/app.tsx'), APP_TSX); // at once, no waiting
    await waitForIndexing(client);
    await client.waitForNotification('posthog/status');
  });

  after(async () => {
    await client?.stop();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hovers a literal and a constant from another file in the early-opened buffer', async () => {
    const lit = positionOf(APP_TSX, "'new-checkout'", 3);
    assert.match(hoverText(await client.hover(join(dir, 'src/app.tsx'), lit.line, lit.character)), /new-checkout/);
    const ref = positionOf(APP_TSX, 'FLAGS.BANNER', 7);
    assert.match(hoverText(await client.hover(join(dir, 'src/app.tsx'), ref.line, ref.character)), /beta-banner/);
  });

  it('lists the buffer once, under the workspace folder', async () => {
    const report = await client.request('posthog/report', {});
    const row = report.flags.find((f: { key: string }) => f.key === 'beta-banner');
    assert.ok(row, 'beta-banner in the report');
    assert.deepEqual(row.files, ['src/app.tsx']);
    assert.equal(row.usageCount, 1);
  });
});
