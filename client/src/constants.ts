/**
 * Names shared by the client's modules and its manifest (package.json
 * `contributes`). Client command ids use the `posthogFlags.` prefix; the
 * server's `workspace/executeCommand` ids use `posthog.` (VS Code throws when
 * both sides register the same id).
 */

/** Commands the client registers (palette, menus, hover links, code actions). */
export const ClientCommand = {
  signIn: 'posthogFlags.signIn',
  signOut: 'posthogFlags.signOut',
  selectProject: 'posthogFlags.selectProject',
  toggleFlag: 'posthogFlags.toggleFlag',
  createFlag: 'posthogFlags.createFlag',
  refresh: 'posthogFlags.refresh',
  openInPostHog: 'posthogFlags.openInPostHog',
  showFlagUsages: 'posthogFlags.showFlagUsages',
  copyKey: 'posthogFlags.copyKey',
  showOutput: 'posthogFlags.showOutput',
  restartServer: 'posthogFlags.restartServer',
} as const;

/** Commands the language server executes (interfaces.md, "Commands"). */
export const ServerCommand = {
  createFlag: 'posthog.createFlag',
  toggleFlag: 'posthog.toggleFlag',
  refresh: 'posthog.refresh',
  flagUsages: 'posthog.flagUsages',
} as const;

/**
 * Client commands a server may put in hovers (command links) and code
 * actions. Only these run from markdown links (`markdown.isTrusted`).
 */
export const COMMANDS_ALLOWED_IN_LINKS: string[] = [
  ClientCommand.toggleFlag,
  ClientCommand.createFlag,
  ClientCommand.openInPostHog,
  ClientCommand.showFlagUsages,
  ClientCommand.copyKey,
  ClientCommand.refresh,
  ClientCommand.signIn,
];

export const CONFIG_SECTION = 'posthog';
export const FLAG_EXPLORER_VIEW = 'posthogFlags.explorer';
export const OUTPUT_CHANNEL_NAME = 'PostHog Flags';

/** SecretStorage entry: JSON `{host, key}` so the key is tied to the host it was checked against. */
export const SECRET_CREDENTIALS = 'posthog.credentials';
/** globalState entry: hosts (besides the sign-in host) the user agreed to send the key to. */
export const STATE_CONFIRMED_HOSTS = 'posthog.confirmedHosts';

export const US_CLOUD = 'https://us.posthog.com';
export const EU_CLOUD = 'https://eu.posthog.com';

/**
 * Test hook: when set in the extension host's environment to `yes` or `no`,
 * confirmations answer themselves (e2e tests). An environment variable, not a
 * setting, so a cloned repository cannot switch confirmations off.
 */
export const ENV_AUTO_CONFIRM = 'POSTHOG_FLAGS_TEST_AUTO_CONFIRM';
