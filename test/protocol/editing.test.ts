import assert from 'node:assert/strict';
import { join } from 'node:path';
import { uriOf } from '../support/lsp-client';
import { APP_TSX, FLAGS_TS, STANDARD_FILES } from './fixtures';
import { positionOf, startSession, type Session } from './helpers';

describe('language server: completion, navigation, rename, symbols', () => {
  let s: Session;
  let app: string;
  let flags: string;
  before(async () => {
    s = await startSession({ files: STANDARD_FILES });
    app = join(s.dir, 'src/app.tsx');
    flags = join(s.dir, 'src/flags.ts');
    await s.client.open(app, APP_TSX);
  });
  after(async () => s?.dispose());

  const complete = (file: string, pos: { line: number; character: number }) =>
    s.client.request('textDocument/completion', { textDocument: { uri: uriOf(file) }, position: pos });

  it('completes keys inside an empty key argument, with state in detail and docs', async () => {
    const text = APP_TSX.replace('return [', "posthog.isFeatureEnabled('');\n  return [");
    await s.client.change(app, text);
    const pos = positionOf(text, "isFeatureEnabled('')", "isFeatureEnabled('".length);
    const r = await complete(app, pos);
    const labels = r.items.map((i: any) => i.label);
    assert.ok(labels.includes('new-checkout') && labels.includes('beta-banner'), labels.join());
    const banner = r.items.find((i: any) => i.label === 'beta-banner');
    assert.match(banner.detail, /Disabled/);
    assert.match(banner.documentation.value, /beta-banner/);
    assert.deepEqual(banner.textEdit.range, { start: pos, end: pos });
  });

  it('completes a partial key and replaces the whole key', async () => {
    const text = APP_TSX.replace('return [', "useFeatureFlagEnabled(\"pric\");\n  return [");
    await s.client.change(app, text);
    const pos = positionOf(text, 'useFeatureFlagEnabled("pric")', 'useFeatureFlagEnabled("pr'.length);
    const r = await complete(app, pos);
    assert.deepEqual(r.items.map((i: any) => i.label), ['pricing-test']);
    assert.deepEqual(r.items[0].textEdit.range, { start: { line: pos.line, character: pos.character - 2 }, end: { line: pos.line, character: pos.character + 2 } });
  });

  it('completes keys in a wrapper call and resolves documentation', async () => {
    const text = APP_TSX.replace('return [', "useFlag('');\n  return [");
    await s.client.change(app, text);
    const pos = positionOf(text, "useFlag('')", "useFlag('".length);
    const r = await complete(app, pos);
    assert.ok(r.items.length >= 6);
    const resolved = await s.client.request('completionItem/resolve', { ...r.items[0], documentation: undefined });
    assert.match(resolved.documentation.value, new RegExp(r.items[0].label));
  });

  it('completes variant keys where a variant is compared', async () => {
    const direct = APP_TSX.replace('return [', "if (posthog.getFeatureFlag('pricing-test') === '') {}\n  return [");
    await s.client.change(app, direct);
    let pos = positionOf(direct, "=== ''", 5);
    let r = await complete(app, pos);
    assert.deepEqual(r.items.map((i: any) => i.label), ['control', 'cheaper']);
    assert.match(r.items[0].detail, /50%/);

    const viaVar = APP_TSX.replace('return [', "if (v === '') {}\n  return [");
    await s.client.change(app, viaVar);
    pos = positionOf(viaVar, "v === ''", 7);
    r = await complete(app, pos);
    assert.deepEqual(r.items.map((i: any) => i.label), ['control', 'cheaper'], 'v = useFeatureFlagVariantKey(Flag.Pricing)');

    const viaSwitch = APP_TSX.replace('return [', "switch (v) {\n    case 'c':\n      break;\n  }\n  return [");
    await s.client.change(app, viaSwitch);
    pos = positionOf(viaSwitch, "case 'c'", 7);
    r = await complete(app, pos);
    assert.deepEqual(r.items.map((i: any) => i.label), ['control', 'cheaper']);
    await s.client.change(app, APP_TSX);
  });

  it('offers nothing outside key and variant positions', async () => {
    const pos = positionOf(APP_TSX, 'return [', 3);
    const r = await complete(app, pos);
    assert.equal(r, null);
  });

  it('goes from a constant reference to its definition', async () => {
    const p = positionOf(APP_TSX, 'FLAGS.BANNER', 7);
    const r = await s.client.request('textDocument/definition', { textDocument: { uri: uriOf(app) }, position: p });
    assert.equal(r[0].uri, uriOf(flags));
    assert.deepEqual(r[0].range.start, positionOf(FLAGS_TS, "'beta-banner'", 1));
    const e = positionOf(APP_TSX, 'Flag.Pricing', 6);
    const r2 = await s.client.request('textDocument/definition', { textDocument: { uri: uriOf(app) }, position: e });
    assert.deepEqual(r2[0].range.start, positionOf(FLAGS_TS, "'pricing-test'", 1));
  });

  it('finds every reference to a key through constants', async () => {
    await s.client.open(flags, FLAGS_TS);
    const p = positionOf(FLAGS_TS, "'beta-banner'", 3);
    const r = await s.client.request('textDocument/references', { textDocument: { uri: uriOf(flags) }, position: p, context: { includeDeclaration: true } });
    const where = r.map((l: any) => `${l.uri.split('/').pop()}:${l.range.start.line}`).sort();
    assert.deepEqual(where, [`app.tsx:${positionOf(APP_TSX, 'FLAGS.BANNER').line}`, `flags.ts:${p.line}`]);
  });

  it('renames a key across the workspace: literals and the constant value', async () => {
    const p = positionOf(APP_TSX, 'FLAGS.BANNER', 8);
    const prep = await s.client.request('textDocument/prepareRename', { textDocument: { uri: uriOf(app) }, position: p });
    assert.equal(prep.placeholder, 'beta-banner');
    const edit = await s.client.request('textDocument/rename', { textDocument: { uri: uriOf(app) }, position: p, newName: 'beta-banner-v2' });
    const flagEdits = edit.changes[uriOf(flags)];
    assert.equal(flagEdits.length, 1);
    assert.deepEqual(flagEdits[0].range.start, positionOf(FLAGS_TS, "'beta-banner'", 1));
    assert.equal(flagEdits[0].newText, 'beta-banner-v2');
    assert.equal(edit.changes[uriOf(app)], undefined, 'the reference FLAGS.BANNER itself is not text-edited');
    await assert.rejects(s.client.request('textDocument/rename', { textDocument: { uri: uriOf(app) }, position: p, newName: 'no spaces' }), /not a valid flag key/);
  });

  it('refuses to rename a dynamic key or a non-key', async () => {
    const dyn = positionOf(APP_TSX, '`flag-', 2);
    await assert.rejects(s.client.request('textDocument/prepareRename', { textDocument: { uri: uriOf(app) }, position: dyn }), /computed at run time/);
    const none = positionOf(APP_TSX, 'return [', 2);
    await assert.rejects(s.client.request('textDocument/prepareRename', { textDocument: { uri: uriOf(app) }, position: none }), /flag key/);
  });

  it('lists document and workspace symbols', async () => {
    const doc = await s.client.request('textDocument/documentSymbol', { textDocument: { uri: uriOf(app) } });
    assert.ok(doc.some((d: any) => d.name === 'new-checkout' && /active/.test(d.detail)));
    const ws = await s.client.request('workspace/symbol', { query: 'pric' });
    assert.deepEqual(ws.map((w: any) => w.name), ['pricing-test']);
    assert.equal(ws[0].location.uri, uriOf(flags));
  });

  it('answers posthog/report with rows and usages', async () => {
    const r = await s.client.request('posthog/report', {});
    const row = r.flags.find((f: any) => f.key === 'new-checkout');
    assert.equal(row.state, 'active');
    assert.equal(row.inPostHog, true);
    assert.equal(row.usageCount, 1);
    assert.equal(row.usages[0].uri, uriOf(app));
    assert.equal(row.url, `${s.fake.url}/project/1/feature_flags/1`);
    const missing = r.flags.find((f: any) => f.key === 'new-chekout');
    assert.equal(missing.state, 'missing');
    const who = await s.client.request('posthog/whoami', {});
    assert.equal(who.ok, true);
    assert.equal(who.user.email, 'dev@acme.com');
    assert.equal(who.project.id, 1);
  });
});
