/**
 * Names of the client's own (settings section, views, storage entries).
 * Command ids live in the shared module (server/src/shared/commands.ts),
 * one table for the client, its manifest and the server's code actions.
 */

export { ClientCommand, COMMANDS_ALLOWED_IN_LINKS, ServerCommand } from '../../server/src/shared';

export const CONFIG_SECTION = 'posthog';
export const FLAG_EXPLORER_VIEW = 'posthogFlags.explorer';
export const OUTPUT_CHANNEL_NAME = 'PostHog Flags';

/** SecretStorage entry: JSON `{host, key}` so the key is tied to the host it was checked against. */
export const SECRET_CREDENTIALS = 'posthog.credentials';
/** globalState entry: hosts (besides the sign-in host) the user agreed to send the key to. */
export const STATE_CONFIRMED_HOSTS = 'posthog.confirmedHosts';
/** workspaceState entry: the user and project (id, name) last learnt for this workspace's host and project setting. */
export const STATE_IDENTITY = 'posthog.identity';
/** workspaceState entry: the people last debugged (Debug as Person…), most recent first. */
export const STATE_DEBUG_CHOICES = 'posthog.debugChoices';
/** workspaceState entry: the workspace's posthog-flags.json was offered as the flag source (asked once). */
export const STATE_SNAPSHOT_OFFERED = 'posthog.snapshotOffered';

/**
 * Files the client hands to the server by name whatever their language id:
 * VS Code has no built-in Kotlin or Dart (and a setup may lack Swift), so
 * without their extensions these files are Plain Text and `onLanguage` /
 * language selectors miss them. package.json matches the same extensions
 * (activation, editor menus); test/unit/client-manifest checks.
 */
export const EXTENSIONS_WITHOUT_LANGUAGE = ['kt', 'kts', 'swift', 'dart'] as const;
export const FILE_PATTERN_WITHOUT_LANGUAGE = `**/*.{${EXTENSIONS_WITHOUT_LANGUAGE.join(',')}}`;

export const US_CLOUD = 'https://us.posthog.com';
export const EU_CLOUD = 'https://eu.posthog.com';

/**
 * Test hook: when set in the extension host's environment to `yes` or `no`,
 * confirmations answer themselves (e2e tests). An environment variable, not a
 * setting, so a cloned repository cannot switch confirmations off.
 */
export const ENV_AUTO_CONFIRM = 'POSTHOG_FLAGS_TEST_AUTO_CONFIRM';
