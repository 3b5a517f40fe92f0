import assert from 'node:assert/strict';
import { join } from 'node:path';
import { uriOf } from '../support/lsp-client';
import { APP_TSX, STANDARD_FILES } from './fixtures';
import { positionOf, rawFlag, standardFlags, startSession, type Session } from './helpers';

const byCode = (diags: any[], code: string) => diags.filter((d) => d.code === code);

describe('language server: diagnostics, code actions and commands', () => {
  let s: Session;
  let app: string;
  const other = "import posthog from 'posthog-js';\nexport const x = posthog.isFeatureEnabled('new-checkout') && posthog.isFeatureEnabled('retired-flag');\n";
  before(async () => {
    s = await startSession({ files: { ...STANDARD_FILES, 'src/other.ts': other }, flags: [...standardFlags(), rawFlag(7, 'retired-flag')] });
    app = join(s.dir, 'src/app.tsx');
  });
  after(async () => s?.dispose());

  it('publishes every code for files that are not open, with source, ranges and related information', async () => {
    const d = await s.client.waitForDiagnostics(app, (d) => d.length >= 4);
    assert.ok(d.every((x) => x.source === 'posthog'));
    const missing = byCode(d, 'missing-flag');
    assert.equal(missing.length, 1);
    assert.match(missing[0].message, /did you mean 'new-checkout'\?/);
    assert.equal(missing[0].severity, 1);
    const start = positionOf(APP_TSX, "'new-chekout'", 1);
    assert.deepEqual(missing[0].range, { start, end: { line: start.line, character: start.character + 'new-chekout'.length } });
    const inactive = byCode(d, 'inactive-flag');
    assert.equal(inactive[0].severity, 2);
    const ref = positionOf(APP_TSX, 'FLAGS.BANNER');
    assert.deepEqual(inactive[0].range.start, ref, 'a constant usage is ranged on the argument expression');
    assert.equal(byCode(d, 'stale-flag')[0].severity, 3);
    assert.equal(byCode(d, 'rollout-100')[0].severity, 4);
    // nothing for the dynamic key, nothing for a healthy flag
    assert.equal(d.length, 4);
    const otherDiags = s.client.diagnostics.get(uriOf(join(s.dir, 'src/other.ts')));
    assert.equal(otherDiags, undefined, 'no problems, nothing published');
  });

  it('adds related information pointing at the key in other files', async () => {
    await s.client.open(app, APP_TSX);
    const edited = APP_TSX.replace("isFeatureEnabled('old-flag')", "isFeatureEnabled('retired-flag')");
    s.fake.project(1).flags.find((f) => f.key === 'retired-flag')!.active = false;
    await s.client.executeRefresh();
    await s.client.change(app, edited);
    const d = await s.client.waitForDiagnostics(app, (d) => d.some((x) => x.message.includes('retired-flag')));
    const retired = d.find((x) => x.message.includes('retired-flag'))!;
    assert.equal(retired.code, 'inactive-flag');
    assert.equal(retired.relatedInformation?.[0].location.uri, uriOf(join(s.dir, 'src/other.ts')));
    await s.client.change(app, APP_TSX);
  });

  it('reports a flag deleted in PostHog as deleted-flag', async () => {
    s.fake.project(1).flags.find((f) => f.key === 'retired-flag')!.deleted = true;
    await s.client.executeRefresh();
    const d = await s.client.waitForDiagnostics(join(s.dir, 'src/other.ts'), (d) => d.some((x) => x.code === 'deleted-flag'));
    assert.match(d.find((x) => x.code === 'deleted-flag')!.message, /retired-flag/);
  });

  it('debounces diagnostics while typing', async () => {
    const before = s.client.publishCount.get(uriOf(app)) ?? 0;
    let text = APP_TSX;
    for (let i = 0; i < 10; i++) {
      text = text.replace("'new-chekout'", `'new-chekout${i}'`).replace(`'new-chekout${i - 1}'`, `'new-chekout${i}'`);
      await s.client.change(app, text);
    }
    await s.client.waitForDiagnostics(app, (d) => d.some((x) => x.message.includes("'new-chekout9'")));
    const published = (s.client.publishCount.get(uriOf(app)) ?? 0) - before;
    assert.ok(published <= 2, `10 quick edits gave ${published} publishes`);
    await s.client.change(app, APP_TSX);
    await s.client.waitForDiagnostics(app, (d) => d.some((x) => x.message.includes("'new-chekout'")));
  });

  it('offers create and did-you-mean quick fixes on a missing flag', async () => {
    const d = await s.client.waitForDiagnostics(app, (d) => d.some((x) => x.code === 'missing-flag'));
    const missing = d.find((x) => x.code === 'missing-flag')!;
    const actions = await s.client.request('textDocument/codeAction', { textDocument: { uri: uriOf(app) }, range: missing.range, context: { diagnostics: [missing] } });
    const create = actions.find((a: any) => a.title === "Create feature flag 'new-chekout' in PostHog");
    assert.equal(create.kind, 'quickfix');
    assert.deepEqual(create.command, { title: 'Create feature flag', command: 'posthog.createFlag', arguments: [{ key: 'new-chekout' }] });
    const change = actions.find((a: any) => a.title === "Change to 'new-checkout'");
    assert.deepEqual(change.edit.changes[uriOf(app)], [{ range: missing.range, newText: 'new-checkout' }]);
    assert.equal(change.isPreferred, true);
  });

  it('offers open and toggle on an existing flag', async () => {
    const p = positionOf(APP_TSX, "'new-checkout'", 2);
    const actions = await s.client.request('textDocument/codeAction', { textDocument: { uri: uriOf(app) }, range: { start: p, end: p }, context: { diagnostics: [] } });
    const titles = actions.map((a: any) => a.title);
    assert.ok(titles.includes("Disable feature flag 'new-checkout' in PostHog"), titles.join());
    assert.ok(titles.includes("Open 'new-checkout' in PostHog"));
    const opened = await s.client.request('workspace/executeCommand', { command: 'posthog.openInPostHog', arguments: [{ key: 'new-checkout' }] });
    assert.equal(opened.url, `${s.fake.url}/project/1/feature_flags/1`);
  });

  it('creates the flag end to end: POST, refresh, the missing-flag diagnostic gone', async () => {
    const created = await s.client.request('workspace/executeCommand', { command: 'posthog.createFlag', arguments: [{ key: 'new-chekout' }] });
    assert.equal(created.key, 'new-chekout');
    assert.equal(created.active, false);
    const posts = s.fake.requests(/feature_flags\/$/, 'POST');
    assert.equal(posts.length, 1);
    assert.equal((posts[0].body as any).key, 'new-chekout');
    const d = await s.client.waitForDiagnostics(app, (d) => !d.some((x) => x.code === 'missing-flag'));
    assert.ok(d.some((x) => x.code === 'inactive-flag' && x.message.includes('new-chekout')), 'created disabled');
  });

  it('turns a PostHog refusal into a ResponseError with its detail', async () => {
    await assert.rejects(
      s.client.request('workspace/executeCommand', { command: 'posthog.createFlag', arguments: [{ key: 'new-checkout' }] }),
      (e: any) => /Feature flag 'new-checkout' already exists in project 1: nothing was created/.test(e.message),
    );
    // A key the server cannot see (PostHog's internal flags are not listed): PostHog refuses, and its detail is quoted.
    s.fake.project(1).flags.push({ id: 990, key: 'internal-key', name: '', active: true, deleted: false, filters: { groups: [] }, version: 1, _internal: true });
    await assert.rejects(
      s.client.request('workspace/executeCommand', { command: 'posthog.createFlag', arguments: [{ key: 'internal-key' }] }),
      (e: any) => /PostHog refused to create flag 'internal-key': There is already a feature flag with this key/.test(e.message),
    );
    await assert.rejects(s.client.request('workspace/executeCommand', { command: 'posthog.createFlag', arguments: [{ key: 'bad key!' }] }), /Only letters, numbers/);
    await assert.rejects(s.client.request('workspace/executeCommand', { command: 'posthog.nope', arguments: [{}] }), /Unknown command/);
  });

  it('toggles a flag and republishes', async () => {
    const r = await s.client.request('workspace/executeCommand', { command: 'posthog.toggleFlag', arguments: [{ key: 'beta-banner', active: true }] });
    assert.deepEqual(r, { key: 'beta-banner', active: true, version: 2 });
    assert.equal(s.fake.requests(/feature_flags\/2\/$/, 'PATCH').length, 1);
    await s.client.waitForDiagnostics(app, (d) => !d.some((x) => x.code === 'inactive-flag' && x.message.includes('beta-banner')));
  });

  it('returns the usages of a flag with posthog.flagUsages', async () => {
    const locations = await s.client.request('workspace/executeCommand', { command: 'posthog.flagUsages', arguments: [{ key: 'new-checkout' }] });
    assert.deepEqual(locations.map((l: any) => l.uri).sort(), [uriOf(app), uriOf(join(s.dir, 'src/other.ts'))].sort());
  });
});

describe('language server: diagnostics settings', () => {
  it('honours severities and the openFiles scope, and refers to client commands when the client has them', async () => {
    const s = await startSession({
      files: STANDARD_FILES,
      initializationOptions: { clientCommands: true, severity: { 'missing-flag': 'warning', 'rollout-100': 'off' }, diagnostics: { scope: 'openFiles' } },
    });
    try {
      const app = join(s.dir, 'src/app.tsx');
      await s.client.open(app, APP_TSX);
      const d = await s.client.waitForDiagnostics(app, (d) => d.length > 0);
      assert.equal(d.find((x) => x.code === 'missing-flag')!.severity, 2);
      assert.equal(d.filter((x) => x.code === 'rollout-100').length, 0);
      const missing = d.find((x) => x.code === 'missing-flag')!;
      const actions = await s.client.request('textDocument/codeAction', { textDocument: { uri: uriOf(app) }, range: missing.range, context: { diagnostics: [missing] } });
      assert.equal(actions[0].command.command, 'posthogFlags.createFlag');
      assert.deepEqual(actions[0].command.arguments, [{ key: 'new-chekout' }]);
      await s.client.close(app);
      await s.client.waitForDiagnostics(app, (d) => d.length === 0);
    } finally {
      await s.dispose();
    }
  });
});
