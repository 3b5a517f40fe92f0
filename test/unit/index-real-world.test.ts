/**
 * The index against call shapes seen in public projects (rewritten, small):
 * React hooks with constant objects and enums, posthog-js/posthog-node
 * clients, project wrappers, onFeatureFlags bodies, Next.js middleware, Vue,
 * Django/services in Python, Go, Swift, Kotlin, Flutter; and look-alikes
 * (other vendors, projects' own helpers, PostHog's own kea `featureFlags[…]`).
 * Fixtures: test/fixtures/real-world/<lang>/.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { scanSource } from '../../server/src/core/index/scan';
import { createTreeSitterRuntime, type TreeSitterRuntime } from '../../server/src/core/tree-sitter/extract';
import type { ScanResult } from '../../server/src/core/types';
import { loadWasmFromDir } from '../../server/src/node/tree-sitter-loader';
import { brief, memorySource } from './index-support';

const ROOT = join(__dirname, '..', 'fixtures', 'real-world');

function load(lang: string): Record<string, string> {
  const base = join(ROOT, lang);
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(base, p).split('\\').join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(base);
  return out;
}

let runtime: TreeSitterRuntime;
const scans = new Map<string, ScanResult>();
async function scan(lang: string): Promise<ScanResult> {
  let r = scans.get(lang);
  if (!r) {
    r = (await scanSource(memorySource(load(lang)), { treeSitter: runtime })).result;
    scans.set(lang, r);
  }
  return r;
}
const inFiles = (lines: string[], prefixes: string[]) => lines.filter((l) => prefixes.some((p) => l.startsWith(p)));
const unresolvedLines = (r: ScanResult) => r.unresolved.map((u) => `${u.file}:${u.line}:${u.column} ${u.call} ${u.expression}`);

describe('index: real-world call shapes', function () {
  this.timeout(20000);
  before(async () => {
    runtime = await createTreeSitterRuntime(loadWasmFromDir(), ['python', 'go', 'swift', 'kotlin', 'dart']);
  });

  describe('JS/TS', () => {
    it('React hooks with a constant object, posthog-js calls, onFeatureFlags bodies, Next middleware, posthog-node clients', async () => {
      const r = await scan('js');
      assert.deepEqual(inFiles(brief(r.usages), ['react-constants/', 'node-server/']), [
        'node-server/flags-server.ts:10:33 pricing-arm literal getFeatureFlag',
        'node-server/middleware.ts:9:6 site-maintenance literal isFeatureEnabled',
        'node-server/route.ts:5:23 export-api wrapper isFlagOn',
        'react-constants/SyncPanel.tsx:5:40 cloud-sync constant useFeatureFlagEnabled',
        'react-constants/SyncPanel.tsx:7:27 billing-page constant useFeatureFlagEnabled',
        'react-constants/SyncPanel.tsx:8:40 show-player-scores constant useFeatureFlagVariantKey',
        'react-constants/holiday.ts:4:34 seasonal-theme literal isFeatureEnabled',
        'react-constants/holiday.ts:6:68 winter-banner literal getFeatureFlag',
      ]);
    });

    it('project wrappers: hooks over useFeatureFlagEnabled (union type, enum argument), helpers with defaults, a PostHog parameter, onFeatureFlags callbacks, Vue', async () => {
      const r = await scan('js');
      assert.deepEqual(inFiles(brief(r.usages), ['wrappers/', 'svelte/', 'vue/']), [
        'svelte/run-when.ts:9:11 confetti wrapper whenFlag',
        'vue/EvalToggle.vue:10:64 eval-collections literal isFeatureEnabled',
        'vue/use-flag.ts:14:50 dark-sidebar wrapper useBootFlag',
        'wrappers/Lobby.tsx:4:30 lobbies-v2 wrapper useFeatureFlag',
        'wrappers/Nav.ts:4:14 org-switcher wrapper featureOn',
        'wrappers/Nav.ts:5:14 side-nav wrapper checkFlag',
        'wrappers/use-app-flag.tsx:10:28 new-editor wrapper useAppFlag',
      ]);
      // the enum member's value, inside its quotes
      const editor = r.usages.find((u) => u.key === 'new-editor');
      assert.deepEqual(editor?.keySite && [editor.keySite.file, editor.keySite.line, editor.keySite.column], ['wrappers/flag-enum.ts', 2, 16]);
    });

    it('a posthog-node client exported under another name, an object of wrapper methods, this.client typed PostHog, usePostHog() result, <PostHogFeature flag={CONST}>', async () => {
      const r = await scan('js');
      assert.deepEqual(inFiles(brief(r.usages), ['more/']), [
        'more/Banner.tsx:6:36 wide-banner constant isFeatureEnabled',
        'more/Banner.tsx:8:27 spring-promo constant PostHogFeature',
        'more/param-receiver.ts:7:29 param-toggle literal isEnabled',
        'more/report-job.ts:7:50 fast-reports literal isFeatureEnabled',
        'more/report-job.ts:8:36 report-charts wrapper isOn',
        'more/report-job.ts:9:40 report-layout wrapper variant',
        'more/telemetry.ts:7:41 share-links literal getFeatureFlag',
      ]);
    });

    it('syntax variants: optional call, `as` cast, bracket access on a constant object, template literal, window.posthog', async () => {
      const r = await scan('js');
      assert.deepEqual(inFiles(brief(r.usages), ['syntax/']), [
        'syntax/edge-forms.ts:6:32 optional-call literal isFeatureEnabled',
        'syntax/edge-forms.ts:7:26 cast-key constant getFeatureFlag',
        'syntax/edge-forms.ts:8:28 bracket-key constant isFeatureEnabled',
        'syntax/edge-forms.ts:9:44 template-key literal getFeatureFlagPayload',
      ]);
    });

    it('deliberate limit: a key read from the getAllFlags() result (all["k"]) is not a usage', async () => {
      const r = await scan('js');
      assert.equal(r.usages.some((u) => u.key === 'remix-redesign'), false);
    });

    it('deliberate limit: types are not read, so a generic name on a typed non-PostHog parameter in a file importing posthog-js is claimed', async () => {
      const r = await scan('js');
      assert.deepEqual(inFiles(brief(r.usages), ['more/param-receiver.ts']), ['more/param-receiver.ts:7:29 param-toggle literal isEnabled']);
    });

    it("a wrapper's own parameter is not reported as unresolved", async () => {
      assert.deepEqual(unresolvedLines(await scan('js')), []);
    });

    it('other vendors (LaunchDarkly variation, Unleash isEnabled, GrowthBook isOn, Optimizely isFeatureEnabled, Flagsmith hasFeature, Statsig checkGate) claim nothing', async () => {
      const r = await scan('js');
      assert.deepEqual(inFiles(brief(r.usages), ['lookalikes/vendors.ts']), []);
    });

    it("projects' own isFeatureEnabled/isEnabled/getFlag helpers claim nothing, also in a file that imports posthog-js", async () => {
      const r = await scan('js');
      assert.deepEqual(inFiles(brief(r.usages), ['lookalikes/']), []);
    });

    it('decision: PostHog app kea values featureFlags[FEATURE_FLAGS.X] and its useFeatureFlag("CONST_NAME") hook are not SDK calls', async () => {
      const r = await scan('js');
      assert.deepEqual(inFiles(brief(r.usages), ['posthog-app/']), []);
    });
  });

  describe('Python', () => {
    it('module-level posthog (Django view), posthoganalytics, a FastAPI-injected client, a Posthog() client with a StrEnum key, self.client in a service, keyword key=', async () => {
      const r = await scan('python');
      assert.deepEqual(inFiles(brief(r.usages), ['views.py', 'flags.py', 'service.py', 'api.py']), [
        'api.py:14:48 hogql-search literal feature_enabled',
        'api.py:15:36 search-ranking literal get_feature_flag',
        'flags.py:18:35 new-cart constant feature_enabled',
        'flags.py:21:30 course-search wrapper is_enabled_for',
        'service.py:9:46 pricing-arm literal get_feature_flag',
        'service.py:13:45 checkout-v2 literal get_feature_flag',
        'views.py:7:38 new-dashboard literal feature_enabled',
        'views.py:9:48 new-dashboard literal get_feature_flag_payload',
      ]);
    });

    it("Python wrappers are followed (is_enabled_for(Features.COURSE_SEARCH) is a wrapper usage) and a wrapper's own parameter is not unresolved", async () => {
      const r = await scan('python');
      assert.deepEqual(brief(r.usages.filter((u) => u.key === 'course-search')), ['flags.py:21:30 course-search wrapper is_enabled_for']);
      assert.deepEqual(unresolvedLines(r), []);
    });

    it('other vendors (LaunchDarkly variation, Unleash is_enabled, Flagsmith is_feature_enabled) claim nothing', async () => {
      const r = await scan('python');
      assert.deepEqual(
        brief(r.usages).filter((l) => l.startsWith('lookalikes.py') && !l.includes('local-toggle')),
        [],
      );
    });

    it('a project class that defines feature_enabled itself (settings = Settings(); settings.feature_enabled("x")) is its own method, not an SDK call', async () => {
      const r = await scan('python');
      assert.deepEqual(inFiles(brief(r.usages), ['lookalikes.py']), []);
    });
  });

  describe('Go', () => {
    it("FeatureFlagPayload{Key: …} multi-line, with string(Const) conversion; a wrapper's own parameter key is not unresolved (its callers hold the key)", async () => {
      const r = await scan('go');
      assert.deepEqual(brief(r.usages), [
        'flags.go:26:68 tenant-export constant IsFeatureEnabled',
        'flags.go:32:16 search-ranking literal GetFeatureFlag',
      ]);
      assert.deepEqual(unresolvedLines(r), []);
    });
  });

  describe('Swift', () => {
    it('PostHogSDK.shared (also module-qualified) calls; Optimizely/Statsig/LaunchDarkly claim nothing', async () => {
      const r = await scan('swift');
      assert.deepEqual(inFiles(brief(r.usages), ['Flags.swift', 'Lookalikes.swift']), [
        'Flags.swift:6:43 paywall-copy literal getFeatureFlag',
        'Flags.swift:10:58 onboarding-steps literal getFeatureFlagPayload',
        'Flags.swift:16:48 new-paywall literal isFeatureEnabled',
      ]);
    });

    it('a static method forwarding its parameter is a wrapper (Analytics.isEnabled("k")); the call inside is no unresolved usage', async () => {
      const r = await scan('swift');
      assert.deepEqual(inFiles(brief(r.usages), ['Analytics.swift']), ['Analytics.swift:9:38 streaks wrapper isEnabled']);
      assert.deepEqual(unresolvedLines(r), []);
    });

    it('wrappers: protocol + PostHog implementation + protocol extension, static let keys (Self.x, Type.x, same name on two types), enum raw values, an enum parameter passed as rawValue', async () => {
      const r = await scan('swift-wrappers');
      assert.deepEqual(r.usages.map((u) => `${u.file}:${u.line}:${u.column} ${u.key} ${u.kind} ${u.call}`), [
        'Gate.swift:10:18 dark-mode wrapper enabled',
        'Gate.swift:10:70 mock-path wrapper isOn',
        'Screens.swift:8:39 checkout-banner wrapper isOn',
        'Screens.swift:9:35 checkout-v2 wrapper isOn',
        'Screens.swift:10:37 new-onboarding wrapper isOn',
        'Screens.swift:11:62 dark-mode wrapper flagValue',
        'Screens.swift:19:29 profile-banner wrapper isOn',
        'Screens.swift:19:68 profile-banner wrapper isOn',
        // A String enum case without a raw value is its own name.
        'Settings.swift:9:28 compactList wrapper flagValue',
      ]);
      // The key is written where the constant or enum case is.
      const banner = r.usages.find((u) => u.key === 'profile-banner')!;
      assert.deepEqual(banner.keySite && [banner.keySite.file, banner.keySite.line, banner.keySite.column], ['Screens.swift', 16, 29]);
      assert.deepEqual(unresolvedLines(r), []);
    });

    it('look-alikes: a protocol with SDK-named methods implemented with Statsig, own helpers named like the SDK, Optimizely and LaunchDarkly claim nothing', async () => {
      const r = await scan('swift-wrappers');
      assert.deepEqual(r.usages.filter((u) => u.file === 'Lookalikes.swift'), []);
      assert.deepEqual(r.unresolved.filter((u) => u.file === 'Lookalikes.swift'), []);
    });

    it('files without an SDK term stay unparsed unless a resolution needs them', async () => {
      const files = load('swift-wrappers');
      files['Unrelated.swift'] = 'struct Unrelated {\n    static let title = "hello"\n    func show() -> String { Unrelated.title }\n}\n';
      const { index } = await scanSource(memorySource(files), { treeSitter: runtime });
      assert.equal(index.parsedFiles().includes('Unrelated.swift'), false);
      assert.equal(index.parsedFiles().includes('AppFlag.swift'), true);
    });
  });

  describe('Kotlin', () => {
    it('PostHog companion calls with a const val key and a named default; Unleash, Firebase and own helpers claim nothing', async () => {
      const r = await scan('kotlin');
      assert.deepEqual(brief(r.usages), [
        'Onboarding.kt:8:58 onboarding-stepper constant isFeatureEnabled',
        'Onboarding.kt:11:37 headline-test literal getFeatureFlag',
      ]);
      assert.deepEqual(unresolvedLines(r), []);
    });

    it('wrappers across files: interface + PostHog implementation (not the fake), extension functions and a wrapper of one, the server SDK (key second) in a class, a wrapper of a wrapper with the key as a later argument, enum key properties, object/companion/top-level const val by import, star import and same package', async () => {
      const r = await scan('kotlin-wrappers');
      assert.deepEqual(r.usages.map((u) => `${u.file}:${u.line}:${u.column} ${u.key} ${u.kind} ${u.call}`), [
        'app/HomeScreen.kt:12:24 new-onboarding wrapper isOn',
        'app/HomeScreen.kt:13:44 checkout-v2 wrapper variant',
        'app/HomeScreen.kt:14:30 profile-banner wrapper isFlagOn',
        'app/HomeScreen.kt:15:33 dark-mode wrapper flagEnabled',
        'app/HomeScreen.kt:16:34 dark-mode wrapper enabled',
        'app/HomeScreen.kt:17:32 checkout-v2 wrapper variantOf',
        'app/HomeScreen.kt:18:35 new-onboarding wrapper check',
        'app/HomeScreen.kt:19:34 search-v3 constant isFeatureEnabled',
        // misc/Keys.kt says `package com.acme.app`: the package line counts, not the folder.
        'app/HomeScreen.kt:20:32 legacy-export constant getFeatureFlag',
      ]);
      // The key is written where the enum entry or constant is.
      const site = (key: string) => {
        const u = r.usages.find((x) => x.key === key)!;
        return u.keySite && `${u.keySite.file}:${u.keySite.line}:${u.keySite.column}`;
      };
      assert.deepEqual([site('new-onboarding'), site('checkout-v2'), site('profile-banner'), site('search-v3'), site('legacy-export')], ['flags/Flag.kt:4:21', 'flags/FlagKeys.kt:4:30', 'flags/FlagKeys.kt:7:29', 'app/AppFlags.kt:5:29', 'misc/Keys.kt:4:28']);
      assert.deepEqual(unresolvedLines(r), []);
    });

    it('look-alikes: Unleash, Firebase Remote Config, LaunchDarkly, an interface with SDK-named methods implemented with Firebase, own helpers named like the SDK (also in a file importing PostHog) claim nothing', async () => {
      const r = await scan('kotlin-wrappers');
      assert.deepEqual(r.usages.filter((u) => u.file === 'other/Lookalikes.kt' || u.file === 'app/OwnHelpers.kt'), []);
      assert.deepEqual(r.unresolved, []);
    });

    it('files without an SDK term stay unparsed unless a resolution needs them', async () => {
      const files = load('kotlin-wrappers');
      files['app/Unrelated.kt'] = 'package com.acme.app\n\nobject Unrelated {\n    const val TITLE = "hello"\n    fun show(): String = TITLE\n}\n';
      const { index } = await scanSource(memorySource(files), { treeSitter: runtime });
      assert.equal(index.parsedFiles().includes('app/Unrelated.kt'), false);
      assert.equal(index.parsedFiles().includes('misc/Keys.kt'), true);
    });
  });

  describe('Python, inherited methods', () => {
    it('a method inherited from a base class (two levels up, across modules) is followed on a subclass instance; a same-named method of a class of our own claims nothing', async () => {
      const r = await scan('python-inherited');
      assert.deepEqual(brief(r.usages), [
        'app/views.py:6:21 new-home wrapper is_on',
        'app/views.py:8:33 team-dashboard wrapper team_variant',
      ]);
      assert.deepEqual(unresolvedLines(r), []);
    });
  });

  describe('Swift, shorthand enum arguments', () => {
    it("`isOn(.newPaywall)` reads the case of the type the wrapper's parameter is declared with (a same-named case of another enum stays out); a shorthand to a function of our own claims nothing", async () => {
      const r = await scan('swift-shorthand');
      assert.deepEqual(brief(r.usages), [
        'Screens/Paywall.swift:12:26 new-paywall wrapper isOn',
        'Screens/Paywall.swift:13:40 streaks wrapper isOn',
        'Screens/Paywall.swift:14:36 compact-list wrapper variant',
      ]);
      const u = r.usages.find((x) => x.key === 'new-paywall')!;
      assert.equal(u.keySite && `${u.keySite.file}:${u.keySite.line}`, 'Flags/FeatureGate.swift:4');
      assert.deepEqual(unresolvedLines(r), []);
    });
  });

  describe('Kotlin, short wrapper names', () => {
    it('two-letter wrappers (a top-level function and object members) are followed across files; a two-letter helper of our own claims nothing', async () => {
      const r = await scan('kotlin-short');
      assert.deepEqual(brief(r.usages), [
        'app/Checkout.kt:8:17 express-checkout wrapper ff',
        'app/Checkout.kt:9:20 wallet-pay wrapper on',
        'app/Checkout.kt:10:29 checkout-layout wrapper va',
      ]);
      assert.deepEqual(unresolvedLines(r), []);
    });
  });

  describe('Kotlin, other vendors', () => {
    it('a manager over several flag systems: its PostHog methods are wrappers, Braze\'s same-named getFeatureFlag claims nothing', async () => {
      const r = await scan('kotlin-vendors');
      assert.deepEqual(brief(r.usages), [
        'app/Cart.kt:8:30 one-tap-pay wrapper phOn',
        'app/Cart.kt:9:42 gift-wrap wrapper phVariant',
      ]);
      assert.deepEqual(unresolvedLines(r), []);
    });
  });

  describe('Dart', () => {
    it('Posthog() calls (then-chained and awaited); Firebase and own helpers claim nothing', async () => {
      const r = await scan('dart');
      assert.deepEqual(brief(r.usages), [
        'paywall.dart:10:33 hard-paywall literal isFeatureEnabled',
        'paywall.dart:16:69 button-colour literal getFeatureFlag',
      ]);
      assert.deepEqual(unresolvedLines(r), []);
    });
  });
});
