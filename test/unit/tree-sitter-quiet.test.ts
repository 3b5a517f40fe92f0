/**
 * Quiet bodies for Go and Python (server/src/core/tree-sitter/quiet-bodies.ts):
 * what the lexers blank, and that a scan with blanking finds exactly what a
 * full parse finds, on the fixtures and on generated files with every kind
 * of hostile line.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { scanSource } from '../../server/src/core/index';
import { blankQuietGo, blankQuietPython } from '../../server/src/core/tree-sitter/quiet-bodies';
import { createTreeSitterRuntime, type TreeSitterRuntime } from '../../server/src/core/tree-sitter/extract';
import { loadWasmFromDir } from '../../server/src/node/tree-sitter-loader';
import { memorySource } from './index-support';

/** Offsets of `word` in `text` (the SDK-name hits the extraction would pass). */
function hitsOf(text: string, word: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) out.push(at);
  return out;
}

function visible(original: string, blanked: { text: string } | undefined): string | undefined {
  if (blanked === undefined) return undefined;
  const quiet = blanked.text;
  assert.equal(quiet.length, original.length);
  assert.deepEqual(quiet.match(/\r\n|\n|\r/g), original.match(/\r\n|\n|\r/g), 'same line ends');
  return quiet.replace(/[ \t]+$/gm, '');
}

describe('quiet bodies: Go', () => {
  it('blanks quiet function, method and block bodies; keeps the loud ones and composite literals', () => {
    const text = [
      'package flags',
      '',
      'var defaults = map[string]bool{"a": true}',
      '',
      'func (s *Service) Name() string {',
      '\treturn "svc"',
      '}',
      '',
      'func Check(c posthog.Client, id string) (bool, error) {',
      '\tif id == "" {',
      '\t\treturn false, nil',
      '\t}',
      '\treturn c.IsFeatureEnabled(posthog.FeatureFlagPayload{Key: "k", DistinctId: id})',
      '}',
    ].join('\n');
    assert.equal(
      visible(text, blankQuietGo(text, hitsOf(text, 'IsFeatureEnabled'))),
      [
        'package flags',
        '',
        'var defaults = map[string]bool{"a": true}',
        '',
        'func (s *Service) Name() string {',
        '',
        '}',
        '',
        'func Check(c posthog.Client, id string) (bool, error) {',
        '\tif id == "" {',
        '',
        ' }',
        '\treturn c.IsFeatureEnabled(posthog.FeatureFlagPayload{Key: "k", DistinctId: id})',
        '}',
      ].join('\n'),
    );
  });

  it('reads raw strings, runes and comments with braces in them; gives up on unpaired braces', () => {
    const text = 'package a\n\nfunc A() {\n\ts := `{\n}` + "}" + string(\'{\') // }\n\t/* { */\n\t_ = s\n}\n';
    assert.equal(visible(text, blankQuietGo(text, [])), 'package a\n\nfunc A() {\n\n\n\n\n}\n');
    assert.equal(blankQuietGo('package a\nfunc A() {\n', []), undefined);
  });
});

describe('quiet bodies: Python', () => {
  it('blanks quiet def bodies to `pass`, keeps class bodies, module code and loud defs', () => {
    const text = [
      'import posthog',
      '',
      "FLAG = 'module-flag'",
      '',
      'class Flags:',
      "    NEW = 'class-flag'",
      '',
      '    def helper(self, items):',
      '        """Docstring."""',
      '        return [i for i in items',
      '                if i]',
      '',
      '    def check(self, user):',
      '        return posthog.feature_enabled(self.NEW, user)',
      '',
      'def quiet(a,',
      '          b):',
      '    # comment',
      '    total = a + b',
      '    return total',
      '',
      'x = quiet(1, 2)',
    ].join('\n');
    assert.equal(
      visible(text, blankQuietPython(text, hitsOf(text, 'feature_enabled'))),
      [
        'import posthog',
        '',
        "FLAG = 'module-flag'",
        '',
        'class Flags:',
        "    NEW = 'class-flag'",
        '',
        '    def helper(self, items):',
        '        pass',
        '',
        '',
        '',
        '    def check(self, user):',
        '        return posthog.feature_enabled(self.NEW, user)',
        '',
        'def quiet(a,',
        '          b):',
        '    # comment',
        '    pass',
        '',
        '',
        'x = quiet(1, 2)',
      ].join('\n'),
    );
  });

  it('keeps one-line defs, gives up on tab indentation and unterminated strings', () => {
    assert.equal(blankQuietPython('def f(): return 1\n', []), undefined);
    assert.equal(blankQuietPython('def f():\n\treturn 1\n', []), undefined);
    assert.equal(blankQuietPython('def f():\n    s = """open\n', []), undefined);
  });
});

describe('quiet bodies (Go, Python): a scan finds exactly what a full parse finds', function () {
  this.timeout(60_000);
  let rt: TreeSitterRuntime;
  before(async () => {
    rt = await createTreeSitterRuntime(loadWasmFromDir(), ['python', 'go']);
  });

  async function bothWays(files: Record<string, string>) {
    const exact = (await scanSource(memorySource(files), { treeSitter: rt, quietBodies: false })).result;
    const quiet = (await scanSource(memorySource(files), { treeSitter: rt, quietBodies: 'always' })).result;
    return { exact, quiet };
  }

  for (const dir of ['langs/python', 'langs/go', 'real-world/python', 'real-world/go']) {
    it(`test/fixtures/${dir}`, async () => {
      const root = join(__dirname, '..', 'fixtures', dir);
      const files = Object.fromEntries(readdirSync(root).map((f) => [f, readFileSync(join(root, f), 'utf8')]));
      const { exact, quiet } = await bothWays(files);
      assert.ok(exact.usages.length > 0, 'the fixture has usages');
      assert.deepEqual(quiet, exact);
    });
  }

  const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
  const pyLine = fc.oneof(
    key.map((k) => `posthog.feature_enabled('${k}', user)`),
    fc.constantFrom('posthog.get_feature_flag(FLAG, user)', 'posthog.feature_enabled(self.NEW, user)', 'total = sum(x for x in items)', 's = """multi\nline { ( """', "d = {'a': (1,\n     2)}", 'if ready:\n    pass', '# posthog.feature_enabled("commented", u)', 'return None'),
  );
  const pyDef = fc.tuple(fc.constantFrom('def', 'async def'), fc.array(pyLine, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([d, lines, inClass]) => {
    const pad = inClass ? '        ' : '    ';
    const body = lines.flatMap((l) => l.split('\n').map((x) => pad + x)).join('\n');
    return inClass ? `class C:\n    NEW = 'class-flag'\n    ${d} m(self, user):\n${body}\n` : `${d} f(user, items):\n${body}\n`;
  });
  const goLine = fc.oneof(
    key.map((k) => `client.IsFeatureEnabled(posthog.FeatureFlagPayload{Key: "${k}", DistinctId: id})`),
    fc.constantFrom('client.GetFeatureFlag(posthog.FeatureFlagPayload{Key: FlagKey, DistinctId: id})', 'x := map[string]int{"a": 1}', 's := `raw {\n}`', 'if id == "" {\n\treturn\n}', '// client.IsFeatureEnabled("commented")', 'for i := range items {\n\t_ = i\n}'),
  );
  const goFunc = fc.array(goLine, { minLength: 1, maxLength: 4 }).map((lines) => `func F(client posthog.Client, id string, items []int) {\n${lines.flatMap((l) => l.split('\n').map((x) => '\t' + x)).join('\n')}\n}\n`);

  it('generated Python and Go files: blanking never changes the result', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pyDef, { minLength: 1, maxLength: 5 }), fc.array(goFunc, { minLength: 1, maxLength: 5 }), async (defs, funcs) => {
        const files = {
          'app/flags.py': `import posthog\n\nFLAG = 'module-flag'\n\n${defs.join('\n')}`,
          'svc/flags.go': `package svc\n\nimport "github.com/posthog/posthog-go"\n\nconst FlagKey = "go-const"\n\n${funcs.join('\n')}`,
        };
        const { exact, quiet } = await bothWays(files);
        assert.deepEqual(quiet, exact);
      }),
      { numRuns: 150 },
    );
  });
});
