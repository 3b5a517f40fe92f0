/**
 * The one table of PostHog SDK call forms (../shared/docs/posthog-api.md §10).
 *
 * Read by the index (what to look for), its byte pre-filter (which names make
 * a file worth parsing), and scripts/gen-grammar.mjs (the TextMate injection
 * grammar). Adding an SDK method is one row here.
 */

/** Language families the index understands. */
export type SdkFamily =
  | 'js' // JavaScript/TypeScript/JSX/TSX and the script blocks of .vue/.svelte/.astro
  | 'python'
  | 'go'
  | 'ruby'
  | 'php'
  | 'java' // Java and Kotlin share the JVM SDKs
  | 'swift'
  | 'dart'
  | 'csharp';

export interface SdkCall {
  /** Method, function, hook or component name as written in code. */
  name: string;
  families: SdkFamily[];
  /**
   * Where the key is:
   * - `arg`: positional argument `arg` (0-based); `keyword` also accepted (Python `key=`)
   * - `jsx-prop`: the JSX attribute `prop` (`<PostHogFeature flag="k">`)
   * - `object-keys`: property names of the object at positional argument `arg`
   *   (`override({k: true})`); `path` descends into nested properties first
   * - `struct-field`: Go composite literal field (`FeatureFlagPayload{Key: "k"}`)
   * - `list-option`: array of keys in option `option` of argument `arg` (`evaluateFlags(id, {flagKeys: [...]})`)
   */
  key:
    | { form: 'arg'; arg: number; keyword?: string }
    | { form: 'jsx-prop'; prop: string; variantProp?: string }
    | { form: 'object-keys'; arg: number; path?: string[] }
    | { form: 'struct-field'; type: string; field: string }
    | { form: 'list-option'; arg: number; option: string };
  /**
   * `bare`: called without a receiver (React hooks, components).
   * `member`: called on a receiver (`posthog.x`, `client.x`, `PostHog::x`).
   * `either`: both are seen.
   */
  receiver: 'bare' | 'member' | 'either';
  /**
   * True when other vendors' SDKs use the same name (`isFeatureEnabled`,
   * `getFlag`, `isEnabled`…): the index then needs evidence that the call is
   * PostHog's (an import of a PostHog package, a receiver named like posthog,
   * or a known PostHog client variable) before it claims a usage.
   */
  generic: boolean;
  /** True when the call returns a variant (so string comparisons against it are variant keys). */
  returnsVariant?: boolean;
}

const JS: SdkFamily[] = ['js'];

export const SDK_CALLS: SdkCall[] = [
  // posthog-js / posthog-node / React Native / Android / iOS / Flutter / PHP: camelCase methods, key first.
  { name: 'isFeatureEnabled', families: ['js', 'php', 'java', 'swift', 'dart'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: true },
  { name: 'getFeatureFlag', families: ['js', 'php', 'java', 'swift', 'dart'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: true, returnsVariant: true },
  { name: 'getFeatureFlagPayload', families: ['js', 'php', 'java', 'swift', 'dart'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: false },
  { name: 'getFeatureFlagResult', families: ['js', 'php', 'java', 'swift', 'dart'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: false },
  { name: 'getRemoteConfigPayload', families: JS, key: { form: 'arg', arg: 0 }, receiver: 'member', generic: false },
  { name: 'updateEarlyAccessFeatureEnrollment', families: JS, key: { form: 'arg', arg: 0 }, receiver: 'member', generic: false },
  { name: 'getFeatureFlagDetails', families: JS, key: { form: 'arg', arg: 0 }, receiver: 'member', generic: false },
  // posthog-node snapshot (evaluateFlags result); very generic names.
  { name: 'isEnabled', families: ['js', 'java', 'php'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: true },
  { name: 'getFlag', families: ['js', 'java', 'php'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: true, returnsVariant: true },
  { name: 'getFlagPayload', families: ['js', 'java', 'php'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: true },
  { name: 'evaluateFlags', families: JS, key: { form: 'list-option', arg: 1, option: 'flagKeys' }, receiver: 'member', generic: false },
  // posthog-js object forms.
  { name: 'override', families: JS, key: { form: 'object-keys', arg: 0 }, receiver: 'member', generic: true },
  { name: 'overrideFeatureFlags', families: JS, key: { form: 'object-keys', arg: 0, path: ['flags'] }, receiver: 'member', generic: false },
  { name: 'updateFlags', families: JS, key: { form: 'object-keys', arg: 0 }, receiver: 'member', generic: true },
  // React (posthog-js/react, @posthog/react, @posthog/next, React Native hooks).
  { name: 'useFeatureFlagEnabled', families: JS, key: { form: 'arg', arg: 0 }, receiver: 'bare', generic: false },
  { name: 'useFeatureFlagVariantKey', families: JS, key: { form: 'arg', arg: 0 }, receiver: 'bare', generic: false, returnsVariant: true },
  { name: 'useFeatureFlagPayload', families: JS, key: { form: 'arg', arg: 0 }, receiver: 'bare', generic: false },
  { name: 'useFeatureFlagResult', families: JS, key: { form: 'arg', arg: 0 }, receiver: 'bare', generic: false },
  { name: 'useFeatureFlag', families: JS, key: { form: 'arg', arg: 0 }, receiver: 'bare', generic: true, returnsVariant: true },
  { name: 'useFeatureFlagWithPayload', families: JS, key: { form: 'arg', arg: 0 }, receiver: 'bare', generic: false },
  { name: 'PostHogFeature', families: JS, key: { form: 'jsx-prop', prop: 'flag', variantProp: 'match' }, receiver: 'bare', generic: false },
  // Python / Ruby / Rust-style snake_case.
  { name: 'feature_enabled', families: ['python'], key: { form: 'arg', arg: 0, keyword: 'key' }, receiver: 'member', generic: false },
  { name: 'get_feature_flag', families: ['python', 'ruby'], key: { form: 'arg', arg: 0, keyword: 'key' }, receiver: 'member', generic: false, returnsVariant: true },
  { name: 'get_feature_flag_payload', families: ['python', 'ruby'], key: { form: 'arg', arg: 0, keyword: 'key' }, receiver: 'member', generic: false },
  { name: 'get_feature_flag_result', families: ['python', 'ruby'], key: { form: 'arg', arg: 0, keyword: 'key' }, receiver: 'member', generic: false },
  { name: 'get_remote_config_payload', families: ['python', 'ruby'], key: { form: 'arg', arg: 0, keyword: 'key' }, receiver: 'member', generic: false },
  { name: 'is_feature_enabled', families: ['ruby'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: false },
  { name: 'is_enabled', families: ['python'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: true },
  { name: 'get_flag', families: ['python', 'ruby'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: true },
  { name: 'get_flag_payload', families: ['python', 'ruby'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: true },
  // Go: struct literal for the flag calls, positional for the others.
  { name: 'IsFeatureEnabled', families: ['go'], key: { form: 'struct-field', type: 'FeatureFlagPayload', field: 'Key' }, receiver: 'member', generic: false },
  { name: 'GetFeatureFlag', families: ['go'], key: { form: 'struct-field', type: 'FeatureFlagPayload', field: 'Key' }, receiver: 'member', generic: false },
  { name: 'GetFeatureFlagPayload', families: ['go'], key: { form: 'struct-field', type: 'FeatureFlagPayload', field: 'Key' }, receiver: 'member', generic: false },
  { name: 'GetFeatureFlagResult', families: ['go'], key: { form: 'struct-field', type: 'FeatureFlagPayload', field: 'Key' }, receiver: 'member', generic: false },
  { name: 'GetRemoteConfigPayload', families: ['go'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: false },
  // Snapshot objects in Go, Ruby and .NET (tree-sitter extraction; generic names need PostHog evidence).
  { name: 'IsEnabled', families: ['go', 'csharp'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: true },
  { name: 'GetFlag', families: ['go', 'csharp'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: true, returnsVariant: true },
  { name: 'GetFlagPayload', families: ['go', 'csharp'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: true },
  { name: 'enabled?', families: ['ruby'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: true },
  // JVM legacy server SDK.
  { name: 'isFeatureFlagEnabled', families: ['java'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: false },
  // .NET.
  { name: 'IsFeatureEnabledAsync', families: ['csharp'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: false },
  { name: 'GetFeatureFlagAsync', families: ['csharp'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: false },
  { name: 'GetRemoteConfigPayloadAsync', families: ['csharp'], key: { form: 'arg', arg: 0 }, receiver: 'member', generic: false },
];

/**
 * The JVM server SDK (`com.posthog.server`) takes the distinct id first and the
 * key second; the Android SDK and the legacy server SDK take the key first.
 * Java/Kotlin extraction decides per call: when the first argument cannot be
 * a key but the second can, the key is argument 2.
 */
export const JVM_SERVER_KEY_ARG = 1;

/**
 * Named-argument labels that carry the key besides a row's `keyword`
 * (`feature_enabled(flag_key=…)`), in every tree-sitter language.
 */
export const KEY_ARGUMENT_LABELS: ReadonlySet<string> = new Set(['key', 'featureKey', 'flagKey', 'feature_key', 'flag_key', 'featureFlagKey']);

/** Calls that take no key (never a usage), listed so reviewers see they were considered. */
export const KEYLESS_CALLS = ['onFeatureFlags', 'reloadFeatureFlags', 'getAllFlags', 'get_all_flags', 'GetAllFlags', 'getAllFeatureFlags', 'useActiveFeatureFlags', 'useFeatureFlags'];

/** Package names whose import marks a JS/TS file as PostHog code. */
export const POSTHOG_JS_PACKAGES = ['posthog-js', 'posthog-js/react', 'posthog-node', 'posthog-react-native', '@posthog/react', '@posthog/next', '@posthog/nextjs', '@posthog/nuxt', 'posthog-js/lib'];

/** Receiver names that mark a member call as PostHog's even without an import. */
export const POSTHOG_RECEIVER = /posthog/i;

/** Calls by family, for quick lookup. */
export function callsFor(family: SdkFamily): Map<string, SdkCall> {
  const m = new Map<string, SdkCall>();
  for (const c of SDK_CALLS) if (c.families.includes(family)) m.set(c.name, c);
  return m;
}

/** The key rule PostHog enforces on create (§7) lives in the shared module. */
export { FLAG_KEY_MAX_LENGTH, FLAG_KEY_PATTERN } from '../shared/flag-key';
