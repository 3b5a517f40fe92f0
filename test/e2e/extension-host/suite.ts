// Runs INSIDE the real VS Code extension host (code-server), with the demo
// workspace open and the fake PostHog at $PHF_FAKE_URL. mocha TDD ui.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_HOST_CASES as CASES } from './cases';

const EXTENSION_ID = 'posthog-flags.posthog-flags';
const FAKE_URL = process.env.PHF_FAKE_URL ?? '';
const FAKE_KEY = process.env.PHF_FAKE_KEY ?? '';
const PROJECT_ID = process.env.PHF_FAKE_PROJECT ?? '1';

interface TestApi {
  ctx: {
    identity?: { user: { email: string }; project: { name: string } };
    lastConfirmation?: { message: string; detail: string; loud: boolean; confirmLabel: string };
    status: { state: string };
    lastChangeNotices: Array<{ key?: string; severity: string; message: string; actions: string[] }>;
    source: { kind: string };
    canWrite(): boolean;
    restart(): Promise<void>;
    extensionContext: vscode.ExtensionContext;
  };
}

let api: TestApi | undefined;
let signedIn = false;

async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function demoUri(path: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the demo folder is open');
  return vscode.Uri.joinPath(folder.uri, path);
}

async function openDemo(path: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(demoUri(path));
  await vscode.window.showTextDocument(doc);
  return doc;
}

function positionOf(doc: vscode.TextDocument, text: string, offsetInText = 1): vscode.Position {
  const at = doc.getText().indexOf(text);
  assert.ok(at >= 0, `${text} in ${doc.uri.path}`);
  return doc.positionAt(at + offsetInText);
}

interface FakeFlag {
  id: number;
  key: string;
  active: boolean;
  deleted: boolean;
  filters: { groups: Array<{ rollout_percentage: number | null; properties: unknown[] }> };
}

async function fakeFlag(key: string): Promise<FakeFlag | undefined> {
  const r = await fetch(`${FAKE_URL}/api/projects/${PROJECT_ID}/feature_flags/?limit=500`, { headers: { Authorization: `Bearer ${FAKE_KEY}` } });
  const body = (await r.json()) as { results: FakeFlag[] };
  return body.results.find((f) => f.key === key);
}

/** Runs a command while confirmations answer `answer`; returns the confirmation it asked (undefined when none). */
async function withConfirmation(answer: 'yes' | 'no', run: () => Thenable<unknown>): Promise<{ message: string; loud: boolean; confirmLabel: string } | undefined> {
  api!.ctx.lastConfirmation = undefined;
  process.env.POSTHOG_FLAGS_TEST_AUTO_CONFIRM = answer;
  await run();
  return api!.ctx.lastConfirmation;
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

function requireSignIn(): void {
  if (!signedIn) throw new Error('not signed in (the sign-in test failed), so the language server has no flags');
}

suite('PostHog Flags in the VS Code extension host', () => {
  test(CASES.activation, async () => {
    assert.ok(FAKE_URL.startsWith('http://127.0.0.1:'), 'the driver passed the fake PostHog URL');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    await openDemo('web/src/pages/Checkout.tsx');
    await waitFor('activation on a typescriptreact file', 20000, () => ext.isActive || undefined);
    api = ext.exports as TestApi;
    assert.ok(api?.ctx, 'the test API is exported in test mode');
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['posthogFlags.signIn', 'posthogFlags.toggleFlag', 'posthogFlags.createFlag', 'posthogFlags.refresh', 'posthogFlags.showFlagUsages', 'posthogFlags.copyKey', 'posthogFlags.openInPostHog']) {
      assert.ok(commands.includes(id), id);
    }
  });

  test(CASES.noKeyInSettings, async () => {
    const section = vscode.workspace.getConfiguration('posthog');
    const dump = JSON.stringify(section);
    assert.ok(!/phx_/.test(dump), 'no phx_ key in the posthog settings');
    assert.equal(section.get('personalApiKey'), undefined);
  });

  test(CASES.noSourceNoWrites, async () => {
    assert.equal(api?.ctx.source.kind, 'none', 'no key and no flagsFile: no flag source');
    assert.equal(api?.ctx.canWrite(), false);
    const confirmation = await withConfirmation('yes', () => vscode.commands.executeCommand('posthogFlags.toggleFlag', { key: 'search-v2', active: false }));
    assert.equal(confirmation, undefined, 'no confirmation: the command stops before asking');
    assert.equal((await fakeFlag('search-v2'))?.active, true, 'nothing sent');
  });

  test(CASES.signIn, async () => {
    const ok = await vscode.commands.executeCommand<boolean>('posthogFlags.signIn', { host: FAKE_URL, key: FAKE_KEY });
    assert.equal(ok, true, `sign-in succeeded (status: ${JSON.stringify(api?.ctx.status)})`);
    assert.equal(api?.ctx.identity?.user.email, 'dev@acme.com');
    signedIn = true;
    const configured = vscode.workspace.getConfiguration('posthog').get<string>('host');
    assert.equal(configured, FAKE_URL);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('posthog')).includes(FAKE_KEY), 'the key is not in settings');
  });

  test(CASES.projectName, async () => {
    requireSignIn();
    const ctx = api!.ctx;
    const stored = ctx.extensionContext.workspaceState.get<{ identity: { project: { name: string } } }>('posthog.identity');
    assert.equal(stored?.identity.project.name, 'Demo shop');
    assert.ok(!JSON.stringify(stored).includes(FAKE_KEY), 'no key in workspaceState');
    // As after a reload: nothing in memory, the server restarted; the name is there before any whoami answers.
    ctx.identity = undefined;
    await ctx.restart();
    const remembered = (api!.ctx as TestApi['ctx']).identity; // read again: restart() set it
    assert.equal(remembered?.project.name, 'Demo shop');
    assert.equal(ctx.canWrite(), true);
    await waitFor('the restarted server to report ok', 30000, () => (ctx.status.state === 'ok' ? true : undefined));
  });

  test(CASES.hover, async () => {
    requireSignIn();
    const hoverAt = async (path: string, text: string, offset: number, expected: RegExp) => {
      const doc = await openDemo(path);
      const position = positionOf(doc, text, offset);
      let last = '';
      return waitFor(`a PostHog hover matching ${expected} in ${path}`, 45000, async () => {
        const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position)) ?? [];
        last = `${hovers.length} hovers at ${position.line}:${position.character}: ${hoverText(hovers)}`;
        return expected.test(last) ? last : undefined;
      }).catch((error: Error) => {
        throw new Error(`${error.message}; last hover: ${JSON.stringify(last)}`);
      });
    };
    // A literal key: the flag and its rollout.
    const literal = await hoverAt('web/src/pages/Checkout.tsx', "'new-checkout'", 3, /new-checkout/);
    assert.match(literal, /\d+%/);
    // A key through an enum member; its release condition names a cohort.
    const viaEnum = await hoverAt('web/src/pages/Dashboard.tsx', 'GrowthFlag.BetaDashboard', 14, /Beta testers/);
    assert.match(viaEnum, /beta-dashboard/);
  });

  test(CASES.swift, async () => {
    requireSignIn();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const ctx = (ext.exports as { ctx: { status: { state: string }; client?: { isRunning(): boolean } } }).ctx;
    const doc = await openDemo('mobile/ios/HolidayBanner.swift');
    const position = positionOf(doc, '"holiday-banner"', 3);
    const swiftHover = () =>
      waitFor('a PostHog hover on holiday-banner in the Swift file', 45000, async () => {
        const text = hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position)) ?? []);
        return /holiday-banner/.test(text) ? text : undefined;
      });
    await swiftHover();
    // The server died 15–30 s after parsing Swift on Node 24 (code-server's Node): watch it for 30 s.
    const until = Date.now() + 30000;
    while (Date.now() < until) {
      assert.ok(ctx.client?.isRunning(), `the language server is running (status: ${JSON.stringify(ctx.status)})`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await swiftHover();
  });

  test(CASES.kotlinPlainText, async () => {
    requireSignIn();
    assert.equal(vscode.extensions.all.some((e) => (e.packageJSON?.contributes?.languages ?? []).some((l: { id?: string }) => l.id === 'kotlin')), false, 'no extension contributes Kotlin');
    const doc = await openDemo('mobile/android/app/src/main/java/com/acme/shop/ExportScreen.kt');
    assert.equal(doc.languageId, 'plaintext', 'VS Code opens .kt as Plain Text here');
    const position = positionOf(doc, '"legacy-export"', 3);
    const text = await waitFor('a PostHog hover on legacy-export in the .kt file', 45000, async () => {
      const t = hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position)) ?? []);
      return /legacy-export/.test(t) ? t : undefined;
    });
    assert.match(text, /disabled/i);
  });

  test(CASES.enableEveryone, async () => {
    requireSignIn();
    assert.equal((await fakeFlag('legacy-export'))?.active, false, 'legacy-export starts disabled');
    const asked = await withConfirmation('no', () => vscode.commands.executeCommand('posthogFlags.toggleFlag', { key: 'legacy-export', active: true }));
    assert.ok(asked, 'a confirmation was asked');
    assert.equal(asked.loud, true, 'a warning, not an informational dialog');
    assert.match(asked.message, /legacy-export.*EVERYONE/);
    assert.equal(asked.confirmLabel, 'Enable for EVERYONE');
    assert.equal((await fakeFlag('legacy-export'))?.active, false, 'declined: still disabled');
  });

  test(CASES.changeRollout, async () => {
    requireSignIn();
    const before = await fakeFlag('recommendations-widget');
    assert.equal(before?.filters.groups.length, 1, 'one release condition');
    assert.equal(before?.filters.groups[0].rollout_percentage, 25);
    const loud = await withConfirmation('no', () => vscode.commands.executeCommand('posthogFlags.changeRollout', { key: 'recommendations-widget', rolloutPercentage: 100 }));
    assert.equal(loud?.loud, true);
    assert.match(loud?.message ?? '', /EVERYONE/);
    assert.equal((await fakeFlag('recommendations-widget'))?.filters.groups[0].rollout_percentage, 25, 'declined: unchanged');
    const quiet = await withConfirmation('yes', () => vscode.commands.executeCommand('posthogFlags.changeRollout', { key: 'recommendations-widget', rolloutPercentage: 40 }));
    assert.equal(quiet?.loud, false);
    assert.match(quiet?.message ?? '', /from 25% to 40%/);
    await waitFor('the new rollout in the fake PostHog', 15000, async () => ((await fakeFlag('recommendations-widget'))?.filters.groups[0].rollout_percentage === 40 ? true : undefined));
  });

  test(CASES.diagnostics, async () => {
    requireSignIn();
    const doc = await openDemo('web/src/components/CartSummary.tsx');
    const diagnostic = await waitFor('missing-flag on new-chekout', 45000, () =>
      vscode.languages.getDiagnostics(doc.uri).find((d) => d.source === 'posthog' && codeOf(d) === 'missing-flag'),
    );
    assert.equal(doc.getText(diagnostic.range), 'new-chekout');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostic.message, /new-checkout/);
  });

  test(CASES.createQuickFix, async () => {
    requireSignIn();
    const doc = await openDemo('web/src/components/CartSummary.tsx');
    const diagnostic = await waitFor('missing-flag on new-chekout', 45000, () =>
      vscode.languages.getDiagnostics(doc.uri).find((d) => d.source === 'posthog' && codeOf(d) === 'missing-flag'),
    );
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    const create = actions.find((a) => /create/i.test(a.title) && a.command);
    assert.ok(create?.command, `a create quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(await fakeFlag('new-chekout'), undefined, 'not in PostHog before');
    process.env.POSTHOG_FLAGS_TEST_AUTO_CONFIRM = 'yes';
    await vscode.commands.executeCommand(create.command.command, ...(create.command.arguments ?? []));
    const created = await waitFor('the flag in the fake PostHog', 15000, () => fakeFlag('new-chekout'));
    assert.equal(created.key, 'new-chekout');
    await waitFor('the missing-flag diagnostic to go', 30000, () =>
      vscode.languages.getDiagnostics(doc.uri).every((d) => !(d.source === 'posthog' && codeOf(d) === 'missing-flag')) || undefined,
    );
  });

  test(CASES.toggle, async () => {
    requireSignIn();
    const before = await fakeFlag('search-v2');
    assert.equal(before?.active, true, 'search-v2 starts active');
    process.env.POSTHOG_FLAGS_TEST_AUTO_CONFIRM = 'no';
    await vscode.commands.executeCommand('posthogFlags.toggleFlag', { key: 'search-v2', active: false });
    assert.match(api?.ctx.lastConfirmation?.message ?? '', /Disable.*search-v2/);
    assert.match(api?.ctx.lastConfirmation?.detail ?? '', /50%/);
    assert.equal((await fakeFlag('search-v2'))?.active, true, 'declined: still active');
    process.env.POSTHOG_FLAGS_TEST_AUTO_CONFIRM = 'yes';
    await vscode.commands.executeCommand('posthogFlags.toggleFlag', { key: 'search-v2', active: false });
    await waitFor('search-v2 disabled in the fake PostHog', 15000, async () => ((await fakeFlag('search-v2'))?.active === false ? true : undefined));
  });

  test(CASES.report, async () => {
    requireSignIn();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const ctx = (ext.exports as { ctx: { sendRequest<R>(m: string, p: unknown): Promise<R> } }).ctx;
    const report = await waitFor('a report with the demo flags', 30000, async () => {
      const r = await ctx.sendRequest<{ flags: Array<{ key: string; state: string; inCode: boolean; inPostHog: boolean }> }>('posthog/report', {});
      return r.flags.some((f) => f.key === 'new-checkout') ? r : undefined;
    });
    const byKey = new Map(report.flags.map((f) => [f.key, f]));
    assert.equal(byKey.get('new-checkout')?.inCode, true);
    assert.equal(byKey.get('new-checkout')?.state, 'active');
    assert.equal(byKey.get('legacy-export')?.state, 'disabled');
  });

  test(CASES.changeAlert, async () => {
    requireSignIn();
    const flag = await fakeFlag('new-checkout');
    assert.ok(flag, 'new-checkout is in the fake PostHog');
    // Someone releases it to everyone in PostHog (not through the extension).
    const r = await fetch(`${FAKE_URL}/api/projects/${PROJECT_ID}/feature_flags/${flag.id}/`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${FAKE_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ filters: { groups: [{ properties: [], rollout_percentage: 100, variant: null }], payloads: {} } }),
    });
    assert.equal(r.status, 200);
    await vscode.commands.executeCommand('posthogFlags.refresh');
    const notices = await waitFor('a change notification for new-checkout', 20000, () => {
      const mine = api?.ctx.lastChangeNotices.filter((n) => n.key === 'new-checkout') ?? [];
      return mine.length ? mine : undefined;
    });
    assert.equal(notices.length, 1, 'one notification for the flag');
    assert.equal(notices[0].severity, 'warning');
    assert.match(notices[0].message, /new-checkout.*released to everyone/);
    assert.deepEqual(notices[0].actions, ['Show Usages', 'Open in PostHog']);
  });

  test(CASES.snapshotReadOnly, async () => {
    requireSignIn();
    const ctx = api!.ctx;
    const ok = await vscode.commands.executeCommand<boolean>('posthogFlags.useFlagsFile', demoUri('posthog-flags.json'));
    assert.equal(ok, true);
    assert.equal(vscode.workspace.getConfiguration('posthog').get('flagsFile'), 'posthog-flags.json', 'stored relative to the folder');
    await waitFor('the server restarted on the snapshot', 30000, () => (ctx.source.kind === 'file' && ctx.status.state === 'ok' ? true : undefined));
    assert.equal(ctx.canWrite(), false);
    const before = (await fakeFlag('ai-assistant'))?.active;
    const asked = await withConfirmation('yes', () => vscode.commands.executeCommand('posthogFlags.toggleFlag', { key: 'ai-assistant', active: !before }));
    assert.equal(asked, undefined, 'refused before any confirmation');
    assert.equal((await fakeFlag('ai-assistant'))?.active, before, 'nothing sent');
  });
});

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}
