/**
 * Python across modules (issue 12, item 5): module-attribute calls of
 * wrappers and constants of other modules, `import a.b as f`, `import a.b`,
 * relative imports, settings modules, package `__init__.py` re-exports,
 * wrappers importing posthog inside the body or under a condition, wrappers
 * of wrappers, keyword and keyword-only arguments, the key as a later
 * argument, methods of a module-level singleton, class constants and Enum
 * members; look-alikes stay unclaimed; an import that cannot be followed is
 * an unresolved usage that says so.
 * Fixture: test/fixtures/real-world/python-modules/.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { scanSource } from '../../server/src/core/index/scan';
import { pythonModuleCandidates } from '../../server/src/core/index/python-modules';
import { createTreeSitterRuntime, type TreeSitterRuntime } from '../../server/src/core/tree-sitter/extract';
import type { ScanResult, Usage } from '../../server/src/core/types';
import { loadWasmFromDir } from '../../server/src/node/tree-sitter-loader';
import { memorySource } from './index-support';

const ROOT = join(__dirname, '..', 'fixtures', 'real-world', 'python-modules');

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

describe('index: Python modules', function () {
  this.timeout(30000);
  let rt: TreeSitterRuntime;
  let scanned: { result: ScanResult; parsed: string[] };
  before(async () => {
    rt = await createTreeSitterRuntime(loadWasmFromDir(), ['python']);
    const { result, index } = await scanSource(memorySource(load()), { treeSitter: rt });
    scanned = { result, parsed: index.parsedFiles() };
  });

  it('module candidates: relative against the package, absolute against every ancestor folder (nearest first), module then package', () => {
    assert.deepEqual(pythonModuleCandidates('svc/app/views.py', 'app.features'), [
      'svc/app/app/features.py',
      'svc/app/app/features/__init__.py',
      'svc/app/features.py',
      'svc/app/features/__init__.py',
      'app/features.py',
      'app/features/__init__.py',
    ]);
    assert.deepEqual(pythonModuleCandidates('svc/app/views.py', '.flags'), ['svc/app/flags.py', 'svc/app/flags/__init__.py']);
    assert.deepEqual(pythonModuleCandidates('svc/app/views.py', '..common.keys'), ['svc/common/keys.py', 'svc/common/keys/__init__.py']);
    assert.deepEqual(pythonModuleCandidates('svc/app/views.py', '.'), ['svc/app/__init__.py']);
    assert.deepEqual(pythonModuleCandidates('a.py', '...x'), []);
  });

  it('every shape: module attributes, aliases, dotted imports, relative imports, settings, __init__ re-exports, wrappers of wrappers, keywords, later arguments, singleton methods, Enum members', () => {
    assert.deepEqual(rows(scanned.result.usages), [
      // import app.features; app.features.is_enabled(app.features.NEW_HOME): NEW_HOME re-exported by features.py from flags.py
      'svc/app/jobs.py:7:29 new-home wrapper is_enabled @svc/app/flags.py:3:13',
      // a wrapper imported under another name (from app.features import has_access as allowed), key second
      'svc/app/pages.py:8:22 new-home wrapper allowed @svc/app/flags.py:3:13', // NEW_HOME from the package's __init__.py
      'svc/app/pages.py:9:30 beta-banner wrapper allowed @svc/app/flags.py:4:9', // from . import flags; flags.BETA
      'svc/app/pages.py:10:26 weekly-reports wrapper allowed @svc/app/settings.py:4:22', // FLAGS["reports"] of a settings dict
      'svc/app/views.py:10:28 new-home wrapper is_enabled @svc/app/flags.py:3:13', // features.is_enabled(features.NEW_HOME)
      'svc/app/views.py:12:18 new-checkout wrapper is_enabled @svc/app/flags.py:8:17', // import app.features as f; f.Flags.CHECKOUT
      'svc/app/views.py:13:31 new-checkout wrapper has_access @svc/app/flags.py:8:17', // wrapper of a wrapper, key as the second argument
      'svc/app/views.py:14:30 flag-x wrapper is_enabled @svc/app/settings.py:3:11', // keyword argument, settings constant
      'svc/app/views.py:15:25 search-v3 wrapper check @svc/app/flags.py:12:15', // keyword-only parameter forwarded by keyword; StrEnum member
      'svc/app/views.py:16:22 old-flow wrapper variant @svc/app/flags.py:16:12', // posthog imported under a condition; Enum .value
      'svc/app/views.py:17:35 beta-banner wrapper is_feature_enabled @svc/app/views.py:17:35', // method of an imported singleton
      'svc/app/views.py:18:33 search-v3 wrapper pick @svc/app/flags.py:12:15', // its other method, key second
    ]);
  });

  it('look-alikes stay unclaimed: own is_enabled/get_flag methods, an unknown receiver, a receiver imported from outside', () => {
    assert.deepEqual(rows(scanned.result.usages.filter((u) => u.file.endsWith('lookalikes.py'))), []);
    assert.deepEqual(scanned.result.unresolved.filter((u) => u.file.endsWith('lookalikes.py')), []);
  });

  it('a key through an import that cannot be followed is unresolved with reason import and the module; an f-string is dynamic', () => {
    assert.deepEqual(
      scanned.result.unresolved.map((u) => `${u.file}:${u.line}:${u.column} ${u.call} ${u.expression} ${u.reason}${u.module ? ` ${u.module}` : ''}`),
      ['svc/app/jobs.py:8:16 is_enabled REPORT_FLAG import external_flags', 'svc/app/jobs.py:9:16 is_enabled f"report-{name}" dynamic'],
    );
  });

  it('Python files without an SDK term are parsed only when a resolution or a wrapper name needs them', () => {
    assert.ok(scanned.parsed.includes('svc/app/settings.py'), 'a settings module a key resolves through');
    assert.ok(scanned.parsed.includes('svc/app/pages.py'), 'a file calling a wrapper by name');
    assert.ok(!scanned.parsed.includes('svc/app/unrelated.py'), 'a file nothing needs');
  });

  it('blanking quiet bodies changes nothing', async () => {
    const exact = (await scanSource(memorySource(load()), { treeSitter: rt, quietBodies: false })).result;
    const quiet = (await scanSource(memorySource(load()), { treeSitter: rt, quietBodies: 'always' })).result;
    assert.deepEqual(quiet, exact);
    assert.deepEqual(exact, scanned.result);
  });
});

describe('index: a wrapper package outside the workspace named for PostHog', function () {
  this.timeout(30000);
  it('its flag-check functions count (the usage names the package); other packages and other names do not', async () => {
    const rt = await createTreeSitterRuntime(loadWasmFromDir(), ['python']);
    const files = {
      'app/features.py': 'SYNC_ON_LOAD = "sync-on-load"\n',
      'app/views.py': [
        'from mitol.acmeposthog.features import is_enabled',
        'from mitol.acmeposthog.features import is_enabled as posthog_on',
        'from mitol.acmeposthog.features import capture',
        'from waffle import flag_is_active',
        'from app import features',
        '',
        'def view(request):',
        '    a = is_enabled(features.SYNC_ON_LOAD)',
        '    b = posthog_on("aliased-external")',
        '    capture("not-a-flag")',
        '    c = flag_is_active(request, "waffle-flag")',
        '    return a, b, c',
        '',
      ].join('\n'),
    };
    const { result } = await scanSource(memorySource(files), { treeSitter: rt });
    assert.deepEqual(
      result.usages.map((u) => `${u.file}:${u.line}:${u.column} ${u.key} ${u.kind} ${u.call} via ${u.viaPackage}`),
      ['app/views.py:8:20 sync-on-load wrapper is_enabled via mitol.acmeposthog.features', 'app/views.py:9:21 aliased-external wrapper posthog_on via mitol.acmeposthog.features'],
    );
  });
});

describe('index: Python providers (abstract base, PostHog subclass, factory)', function () {
  this.timeout(30000);
  it('a template method reaches the subclass override; a factory\'s return annotation types its result; a project class named for PostHog is a class, not a client', async () => {
    const rt = await createTreeSitterRuntime(loadWasmFromDir(), ['python']);
    const files = {
      'app/flags/interface.py': [
        'import abc',
        '',
        '',
        'class FeatureFlagProvider(abc.ABC):',
        '    @abc.abstractmethod',
        '    def feature_enabled(self, flag_key: str, user_id: str) -> bool:',
        '        raise NotImplementedError',
        '',
        '    def enabled_for_tenant(self, flag_key: str, user, tenant_id: str) -> bool:',
        '        return self.feature_enabled(flag_key, user.id)',
        '',
        '    def variant_for_tenant(self, flag_key: str, tenant_id: str):',
        '        return None',
        '',
        '',
        'class NoOpProvider(FeatureFlagProvider):',
        '    def feature_enabled(self, flag_key: str, user_id: str) -> bool:',
        '        return False',
        '',
      ].join('\n'),
      'ee/posthog_provider.py': [
        'from posthog import Posthog',
        '',
        'from app.flags.interface import FeatureFlagProvider',
        '',
        'posthog = Posthog("phc_fake")',
        '',
        '',
        'class PostHogFeatureFlagProvider(FeatureFlagProvider):',
        '    def feature_enabled(self, flag_key: str, user_id: str) -> bool:',
        '        return bool(posthog.feature_enabled(flag_key, user_id))',
        '',
        '    def variant(self, flag_key: str, tenant_id: str):',
        '        return posthog.get_feature_flag(flag_key, tenant_id)',
        '',
        '    def variant_for_tenant(self, flag_key: str, tenant_id: str):',
        '        return posthog.get_feature_flag(flag_key, tenant_id)',
        '',
      ].join('\n'),
      'app/flags/factory.py': 'from app.flags.interface import FeatureFlagProvider\n\n\ndef get_provider() -> FeatureFlagProvider:\n    from ee.posthog_provider import PostHogFeatureFlagProvider\n    return PostHogFeatureFlagProvider()\n',
      'app/views.py': [
        'from app.flags.factory import get_provider',
        'from ee.posthog_provider import PostHogFeatureFlagProvider',
        '',
        'CRAFT = "craft-enabled"',
        '',
        '',
        'def view(user):',
        '    provider = get_provider()',
        '    a = provider.enabled_for_tenant(CRAFT, user, "t1")',
        '    b = PostHogFeatureFlagProvider().variant("tenant-variant", "t1")',
        '    c = get_provider().variant_for_tenant("default-overridden", "t1")',
        '    return a, b, c',
        '',
      ].join('\n'),
    };
    const { result } = await scanSource(memorySource(files), { treeSitter: rt });
    assert.deepEqual(
      result.usages.map((u) => `${u.file}:${u.line}:${u.column} ${u.key} ${u.kind} ${u.call}`),
      ['app/views.py:9:37 craft-enabled wrapper enabled_for_tenant', 'app/views.py:10:47 tenant-variant wrapper variant', 'app/views.py:11:44 default-overridden wrapper variant_for_tenant'],
    );
  });
});

describe('index: Python literals', function () {
  this.timeout(30000);
  it('a string the parser stretched over lines (an unclosed triple quote, CR line ends) is no key: unresolved, positions inside (fuzz counterexample)', async () => {
    const rt = await createTreeSitterRuntime(loadWasmFromDir(), ['python']);
    const lines = ['    posthog.feature_enabled(', "    '''open triple", "    x = posthog.feature_enabled('a', user)", '    "unterminated'];
    const text = ['import posthog', '', 'def handler(user):', ...lines, '    return None', ''].join('\r');
    const { result } = await scanSource(memorySource({ 'app/handler.py': text }), { treeSitter: rt });
    assert.deepEqual(result.usages, []);
    assert.deepEqual(result.unresolved.map((u) => [u.line, u.reason]), [[5, 'dynamic']]);
  });
});
