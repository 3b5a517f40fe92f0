import { useFeatureFlagEnabled } from 'posthog-js/react';

/** The app's own hook: false until flags have loaded. */
export function useFlag(key: string): boolean {
  return useFeatureFlagEnabled(key) ?? false;
}
