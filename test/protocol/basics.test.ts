import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LspTestClient, uriOf } from '../support/lsp-client';
import { APP_TSX, FLAGS_TS, STANDARD_FILES } from './fixtures';
import { assertNoKey, hoverText, makeWorkspace, positionOf, startSession, waitForIndexing, type Session } from './helpers';

describe('language server: lifecycle and hover', () => {
  let s: Session;
  let app: string;
  before(async () => {
    s = await startSession({ files: STANDARD_FILES });
    app = join(s.dir, 'src/app.tsx');
  });
  after(async () => s?.dispose());

  it('answers initialize with the contract capabilities', async () => {
    const c = LspTestClient.start();
    try {
      const r = await c.initialize({ folders: [s.dir], initializationOptions: { flagsFile: join(s.dir, 'none.json') } });
      const caps = r.capabilities as any;
      assert.ok(caps.hoverProvider);
      assert.ok(caps.completionProvider?.triggerCharacters.includes("'"));
      assert.ok(caps.definitionProvider && caps.referencesProvider && caps.documentSymbolProvider && caps.workspaceSymbolProvider);
      assert.deepEqual(caps.renameProvider, { prepareProvider: true });
      assert.deepEqual(caps.codeActionProvider.codeActionKinds, ['quickfix', 'refactor.rewrite']);
      assert.deepEqual(caps.executeCommandProvider.commands.slice(0, 4), ['posthog.createFlag', 'posthog.toggleFlag', 'posthog.refresh', 'posthog.flagUsages']);
      assert.equal(caps.textDocumentSync.change, 2);
      assert.equal(caps.workspace.workspaceFolders.changeNotifications, true);
    } finally {
      await c.stop();
    }
  });

  it('chooses capabilities from what a minimal client supports', async () => {
    const c = LspTestClient.start();
    try {
      const r = await c.initialize({ folders: [s.dir], capabilities: {}, initializationOptions: { flagsFile: join(s.dir, 'none.json') } });
      const caps = r.capabilities as any;
      assert.equal(caps.renameProvider, true);
      assert.equal(caps.codeActionProvider, true);
      assert.equal(caps.workspace, undefined);
      // no workDoneProgress support: no progress is created
      await c.waitForNotification('posthog/status');
      assert.equal(c.serverRequests.filter((r) => r.method === 'window/workDoneProgress/create').length, 0);
    } finally {
      await c.stop();
    }
  });

  it('reports indexing progress as files done / total', () => {
    const created = s.client.serverRequests.filter((r) => r.method === 'window/workDoneProgress/create');
    assert.ok(created.length >= 1);
    const progress = s.client.notifications.filter((n) => n.method === '$/progress').map((n) => n.params.value);
    const begin = progress.find((v) => v.kind === 'begin');
    assert.match(begin.title, /indexing/);
    const last = progress.filter((v) => v.kind === 'report').pop();
    assert.match(last.message, /^3\/3 files$/);
    assert.ok(progress.some((v) => v.kind === 'end'));
  });

  it('sends posthog/status ok with the flag count and the fetch time after the first fetch', () => {
    const { fetchedAt, ...status } = s.client.statuses()[0];
    assert.deepEqual(status, { state: 'ok', flagCount: 6 });
    assert.ok(Math.abs(Date.now() - Date.parse(fetchedAt)) < 5 * 60_000, `fetchedAt is a recent ISO time: ${fetchedAt}`);
  });

  it('tells the new fetch time after a refresh that changed nothing else', async () => {
    const first = s.client.statuses().pop().fetchedAt;
    await new Promise((r) => setTimeout(r, 5)); // a later millisecond for the next fetch
    await s.client.executeRefresh();
    const next = await s.client.waitForNotification('posthog/status', (p) => p.fetchedAt !== first);
    assert.equal(next.state, 'ok');
    assert.ok(Date.parse(next.fetchedAt) > Date.parse(first), `${next.fetchedAt} after ${first}`);
  });

  it('hovers a literal key with state, rollout, tags, link and usages', async () => {
    const h = await s.client.hover(app, positionOf(APP_TSX, "'new-checkout'", 3).line, positionOf(APP_TSX, "'new-checkout'", 3).character);
    const text = hoverText(h);
    assert.match(text, /new-checkout/);
    assert.match(text, /Active/);
    assert.match(text, /30% of all users/);
    assert.match(text, /New checkout flow/);
    assert.match(text, /growth/);
    assert.match(text, /dev@acme\.com/);
    assert.match(text, new RegExp(`${s.fake.url.replace(/[.]/g, '\\.')}/project/1/feature_flags/1`));
    assert.match(text, /Used 1 time in 1 file/);
    const start = positionOf(APP_TSX, "'new-checkout'", 1);
    assert.deepEqual(h.range.start, start);
    assert.equal(h.range.end.character - h.range.start.character, 'new-checkout'.length);
  });

  it('hovers a constant reference and the constant definition', async () => {
    const ref = positionOf(APP_TSX, 'FLAGS.BANNER', 7);
    const text = hoverText(await s.client.hover(app, ref.line, ref.character));
    assert.match(text, /beta-banner/);
    assert.match(text, /Disabled/);
    await s.client.open(join(s.dir, 'src/flags.ts'), FLAGS_TS);
    const def = positionOf(FLAGS_TS, "'beta-banner'", 2);
    const defText = hoverText(await s.client.hover(join(s.dir, 'src/flags.ts'), def.line, def.character));
    assert.match(defText, /beta-banner/);
    const member = positionOf(FLAGS_TS, "'pricing-test'", 2);
    const enumText = hoverText(await s.client.hover(join(s.dir, 'src/flags.ts'), member.line, member.character));
    assert.match(enumText, /pricing-test/);
    assert.match(enumText, /control` 50%/);
  });

  it('hovers a wrapper call loudly when the flag is released to everyone', async () => {
    const p = positionOf(APP_TSX, "'everyone-gets-it'", 2);
    const text = hoverText(await s.client.hover(app, p.line, p.character));
    assert.match(text, /⚠️ \*\*RELEASED TO EVERYONE\*\*/);
    assert.match(text, /color/);
  });

  it('hovers a missing key with the closest keys', async () => {
    const p = positionOf(APP_TSX, "'new-chekout'", 2);
    const text = hoverText(await s.client.hover(app, p.line, p.character));
    assert.match(text, /Not in PostHog/);
    assert.match(text, /Did you mean `new-checkout`/);
  });

  it('names cohorts in the rollout', async () => {
    const p = positionOf(APP_TSX, "'cohort-flag'", 2);
    const text = hoverText(await s.client.hover(app, p.line, p.character));
    assert.match(text, /in cohort Beta testers/);
  });

  it('returns null away from keys and never fails on a bad request', async () => {
    const p = positionOf(APP_TSX, 'return [', 2);
    assert.equal(await s.client.hover(app, p.line, p.character), null);
    assert.equal(await s.client.request('textDocument/hover', { textDocument: { uri: 'file:///nowhere/x.ts' }, position: { line: 0, character: 0 } }), null);
    assert.equal(await s.client.request('textDocument/hover', { textDocument: { uri: 'not a uri' }, position: { line: -5, character: 99 } }), null);
  });

  it('hovers what the buffer says right after an edit', async () => {
    await s.client.open(app, APP_TSX);
    const edited = APP_TSX.replace("isFeatureEnabled('new-checkout')", "isFeatureEnabled('pricing-test')");
    await s.client.change(app, edited);
    const p = positionOf(edited, "'pricing-test'", 2);
    const text = hoverText(await s.client.hover(app, p.line, p.character));
    assert.match(text, /pricing-test/);
    await s.client.change(app, APP_TSX);
    const q = positionOf(APP_TSX, "'new-checkout'", 2);
    assert.match(hoverText(await s.client.hover(app, q.line, q.character)), /new-checkout/);
  });

  it('never writes the key', () => assertNoKey(s.client));
});

describe('language server: start without workspace folders', () => {
  it('indexes an opened file on its own', async () => {
    const dir = makeWorkspace({});
    const c = LspTestClient.start();
    try {
      await c.initialize({ folders: [], initializationOptions: { flagsFile: join(dir, 'missing.json') } });
      const file = join(dir, 'a.ts');
      await c.open(file, "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('solo-flag');\n");
      const h = await c.hover(file, 1, 28);
      assert.match(hoverText(h), /solo-flag/);
      void uriOf;
      void waitForIndexing;
    } finally {
      await c.stop();
    }
  });
});

describe('language server: files indexed with quiet bodies blanked', () => {
  // Over 2,000 characters, so start-up indexing blanks the bodies that mention no SDK name (quiet-bodies.ts).
  const filler = Array.from({ length: 40 }, (_, i) => `export function helper${i}(items: number[]) {\n  return items.map((x) => x * ${i}).filter(Boolean);\n}\n`).join('\n');
  const BIG_TSX = `import posthog from 'posthog-js';
import { FLAGS } from './flags';

export function Loud() {
  return posthog.isFeatureEnabled('new-checkout');
}

export function Quiet() {
  const key = FLAGS.BANNER;
  return key.length;
}

${filler}`;
  let s: Session;
  let big: string;
  before(async () => {
    s = await startSession({ files: { ...STANDARD_FILES, 'src/big.tsx': BIG_TSX } });
    big = join(s.dir, 'src/big.tsx');
  });
  after(async () => s?.dispose());

  it('hovers a constant reference inside a blanked body, before and after the file is opened', async () => {
    assert.ok(BIG_TSX.length > 2000);
    const ref = positionOf(BIG_TSX, 'FLAGS.BANNER', 7);
    assert.match(hoverText(await s.client.hover(big, ref.line, ref.character)), /beta-banner/);
    await s.client.open(big, BIG_TSX);
    assert.match(hoverText(await s.client.hover(big, ref.line, ref.character)), /beta-banner/);
    const call = positionOf(BIG_TSX, "'new-checkout'", 2);
    assert.match(hoverText(await s.client.hover(big, call.line, call.character)), /Used 2 times in 2 files/);
  });
});
