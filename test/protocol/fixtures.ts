/** The workspace most protocol tests open: literals, constants, an enum, a wrapper, a typo, a dynamic key. */
export const FLAGS_TS = `export const FLAGS = {
  CHECKOUT: 'new-checkout',
  BANNER: 'beta-banner',
} as const;

export enum Flag {
  Pricing = 'pricing-test',
}
`;

export const USE_FLAG_TS = `import { useFeatureFlagEnabled } from 'posthog-js/react';

export function useFlag(key: string) {
  return useFeatureFlagEnabled(key);
}
`;

export const APP_TSX = `import posthog from 'posthog-js';
import { useFeatureFlagEnabled, useFeatureFlagVariantKey } from 'posthog-js/react';
import { FLAGS, Flag } from './flags';
import { useFlag } from './use-flag';

export function App() {
  const a = posthog.isFeatureEnabled('new-checkout');
  const b = useFeatureFlagEnabled(FLAGS.BANNER);
  const c = useFlag('everyone-gets-it');
  const v = useFeatureFlagVariantKey(Flag.Pricing);
  const typo = posthog.isFeatureEnabled('new-chekout');
  const cohort = posthog.isFeatureEnabled('cohort-flag');
  const old = posthog.isFeatureEnabled('old-flag');
  const dyn = posthog.isFeatureEnabled(\`flag-\${a}\`);
  return [a, b, c, v, typo, cohort, old, dyn];
}
`;

export const STANDARD_FILES: Record<string, string> = {
  'src/flags.ts': FLAGS_TS,
  'src/use-flag.ts': USE_FLAG_TS,
  'src/app.tsx': APP_TSX,
  'package.json': '{"name":"app","dependencies":{"posthog-js":"1.0.0"}}',
};
