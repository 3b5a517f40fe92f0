// The committed grammar is what scripts/gen-grammar.mjs makes from the SDK-call
// table: adding a row to sdk-calls.ts without `npm run gen:grammar` fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SDK_CALLS } from '../../server/src/core/sdk-calls';

const root = join(__dirname, '..', '..');

describe('generated injection grammar', () => {
  it('is up to date with server/src/core/sdk-calls.ts (run `npm run gen:grammar`)', async () => {
    const gen = (await import(pathToFileURL(join(root, 'scripts', 'gen-grammar.mjs')).href)) as { generateGrammarText(): Promise<string> };
    const expected = await gen.generateGrammarText();
    const actual = readFileSync(join(root, 'syntaxes', 'posthog-flags.injection.tmLanguage.json'), 'utf8');
    assert.equal(actual, expected);
  });

  it('names every JS call whose key is the first argument', () => {
    const grammar = readFileSync(join(root, 'syntaxes', 'posthog-flags.injection.tmLanguage.json'), 'utf8');
    const names = SDK_CALLS.filter((c) => c.families.includes('js') && c.key.form === 'arg' && c.key.arg === 0).map((c) => c.name);
    assert.ok(names.length > 10);
    for (const name of names) assert.match(grammar, new RegExp(`[(|]${name}[|)]`), name);
  });

  it('is injected into the grammars package.json declares', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const grammar = JSON.parse(readFileSync(join(root, 'syntaxes', 'posthog-flags.injection.tmLanguage.json'), 'utf8'));
    const contributed = pkg.contributes.grammars.find((g: { scopeName: string }) => g.scopeName === grammar.scopeName);
    assert.ok(contributed, 'grammar contributed');
    for (const scope of ['source.js', 'source.ts', 'source.tsx', 'source.js.jsx']) {
      assert.ok(contributed.injectTo.includes(scope), scope);
      assert.ok(grammar.injectionSelector.includes(`L:${scope} `), scope);
    }
  });
});
