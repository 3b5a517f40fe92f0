/** Every flag the web app reads, in one place. */
export const FEATURE_FLAGS = {
  DARK_MODE: 'dark-mode',
  SEARCH_V2: 'search-v2',
  billing: {
    NEW_CHECKOUT: 'new-checkout',
  },
} as const;

export type FeatureFlagKey = (typeof FEATURE_FLAGS)[keyof typeof FEATURE_FLAGS];
