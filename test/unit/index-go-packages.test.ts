/**
 * Go across packages (issue 12): flag keys as typed string constants of
 * another package (`toggles.KeyX`), package = folder (names of the other
 * files of a package, import paths through go.mod), methods of struct types
 * (receiver methods, struct fields typed with an interface), interface
 * dispatch to the implementing struct (implicit: by method names, through a
 * type assertion too), package-level helpers with the key as a later
 * argument, wrappers of wrappers (three layers), `string(key)` conversions
 * and a payload held in a local; a database-backed `IsFeatureEnabled`
 * claims nothing. Fixture: test/fixtures/real-world/go-packages/.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { scanSource } from '../../server/src/core/index/scan';
import { languageForPath } from '../../server/src/core/languages';
import { extractGoTreeSitterFacts } from '../../server/src/core/tree-sitter/go-facts';
import { goModulePath, goPackageDirCandidates } from '../../server/src/core/index/go-packages';
import { createTreeSitterRuntime, type TreeSitterRuntime } from '../../server/src/core/tree-sitter/extract';
import type { ScanResult, Usage } from '../../server/src/core/types';
import { loadWasmFromDir } from '../../server/src/node/tree-sitter-loader';
import { memorySource } from './index-support';

const ROOT = join(__dirname, '..', 'fixtures', 'real-world', 'go-packages');

function load(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(ROOT, p).split('\\').join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(ROOT);
  return out;
}

/** `file:line:column key kind call @keySite`. */
const rows = (usages: Usage[]) => usages.map((u) => `${u.file}:${u.line}:${u.column} ${u.key} ${u.kind} ${u.call}${u.keySite ? ` @${u.keySite.file}:${u.keySite.line}:${u.keySite.column}` : ''}`);

describe('index: Go packages', function () {
  this.timeout(30000);
  let rt: TreeSitterRuntime;
  let scanned: { result: ScanResult; parsed: string[] };
  before(async () => {
    rt = await createTreeSitterRuntime(loadWasmFromDir(), ['go']);
    const { result, index } = await scanSource(memorySource(load()), { treeSitter: rt });
    scanned = { result, parsed: index.parsedFiles() };
  });

  it('go.mod: an import path is a folder of the module (longest module first); without a go.mod, its tails', () => {
    assert.equal(goModulePath('// x\nmodule example.com/bakery // the shop\n\ngo 1.22\n'), 'example.com/bakery');
    const mods = [
      { path: 'example.com/bakery', dir: '' },
      { path: 'example.com/bakery/tools', dir: 'tools' },
    ];
    assert.deepEqual(goPackageDirCandidates(mods, 'example.com/bakery/toggles'), ['toggles']);
    assert.deepEqual(goPackageDirCandidates(mods, 'example.com/bakery/tools/lint'), ['tools/lint', 'tools/lint']);
    assert.deepEqual(goPackageDirCandidates(mods, 'github.com/other/lib'), []);
    assert.deepEqual(goPackageDirCandidates([], 'example.com/bakery/toggles'), ['example.com/bakery/toggles', 'bakery/toggles', 'toggles']);
  });

  it('every shape: typed key constants of another package, interface dispatch to the PostHog struct, helpers with the key later, three layers, type assertions, a struct-typed local', () => {
    assert.deepEqual(rows(scanned.result.usages), [
      // s.shopOn (a method declared in service.go) → gate.ForShop → toggles.Enabled → Checker.IsOn → PostHog.IsOn
      'orders/pickup.go:12:23 pickup-slots wrapper shopOn @toggles/keys.go:10:25',
      // a parameter typed with the interface; the key a literal
      'orders/pickup.go:16:22 remote-ordering wrapper IsOn @orders/pickup.go:16:22',
      // a struct field typed with the interface: the PostHog implementation, not the fake
      'orders/service.go:16:32 oven-timer wrapper IsOn @toggles/keys.go:7:25',
      // a package-level helper of another package, key as the third argument
      'orders/service.go:19:36 gluten-free-menu wrapper Enabled @toggles/keys.go:8:25',
      // the helper reaches the SDK through a type assertion to another interface
      'orders/service.go:20:36 loyalty-tiers wrapper Variant @toggles/keys.go:9:25',
      // a constant of another file of the same package; the payload held in a local (req)
      'orders/service.go:21:30 recipe-cards wrapper Payload @orders/pickup.go:9:32',
      // `var p *PostHog` in a test file of the package; an untyped constant
      'telemetry/posthog_test.go:12:38 test-only-flag wrapper Pick @telemetry/posthog_test.go:8:23',
      // `q := &PostHog{}`
      'telemetry/posthog_test.go:14:39 literal-in-test wrapper IsOn @telemetry/posthog_test.go:14:39',
    ]);
  });

  it("the wrapper's own `string(key)` is no unresolved usage", () => {
    assert.deepEqual(scanned.result.unresolved, []);
  });

  it('look-alike: a database-backed IsFeatureEnabled (method, interface, called with literals) claims nothing', () => {
    assert.deepEqual(
      scanned.result.usages.filter((u) => u.file.startsWith('accounts/')),
      [],
    );
    assert.ok(scanned.parsed.includes('accounts/entitlements.go'), 'read (it holds an SDK name) and found to be no usage');
  });

  it('a Go file without an SDK term, a wrapper name or a needed name stays unparsed', () => {
    assert.ok(!scanned.parsed.includes('bakeryutil/round.go'));
  });

  it('quiet bodies: blanking every body that mentions no SDK or wrapper name (even in short files) gives the same usages and unresolved calls', async () => {
    const whole = await scanSource(memorySource(load()), { treeSitter: rt, quietBodies: false });
    const quiet = await scanSource(memorySource(load()), { treeSitter: rt, quietBodies: 'always' });
    assert.ok(quiet.index.parsedFiles().length > 0);
    assert.deepEqual(quiet.result.usages, whole.result.usages);
    assert.deepEqual(quiet.result.unresolved, whole.result.unresolved);
    assert.ok(quiet.result.usages.length >= 8);
    // and blanking does happen: a wrapper's package has bodies that mention no SDK name
    const files = load();
    const facts = extractGoTreeSitterFacts(rt, 'toggles/checker.go', files['toggles/checker.go'], languageForPath('x.go')!, { minLength: 0, loud: [] });
    assert.ok('blanked' in facts && (facts.blanked?.length ?? 0) > 0, 'some body was blanked');
  });
});
