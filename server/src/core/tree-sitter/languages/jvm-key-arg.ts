import type { AdapterHooks } from '../adapter-hooks';

/** Methods the Android SDK takes key-first and the current JVM server SDK takes distinct-id-first. */
const AMBIGUOUS = new Set(['isFeatureEnabled', 'getFeatureFlag', 'getFeatureFlagPayload', 'getFeatureFlagResult']);
const SERVER_IMPORT = /^[ \t]*import[ \t]+com\.posthog\.server\b/m;
const KEY_FIRST_IMPORT = /^[ \t]*import[ \t]+com\.posthog\.(?:android|java)\b/m;
/** The Android SDK's static facade: `PostHog.x(…)` (Kotlin) / `PostHog.Companion.x(…)` (Java). */
const ANDROID_FACADE = /^(?:com\.posthog\.)?PostHog(?:\.Companion)?$/;

/**
 * Where the key is in a JVM call (sdk-calls.ts JVM_SERVER_KEY_ARG), decided per call:
 * 1. one positional argument, or the Android facade receiver → argument 1;
 * 2. the file imports `com.posthog.server` → argument 2; it imports
 *    `com.posthog.android` / `com.posthog.java` (legacy, key first) → argument 1;
 * 3. otherwise by shape: argument 2 when it is a string literal or a same-file
 *    string constant and argument 1 is not; else argument 1.
 */
export const jvmKeyArg: AdapterHooks['keyArgIndex'] = (call, sdk, positional, ctx) => {
  if (!AMBIGUOUS.has(sdk.name) || positional.length < 2) return undefined;
  if (call.receiver && ANDROID_FACADE.test(call.receiver.replace(/\s+/g, ''))) return 0;
  if (SERVER_IMPORT.test(ctx.text)) return 1;
  if (KEY_FIRST_IMPORT.test(ctx.text)) return 0;
  return ctx.isKeyLike(positional[1]) && !ctx.isKeyLike(positional[0]) ? 1 : 0;
};
