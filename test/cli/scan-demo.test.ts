import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, repoRoot, runCli } from './scan-cli';

const demo = join(repoRoot, 'examples', 'demo');

/**
 * Every usage in examples/demo: [file, line, key, kind, call, text the column points at].
 * The column is where that text starts on the line (inside the quotes for a
 * literal key, the argument expression otherwise).
 */
const EXPECTED: [string, number, string, string, string, string][] = [
  ['api/src/server.ts', 14, 'new-checkout', 'literal', 'isFeatureEnabled', "new-checkout'"],
  ['api/src/server.ts', 22, 'enterprise-sso', 'literal', 'isFeatureEnabled', "enterprise-sso'"],
  ['api/src/server.ts', 29, 'pricing-page-experiment', 'literal', 'getFeatureFlagPayload', "pricing-page-experiment'"],
  ['mobile/android/app/src/main/java/com/acme/shop/ExportScreen.kt', 7, 'legacy-export', 'literal', 'isFeatureEnabled', 'legacy-export"'],
  ['mobile/ios/HolidayBanner.swift', 6, 'holiday-banner', 'literal', 'isFeatureEnabled', 'holiday-banner"'],
  ['services/recommender/app.py', 16, 'ai-assistant', 'literal', 'feature_enabled', 'ai-assistant"'],
  ['services/recommender/app.py', 23, 'recommendations-widget', 'constant', 'get_feature_flag', 'RECOMMENDATIONS_FLAG,'],
  ['web/src/App.tsx', 10, 'dark-mode', 'wrapper', 'useFlag', 'FEATURE_FLAGS.DARK_MODE'],
  ['web/src/App.tsx', 17, 'onboarding-checklist', 'literal', 'PostHogFeature', 'onboarding-checklist"'],
  ['web/src/components/CartSummary.tsx', 5, 'new-chekout', 'literal', 'isFeatureEnabled', "new-chekout'"],
  ['web/src/components/SearchBar.tsx', 7, 'search-v2', 'constant', 'isFeatureEnabled', 'FEATURE_FLAGS.SEARCH_V2'],
  ['web/src/pages/Checkout.tsx', 5, 'new-checkout', 'literal', 'useFeatureFlagEnabled', "new-checkout'"],
  ['web/src/pages/Dashboard.tsx', 5, 'beta-dashboard', 'constant', 'useFeatureFlagEnabled', 'GrowthFlag.BetaDashboard'],
  ['web/src/pages/Dashboard.tsx', 6, 'recommendations-widget', 'wrapper', 'useFlag', 'GrowthFlag.Recommendations'],
  ['web/src/pages/Pricing.tsx', 9, 'pricing-page-experiment', 'literal', 'useFeatureFlagVariantKey', "pricing-page-experiment'"],
];

function columnOf(file: string, line: number, marker: string): number {
  const text = readFileSync(join(demo, file), 'utf8').split('\n')[line - 1];
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `${marker} not on ${file}:${line}`);
  return at + 1;
}

describe('scan examples/demo (the bundled demo app)', () => {
  let out: {
    root: string;
    filesScanned: number;
    usages: { file: string; line: number; column: number; key: string; kind: string; call: string }[];
    unresolved: { file: string; line: number; column: number; call: string; expression: string }[];
    skipped: unknown[];
  };

  before(function () {
    this.timeout(120_000);
    ensureBuilt();
    const r = runCli(['scan', 'examples/demo', '--json']);
    assert.equal(r.status, 0, r.stderr);
    out = JSON.parse(r.stdout);
  });

  it('finds exactly the expected usages: every key, kind, call, file, line and column', () => {
    const actual = out.usages
      .map((u) => [u.file, u.line, u.column, u.key, u.kind, u.call])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));
    const expected = EXPECTED.map(([file, line, key, kind, call, marker]) => [file, line, columnOf(file, line, marker), key, kind, call]);
    assert.deepEqual(actual, expected);
  });

  it('reports the dynamic key as unresolved, and nothing else', () => {
    assert.deepEqual(
      out.unresolved.map((u) => [u.file, u.line, u.column, u.call, u.expression]),
      [['web/src/experiments.ts', 5, columnOf('web/src/experiments.ts', 5, '`experiment-'), 'isFeatureEnabled', '`experiment-${campaign}`']],
    );
  });

  it('reads every source file of the demo and skips none', () => {
    assert.equal(out.root, demo);
    assert.equal(out.filesScanned, 17);
    assert.deepEqual(out.skipped, []);
  });

  it('does not take another vendor’s call in a PostHog file for a usage', () => {
    assert.equal(out.usages.some((u) => u.key === 'payments-v2'), false);
  });
});
