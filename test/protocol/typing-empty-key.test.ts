// Typing a key from nothing: `useFeatureFlagEnabled('` → `('')` → `('n')` …
// Every step answers documentSymbol, hover and codeAction without
// an error, and an empty key is never a symbol or a diagnostic (VS Code
// rejects a document symbol with an empty name).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { uriOf } from '../support/lsp-client';
import { APP_TSX, STANDARD_FILES } from './fixtures';
import { positionOf, startSession, type Session } from './helpers';

describe('language server: typing a key, from an empty string', () => {
  let s: Session;
  before(async () => {
    s = await startSession({ files: { ...STANDARD_FILES, 'svc/app.py': 'import posthog\n' } });
  });
  after(async () => s?.dispose());

  async function everyRequest(file: string, text: string, at: { line: number; character: number }): Promise<void> {
    const textDocument = { uri: uriOf(file) };
    const symbols = await s.client.request('textDocument/documentSymbol', { textDocument });
    for (const sym of symbols ?? []) assert.ok(sym.name.trim() !== '', `a symbol with an empty name in ${JSON.stringify(text.slice(-60))}: ${JSON.stringify(sym)}`);
    await s.client.hover(file, at.line, at.character);
    const range = { start: { line: at.line, character: 0 }, end: at };
    await s.client.request('textDocument/codeAction', { textDocument, range, context: { diagnostics: [] } });
  }

  it('TSX: each keystroke of useFeatureFlagEnabled(\'new-checkout\') answers every request; no empty symbol', async () => {
    const app = join(s.dir, 'src/app.tsx');
    await s.client.open(app, APP_TSX);
    const call = "const typed = useFeatureFlagEnabled('new-checkout');";
    const from = call.indexOf("('") + 1;
    for (let end = from; end <= call.length; end++) {
      const partial = call.slice(0, end);
      const text = APP_TSX.replace('  return [', `  ${partial}\n  return [`);
      await s.client.change(app, text);
      await everyRequest(app, partial, positionOf(text, partial, partial.length));
    }
    // The empty string closed, nothing after it: no usage at all for it.
    const empty = APP_TSX.replace('  return [', "  const typed = useFeatureFlagEnabled('');\n  return [");
    await s.client.change(app, empty);
    const symbols = await s.client.request('textDocument/documentSymbol', { textDocument: { uri: uriOf(app) } });
    assert.deepEqual(symbols.map((x: any) => x.name).sort(), ['beta-banner', 'cohort-flag', 'everyone-gets-it', 'new-checkout', 'new-chekout', 'old-flag', 'pricing-test']);
    const line = positionOf(empty, "useFeatureFlagEnabled('')").line;
    // Diagnostics carry no document version: a publish for an earlier keystroke
    // (a partial key on this line) may still be the latest one seen. Wait for
    // the settled state; a diagnostic that stays on the empty key times out here.
    const onLine = (d: any[]) => d.filter((x) => x.range.start.line === line);
    const diags = await s.client.waitForDiagnostics(app, (d) => d.some((x) => /new-chekout/.test(x.message)) && onLine(d).length === 0);
    assert.deepEqual(onLine(diags), [], 'no diagnostic on the empty key');
  });

  it('Python: posthog.feature_enabled(\'\' answers every request; no empty symbol', async () => {
    const py = join(s.dir, 'svc/app.py');
    await s.client.open(py, 'import posthog\n');
    for (const partial of ["posthog.feature_enabled('", "posthog.feature_enabled(''", "posthog.feature_enabled('', 'u')", "posthog.feature_enabled('n', 'u')"]) {
      const text = `import posthog\n${partial}\n`;
      await s.client.change(py, text);
      await everyRequest(py, partial, { line: 1, character: partial.length });
    }
  });
});
