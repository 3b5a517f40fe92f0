// Grammar tests: the generated injection grammar over the real TextMate
// grammars of TypeScript, TSX, JavaScript and JSX, checked by
// vscode-tmgrammar-test (vscode-textmate + oniguruma) on the case files in
// grammar-cases/ (assertions written under each line, `^ scope`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const runner = join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
const cases = join(__dirname, 'grammar-cases');
const injection = join(root, 'syntaxes', 'posthog-flags.injection.tmLanguage.json');

describe('flag-key injection grammar', function () {
  let dir: string;
  let config: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'phf-grammar-'));
    const grammars: Array<{ language?: string; scopeName: string; path: string; injectTo?: string[] }> = [];
    for (const lang of ['typescript', 'tsx', 'javascript', 'jsx']) {
      const mod = (await import(`@shikijs/langs/${lang}`)) as { default: Array<{ scopeName: string }> };
      for (const grammar of mod.default) {
        const path = join(dir, `${grammar.scopeName}.json`);
        writeFileSync(path, JSON.stringify(grammar));
        grammars.push({ language: lang, scopeName: grammar.scopeName, path: `./${grammar.scopeName}.json` });
      }
    }
    const pkg = JSON.parse((await import('node:fs')).readFileSync(join(root, 'package.json'), 'utf8'));
    const ours = pkg.contributes.grammars[0];
    grammars.push({ scopeName: ours.scopeName, path: relative(dir, injection), injectTo: ours.injectTo });
    config = join(dir, 'package.json');
    writeFileSync(config, JSON.stringify({ contributes: { languages: grammars.filter((g) => g.language).map((g) => ({ id: g.language })), grammars } }));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (glob: string) => spawnSync(process.execPath, [runner, '--compact', '--config', config, glob], { cwd: root, encoding: 'utf8' });

  for (const name of ['calls.ts.case', 'calls.tsx.case', 'calls.js.case', 'calls.jsx.case']) {
    it(`scopes keys as written in ${name}`, () => {
      const r = run(join(cases, name));
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /✓|passed/i);
    });
  }

  it('fails on a wrong expectation (the runner really checks scopes)', () => {
    const r = run(join(cases, 'wrong.ts.badcase'));
    assert.notEqual(r.status, 0, r.stdout);
    assert.match(r.stdout + r.stderr, /constant\.other\.flag-key\.posthog/);
  });
});
