/** Wording of the toggle confirmation. Pure: no `vscode` import. */

export interface ToggleSubject {
  key: string;
  name?: string;
  rollout: string;
  releasedToEveryone: boolean;
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

export function toggleConfirmation(flag: ToggleSubject, active: boolean): ToggleConfirmation {
  const named = flag.name && flag.name !== flag.key ? ` (${flag.name})` : '';
  const rollout = flag.rollout || 'unknown rollout';
  if (active && flag.releasedToEveryone) {
    return {
      message: `Enable "${flag.key}" for EVERYONE?`,
      detail: `The flag${named} is released to 100% of users (${rollout}). Enabling it turns the code behind it on for every user as soon as PostHog serves the change.`,
      confirmLabel: 'Enable for Everyone',
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
