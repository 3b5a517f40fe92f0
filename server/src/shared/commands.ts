/**
 * Every command id, in one table. Client command ids use the
 * `posthogFlags.` prefix (contributed in package.json, registered by the VS
 * Code client, used in hovers and code actions when the client has them);
 * the server's `workspace/executeCommand` ids use `posthog.` (VS Code
 * throws when both sides register the same id). test/unit/client-manifest
 * ties this table to package.json and to the server's code actions.
 */

/** Commands the VS Code client registers (palette, menus, hover links, code actions). */
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
  changeRollout: 'posthogFlags.changeRollout',
  useFlagsFile: 'posthogFlags.useFlagsFile',
  showOutput: 'posthogFlags.showOutput',
  restartServer: 'posthogFlags.restartServer',
  /** Asks for a distinct id (and optional properties) and sends `posthog.evaluateFor`. */
  debugAsPerson: 'posthogFlags.debugAsPerson',
  /** Sends `posthog.evaluateFor` with `{}` (the status bar item's click). */
  stopDebugging: 'posthogFlags.stopDebugging',
} as const;

/** Commands the language server executes (interfaces.md, "Commands"). */
export const ServerCommand = {
  createFlag: 'posthog.createFlag',
  toggleFlag: 'posthog.toggleFlag',
  refresh: 'posthog.refresh',
  flagUsages: 'posthog.flagUsages',
  /**
   * Extension of the contract: `{key, rolloutPercentage}` sets the rollout
   * of a flag with exactly one condition group (re-read first, PATCH of
   * `filters` with only that percentage changed); returns
   * `{key, rolloutPercentage, version}`.
   */
  changeRollout: 'posthog.changeRollout',
  /** Extension of the contract: opens the flag's page (window/showDocument external); returns `{url, opened}`. */
  openInPostHog: 'posthog.openInPostHog',
  /** Sets (or with `{}` clears) the person being debugged (interfaces.md "Debugging"; shared/debug.ts). */
  evaluateFor: 'posthog.evaluateFor',
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
