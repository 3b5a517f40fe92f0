import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { languageForPath } from '../../server/src/core/languages';
import { LineMap } from '../../server/src/core/text';
import { createTreeSitterRuntime, extractTreeSitter, type TreeSitterRuntime } from '../../server/src/core/tree-sitter/extract';
import type { Unresolved, Usage } from '../../server/src/core/types';
import { loadWasmFromDir } from '../../server/src/node/tree-sitter-loader';

const FIXTURES = join(__dirname, '..', 'fixtures', 'langs');

/** `kind call "key" line:column-endColumn` (+ ` @line:column` of the keySite for constants). */
function usageLine(u: Usage): string {
  const site = u.keySite ? ` @${u.keySite.line}:${u.keySite.column}` : '';
  return `${u.kind} ${u.call} ${JSON.stringify(u.key)} ${u.line}:${u.column}-${u.endColumn}${site}`;
}
/** `unresolved call expression line:column-endColumn`. */
function unresolvedLine(u: Unresolved): string {
  return `unresolved ${u.call} ${u.expression} ${u.line}:${u.column}-${u.endColumn}`;
}

/** Expected results per fixture file, in document order. */
const EXPECTED: Record<string, string[]> = {
  'python/positive.py': [
    'literal feature_enabled "beta-banner" 21:33-44',
    'constant get_feature_flag "new-checkout" 23:47-59 @5:17',
    'literal get_feature_flag_payload "pricing-page" 24:60-72',
    'constant get_feature_flag_result "dark-mode" 25:37-52 @10:18',
    'constant feature_enabled "search-v3" 26:29-40 @14:15',
    'constant feature_enabled "search-v3" 27:29-46 @14:15',
    'constant get_remote_config_payload "billing-v2" 28:39-49 @6:20',
    'unresolved feature_enabled f"exp-{flag_name}" 29:29-47',
    'unresolved feature_enabled flag_name 30:29-38',
    'unresolved feature_enabled "a" + flag_name 31:29-44',
    'literal feature_enabled "after-unicode" 34:48-61',
    'literal is_enabled "snapshot-flag" 43:30-43',
    'literal get_feature_flag_payload "svc-payload" 44:59-70',
  ],
  'python/negative.py': [],
  'python/mixed.py': ['literal feature_enabled "bare-import" 11:25-36', 'literal feature_enabled "module-call" 12:41-52'],
  'python/broken.py': ['literal feature_enabled "before-error" 4:37-49', 'literal get_feature_flag "after-error" 11:38-49'],
  'go/positive.go': [
    'literal IsFeatureEnabled "beta-banner" 20:16-27',
    'constant GetFeatureFlag "new-checkout" 23:71-86 @10:21',
    'constant GetFeatureFlagPayload "solo-flag" 24:45-53 @14:19',
    'constant GetFeatureFlagResult "typed-flag" 26:62-79 @11:23',
    'literal GetRemoteConfigPayload "remote-config" 27:33-46',
    'unresolved IsFeatureEnabled "exp-" + name 28:58-71',
    'unresolved IsFeatureEnabled fmt.Sprintf("x-%s", name) 29:58-83',
    'literal IsEnabled "snapshot-flag" 32:22-35',
    'literal GetRemoteConfigPayload "after-unicode" 33:75-88',
  ],
  'go/negative.go': [],
  'ruby/positive.rb': [
    'literal is_feature_enabled "beta-banner" 16:33-44',
    'constant get_feature_flag "new-checkout" 17:31-43 @3:17',
    'constant get_feature_flag_payload "dark-mode" 18:38-54 @6:16',
    'constant get_feature_flag_result "billing-v2" 19:37-55 @9:11',
    'literal is_feature_enabled "no-parens" 20:33-42',
    'unresolved is_feature_enabled "exp-#{params[:name]}" 21:32-54',
    'unresolved get_feature_flag flag_name 22:30-39',
    'literal enabled? "snapshot-flag" 25:21-34',
  ],
  'ruby/negative.rb': [],
  'php/positive.php': [
    'literal isFeatureEnabled "beta-banner" 21:40-51',
    'constant getFeatureFlag "new-checkout" 23:44-63 @11:27',
    'constant getFeatureFlagPayload "local-flag" 24:51-62 @17:28',
    'literal getFeatureFlagResult "named-key" 25:45-54',
    'constant isFeatureEnabled "top-level" 26:35-49 @7:25',
    'unresolved isFeatureEnabled "exp-$name" 27:35-46',
    "unresolved isFeatureEnabled 'a' . $name 28:35-46",
    'constant isEnabled "dark-mode" 31:27-43 @12:31',
  ],
  'php/negative.php': [],
  'java/positive.java': [
    'literal isFeatureEnabled "beta-banner" 16:59-70',
    'constant getFeatureFlag "new-checkout" 17:55-67 @7:41',
    'constant getFeatureFlagPayload "dark-mode" 18:61-75 @10:29',
    'unresolved isFeatureEnabled "exp-" + name 19:46-59',
    'unresolved getFeatureFlagResult Flags.REMOTE 20:50-62',
    'literal isFeatureEnabled "with-default" 22:54-66',
  ],
  'java/android.java': [
    'literal isFeatureEnabled "android-flag" 9:49-61',
    'constant getFeatureFlag "onboarding-v2" 11:53-63 @6:47',
    'literal getFeatureFlagPayload "android-payload" 12:50-65',
  ],
  'java/legacy.java': ['literal isFeatureFlagEnabled "legacy-flag" 5:39-50', 'literal getFeatureFlag "legacy-variant" 6:33-47'],
  'java/negative.java': [],
  'kotlin/positive.kt': [
    'literal isFeatureEnabled "beta-banner" 23:35-46',
    'constant getFeatureFlag "new-checkout" 25:42-54 @5:27',
    'constant getFeatureFlagPayload "dark-mode" 26:35-53 @8:28',
    'constant getFeatureFlagResult "onboarding-v2" 27:34-51 @13:33',
    'constant isFeatureEnabled "search-v3" 28:30-45 @18:13',
    'unresolved isFeatureEnabled "exp-$name" 29:30-41',
    'literal isFeatureEnabled "named-key" 30:37-46',
    'literal isFeatureEnabled "after-unicode" 32:50-63',
  ],
  'kotlin/server.kt': ['literal getFeatureFlag "server-variant" 5:53-67', 'literal isFeatureEnabled "server-flag" 6:54-65'],
  'kotlin/negative.kt': [],
  'swift/positive.swift': [
    'literal isFeatureEnabled "beta-banner" 19:48-59',
    'literal getFeatureFlag "after-emoji" 20:72-83',
    'constant getFeatureFlag "new-checkout" 22:56-67 @4:20',
    'constant getFeatureFlagPayload "dark-mode" 23:63-80 @7:28',
    'constant isFeatureEnabled "search-v3" 24:52-72 @11:20',
    'constant getFeatureFlagResult "onboardingV2" 25:56-82 @12:10',
    'unresolved isFeatureEnabled "exp-\\(name)" 26:52-65',
  ],
  'swift/negative.swift': [],
  'dart/positive.dart': [
    'literal isFeatureEnabled "beta-banner" 12:53-64',
    'constant getFeatureFlag "new-checkout" 14:48-60 @4:23',
    'constant getFeatureFlagPayload "dark-mode" 15:55-72 @7:28',
    'constant getFeatureFlagResult "onboarding-v2" 16:40-59 @8:37',
    "unresolved isFeatureEnabled 'exp-$name' 17:34-45",
    'literal isFeatureEnabled "raw-key" 18:36-43',
    'literal isFeatureEnabled "after-unicode" 20:52-65',
  ],
  'dart/negative.dart': [],
  'csharp/positive.cs': [
    'literal IsFeatureEnabledAsync "beta-banner" 19:50-61',
    'constant GetFeatureFlagAsync "new-checkout" 20:58-78 @8:40',
    'constant GetRemoteConfigPayloadAsync "local-flag" 21:52-57 @14:35',
    'constant IsFeatureEnabledAsync "dark-mode" 22:57-74 @9:47',
    'literal IsFeatureEnabledAsync "verbatim-key" 23:48-60',
    'unresolved IsFeatureEnabledAsync $"exp-{name}" 24:45-58',
    'literal IsEnabled "snapshot-flag" 27:26-39',
  ],
  'csharp/negative.cs': [],
};

function run(rt: TreeSitterRuntime, rel: string): { text: string; usages: Usage[]; unresolved: Unresolved[] } {
  const text = readFileSync(join(FIXTURES, rel), 'utf8');
  const lang = languageForPath(rel);
  assert.ok(lang, `no language for ${rel}`);
  const r = extractTreeSitter(rt, rel, text, lang);
  if ('error' in r) assert.fail(`${rel}: ${r.error}`);
  return { text, ...r };
}

function ordered(usages: Usage[], unresolved: Unresolved[]): string[] {
  const rows = [...usages.map((u) => ({ at: [u.line, u.column], s: usageLine(u) })), ...unresolved.map((u) => ({ at: [u.line, u.column], s: unresolvedLine(u) }))];
  rows.sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1]);
  return rows.map((r) => r.s);
}

function slice(lines: LineMap, s: { line: number; column: number; endLine: number; endColumn: number }): string {
  return lines.text.slice(lines.offset(s.line, s.column), lines.offset(s.endLine, s.endColumn));
}

describe('tree-sitter extraction per language (fixtures)', function () {
  let rt: TreeSitterRuntime;
  before(async function () {
    rt = await createTreeSitterRuntime(loadWasmFromDir());
  });

  for (const [rel, expected] of Object.entries(EXPECTED)) {
    it(`${rel}: exactly the expected usages and unresolved keys`, function () {
      const { usages, unresolved } = run(rt, rel);
      assert.deepEqual(ordered(usages, unresolved), expected);
    });
  }

  it('every range covers the key (literal), the reference (constant) or the expression (unresolved)', function () {
    for (const rel of Object.keys(EXPECTED)) {
      const { text, usages, unresolved } = run(rt, rel);
      const lines = new LineMap(text);
      const lang = languageForPath(rel)!;
      for (const u of usages) {
        assert.equal(u.file, rel);
        assert.equal(u.language, lang.id);
        if (u.kind === 'literal') assert.equal(slice(lines, u), u.key, `${rel} ${usageLine(u)}`);
        else {
          assert.ok(u.keySite, `${rel} constant without keySite`);
          assert.equal(slice(lines, u.keySite), u.key, `${rel} keySite of ${usageLine(u)}`);
          assert.notEqual(slice(lines, u), '', `${rel} empty reference range`);
        }
      }
      for (const u of unresolved) assert.equal(slice(lines, u), u.expression, `${rel} ${unresolvedLine(u)}`);
    }
  });

  it('each language has at least one literal, one constant and one unresolved case', function () {
    const byLang = new Map<string, Set<string>>();
    for (const rel of Object.keys(EXPECTED)) {
      const { usages, unresolved } = run(rt, rel);
      const dir = rel.split('/')[0];
      const kinds = byLang.get(dir) ?? new Set<string>();
      for (const u of usages) kinds.add(u.kind);
      if (unresolved.length) kinds.add('unresolved');
      byLang.set(dir, kinds);
    }
    for (const [dir, kinds] of byLang) assert.deepEqual([...kinds].sort(), ['constant', 'literal', 'unresolved'], dir);
  });
});

describe('tree-sitter: JVM key position (server SDK takes the distinct id first)', function () {
  let rt: TreeSitterRuntime;
  before(async function () {
    rt = await createTreeSitterRuntime(loadWasmFromDir(), ['java', 'kotlin']);
  });
  const keys = (file: string, text: string) => {
    const r = extractTreeSitter(rt, file, text, languageForPath(file)!);
    if ('error' in r) assert.fail(r.error);
    return [...r.usages.map((u) => u.key), ...r.unresolved.map((u) => `?${u.expression}`)];
  };

  it('without a decisive import, decides by argument shape', function () {
    const kt = (call: string) => keys('a.kt', `const val FLAG = "const-flag"\nfun f(userId: String) {\n  ${call}\n}\n`);
    assert.deepEqual(kt('posthog.isFeatureEnabled(userId, "second")'), ['second']);
    assert.deepEqual(kt('posthog.getFeatureFlag(user.id, FLAG)'), ['const-flag']);
    assert.deepEqual(kt('posthog.isFeatureEnabled("first", userId)'), ['first']);
    assert.deepEqual(kt('posthog.isFeatureEnabled("first", "second")'), ['first']);
    assert.deepEqual(kt('posthog.isFeatureEnabled(flagName, userId)'), ['?flagName']);
    assert.deepEqual(kt('posthog.isEnabled("snapshot")'), ['snapshot']);
  });

  it('com.posthog.server → argument 2; the Android facade PostHog / PostHog.Companion → argument 1', function () {
    assert.deepEqual(keys('a.java', 'import com.posthog.server.PostHog;\nclass A { void f() { posthog.isFeatureEnabled("user-1", "srv"); } }'), ['srv']);
    assert.deepEqual(keys('a.java', 'import com.posthog.server.PostHog;\nclass A { void f() { PostHog.Companion.isFeatureEnabled("android", false); } }'), ['android']);
    assert.deepEqual(keys('a.kt', 'import com.posthog.android.PostHogAndroid\nfun f() { postHog.getFeatureFlag("android-key", "default") }'), ['android-key']);
  });
});
