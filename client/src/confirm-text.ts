/** Wording of the toggle confirmation. Pure: no `vscode` import. */

export interface ToggleSubject {
  key: string;
  name?: string;
  rollout: string;
  releasedToEveryone: boolean;
  /**
   * The flag's release conditions reach everyone once it is enabled (a
   * condition without properties at 100%): true for a disabled flag that
   * enabling releases to every user (`ReportFlag.reachesEveryoneWhenEnabled`).
   */
  reachesEveryoneWhenEnabled?: boolean;
}

export interface ToggleConfirmation {
  /** First line of the modal dialog. */
  message: string;
  detail: string;
  /** Label of the button that goes ahead (the dialog's Cancel is added by VS Code). */
  confirmLabel: string;
  /** True when the change reaches every user at once: shown as a warning. */
  loud: boolean;
}

/**
 * The modal confirmation before enabling or disabling a flag. Enabling a
 * flag whose conditions reach everyone is the loud one the README promises:
 * a warning whose button says *Enable for EVERYONE*.
 */
export function toggleConfirmation(flag: ToggleSubject, active: boolean): ToggleConfirmation {
  const named = flag.name && flag.name !== flag.key ? ` (${flag.name})` : '';
  const rollout = flag.rollout || 'unknown rollout';
  if (active && (flag.releasedToEveryone || flag.reachesEveryoneWhenEnabled)) {
    return {
      message: `Enable "${flag.key}" for EVERYONE?`,
      detail: `${
        flag.releasedToEveryone ? `The flag${named} is released to 100% of users (${rollout}).` : `The flag${named} is disabled, and its release conditions reach 100% of users (${rollout}).`
      } Enabling it turns the code behind it on for every user as soon as PostHog serves the change.`,
      confirmLabel: 'Enable for EVERYONE',
      loud: true,
    };
  }
  if (active) {
    return {
      message: `Enable feature flag "${flag.key}"?`,
      detail: `The flag${named} will be served again with its release conditions: ${rollout}. Affected: the users who match them.`,
      confirmLabel: 'Enable',
      loud: false,
    };
  }
  return {
    message: `Disable feature flag "${flag.key}"?`,
    detail: `The flag${named} is served to ${rollout}. Disabling it makes it false for all of them (affected: ${flag.releasedToEveryone ? 'every user' : rollout}).`,
    confirmLabel: 'Disable',
    loud: flag.releasedToEveryone,
  };
}

export interface RolloutSubject {
  key: string;
  name?: string;
  /** The single condition's percentage now. */
  from: number;
  to: number;
  /** The condition filters by properties (cohort, person, group): its 100% is not every user. */
  filtered: boolean;
  active: boolean;
}

/**
 * The modal confirmation of *Change Rollout…*, by the same rules as the
 * toggle: going to 100% is loud (a warning; "EVERYONE" when the condition
 * has no properties), any other change is a plain modal.
 */
export function rolloutConfirmation(s: RolloutSubject): ToggleConfirmation {
  const named = s.name && s.name !== s.key ? ` (${s.name})` : '';
  const who = s.filtered ? 'of the users matching its condition' : 'of users';
  const when = s.active ? 'as soon as PostHog serves the change' : 'once the flag is enabled (it is disabled now)';
  if (s.to === 100) {
    return {
      message: s.filtered ? `Roll out "${s.key}" to 100% of the users matching its condition?` : `Roll out "${s.key}" to EVERYONE?`,
      detail: `The flag${named} goes from ${s.from}% to 100% ${who}: every one of them gets it ${when}.`,
      confirmLabel: s.filtered ? 'Roll Out to 100%' : 'Roll Out to EVERYONE',
      loud: true,
    };
  }
  return {
    message: `Change the rollout of "${s.key}" from ${s.from}% to ${s.to}%?`,
    detail: `The flag${named} will be served to ${s.to}% ${who} ${when}.${s.to < s.from ? ` Some who have it now (${s.from}%) lose it.` : ''}`,
    confirmLabel: 'Change Rollout',
    loud: false,
  };
}
