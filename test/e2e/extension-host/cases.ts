/** Titles of the tests that run inside the extension host; the outer driver reports one result per title. */
export const EXTENSION_HOST_CASES = {
  activation: 'the extension activates on a TypeScript file and registers its commands',
  noKeyInSettings: 'no personal API key is readable from the settings',
  signIn: 'signs in against the fake PostHog and learns who the key belongs to',
  hover: 'hover over a flag key names the flag, its rollout and the cohort',
  swift: 'hover in the Swift file; the server is still running 30 s later (it died on Node 24: issue 13)',
  diagnostics: 'the typo is a missing-flag diagnostic that suggests the right key',
  createQuickFix: 'the create quick fix creates the flag in PostHog and the missing-flag diagnostic goes',
  toggle: 'toggle asks first, then PATCHes the flag; a declined confirmation changes nothing',
  report: 'the Flag Explorer report lists the demo flags in their groups',
  changeAlert: 'a flag released to everyone in PostHog becomes one warning notification with Show Usages and Open in PostHog',
  noSourceNoWrites: 'with no key and no snapshot there is no flag source and a write command asks nothing and sends nothing',
  projectName: 'the project name is remembered for the workspace and shown again right after a restart',
  kotlinPlainText: 'a .kt file opened as Plain Text (no Kotlin extension) gets the PostHog hover',
  enableEveryone: 'enabling a disabled flag whose condition reaches everyone asks the loud "Enable for EVERYONE" modal',
  changeRollout: 'Change Rollout asks the loud modal at 100%, and a confirmed change reaches PostHog',
  snapshotReadOnly: 'Use a Flags File makes the snapshot the source: writes are refused without a confirmation',
} as const;

export interface CaseResult {
  title: string;
  state: 'passed' | 'failed';
  error?: string;
  durationMs?: number;
}
