import assert from 'node:assert/strict';
import { join } from 'node:path';
import { defaultClientCapabilities, uriOf } from '../support/lsp-client';
import { positionOf, standardFlags, startSession, type Session } from './helpers';

/** Applies LSP TextEdits (non-overlapping) to a text. */
function applyEdits(text: string, edits: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }) => starts[p.line] + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => off(b.range.start) - off(a.range.start))) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

const BANNER = `import posthog from 'posthog-js';

export function banner(): string {
  // Everyone has had the new banner for a month.
  if (posthog.isFeatureEnabled('everyone-gets-it')) {
    return 'new';
  }
  return 'old';
}
`;
const OTHER = `import posthog from 'posthog-js';

export const label = posthog.isFeatureEnabled('everyone-gets-it') ? 'a' : 'b';
export const shown = () => (posthog.isFeatureEnabled('beta-banner') ? 'on' : 'off');
`;

const SVC_PY = `import posthog


def banner(user_id):
    if posthog.feature_enabled("everyone-gets-it", user_id):
        return "new"
    return "old"
`;

describe('language server: remove a flag from the code (cleanup code action)', () => {
  let s: Session;
  let banner: string;
  before(async () => {
    s = await startSession({ files: { 'src/banner.ts': BANNER, 'src/other.ts': OTHER, 'src/svc.py': SVC_PY }, flags: standardFlags() });
    banner = join(s.dir, 'src/banner.ts');
  });
  after(async () => s?.dispose());

  it('offers refactor.rewrite and a quick fix on rollout-100, whose edit rewrites every file of the folder', async () => {
    const d = await s.client.waitForDiagnostics(banner, (d) => d.some((x) => x.code === 'rollout-100'));
    const rollout = d.find((x) => x.code === 'rollout-100')!;
    const actions = await s.client.request('textDocument/codeAction', { textDocument: { uri: uriOf(banner) }, range: rollout.range, context: { diagnostics: [rollout] } });
    const title = "Remove flag 'everyone-gets-it' from the code (keep the enabled code)";
    const mine = actions.filter((a: any) => a.title === title);
    assert.deepEqual(mine.map((a: any) => a.kind).sort(), ['quickfix', 'refactor.rewrite']);
    assert.deepEqual(mine.find((a: any) => a.kind === 'quickfix').diagnostics, [rollout]);
    const changes = mine[0].edit.changes;
    assert.deepEqual(Object.keys(changes).sort(), [uriOf(banner), uriOf(join(s.dir, 'src/other.ts')), uriOf(join(s.dir, 'src/svc.py'))].sort());
    assert.equal(applyEdits(SVC_PY, changes[uriOf(join(s.dir, 'src/svc.py'))]), 'import posthog\n\n\ndef banner(user_id):\n    return "new"\n');
    assert.equal(applyEdits(BANNER, changes[uriOf(banner)]), "export function banner(): string {\n  // Everyone has had the new banner for a month.\n  return 'new';\n}\n");
    assert.equal(applyEdits(OTHER, changes[uriOf(join(s.dir, 'src/other.ts'))]), "import posthog from 'posthog-js';\n\nexport const label = 'a';\nexport const shown = () => (posthog.isFeatureEnabled('beta-banner') ? 'on' : 'off');\n");
  });

  it('keeps the disabled code for a disabled flag; only: refactor gives the refactor alone; a healthy flag has none', async () => {
    const other = join(s.dir, 'src/other.ts');
    const p = positionOf(OTHER, "'beta-banner'", 2);
    const actions = await s.client.request('textDocument/codeAction', { textDocument: { uri: uriOf(other) }, range: { start: p, end: p }, context: { diagnostics: [], only: ['refactor'] } });
    assert.deepEqual(actions.map((a: any) => [a.title, a.kind]), [["Remove flag 'beta-banner' from the code (keep the disabled code)", 'refactor.rewrite']]);
    const text = applyEdits(OTHER, actions[0].edit.changes[uriOf(other)]);
    assert.ok(text.endsWith("export const shown = () => 'off';\n"), text);
  });
});

describe('language server: the cleanup edit asks for a preview where the client can show one', () => {
  it('with change annotations, every file is a documentChange under one annotation that needs confirmation (VS Code: refactor preview)', async () => {
    const caps = defaultClientCapabilities();
    caps.workspace.workspaceEdit = { documentChanges: true, changeAnnotationSupport: { groupsOnLabel: true } };
    const s = await startSession({ files: { 'src/banner.ts': BANNER, 'src/svc.py': SVC_PY }, flags: standardFlags(), capabilities: caps });
    try {
      const banner = join(s.dir, 'src/banner.ts');
      const d = await s.client.waitForDiagnostics(banner, (d) => d.some((x) => x.code === 'rollout-100'));
      const rollout = d.find((x) => x.code === 'rollout-100')!;
      const actions = await s.client.request('textDocument/codeAction', { textDocument: { uri: uriOf(banner) }, range: rollout.range, context: { diagnostics: [rollout], only: ['refactor.rewrite'] } });
      const edit = actions.find((a: any) => a.title.startsWith("Remove flag 'everyone-gets-it'")).edit;
      assert.equal(edit.changes, undefined);
      assert.deepEqual(edit.documentChanges.map((c: any) => c.textDocument.uri).sort(), [uriOf(banner), uriOf(join(s.dir, 'src/svc.py'))].sort());
      const ids = new Set(edit.documentChanges.flatMap((c: any) => c.edits.map((e: any) => e.annotationId)));
      assert.deepEqual([...ids], ['posthog.cleanup']);
      assert.equal(edit.changeAnnotations['posthog.cleanup'].needsConfirmation, true);
      assert.match(edit.changeAnnotations['posthog.cleanup'].label, /Remove flag 'everyone-gets-it' from the code/);
      const bannerEdit = edit.documentChanges.find((c: any) => c.textDocument.uri === uriOf(banner));
      // the posthog import goes too: nothing else in the file uses it now
      assert.equal(applyEdits(BANNER, bannerEdit.edits), "export function banner(): string {\n  // Everyone has had the new banner for a month.\n  return 'new';\n}\n");
    } finally {
      await s.dispose();
    }
  });
});
