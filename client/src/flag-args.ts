/** Reads the flag key out of a command's arguments, whoever called it. Pure. */

/**
 * Accepts what the callers pass: `{key}` (code actions, hover links: the
 * arguments array `[{key}]`), a plain string, or a Flag Explorer node
 * (`{flag: {key}}`).
 */
export function flagKeyFromArgs(args: readonly unknown[]): string | undefined {
  for (const arg of args) {
    if (typeof arg === 'string' && arg !== '') return arg;
    if (arg && typeof arg === 'object') {
      const o = arg as { key?: unknown; flag?: { key?: unknown } };
      if (typeof o.key === 'string' && o.key !== '') return o.key;
      if (o.flag && typeof o.flag.key === 'string') return o.flag.key;
    }
  }
  return undefined;
}

/** Reads `active` (boolean) from `[{key, active}]`, if given. */
export function activeFromArgs(args: readonly unknown[]): boolean | undefined {
  for (const arg of args) {
    if (arg && typeof arg === 'object' && typeof (arg as { active?: unknown }).active === 'boolean') return (arg as { active: boolean }).active;
  }
  return undefined;
}

/** Reads `rolloutPercentage` (a number) from `[{key, rolloutPercentage}]`, if given. */
export function rolloutFromArgs(args: readonly unknown[]): number | undefined {
  for (const arg of args) {
    const v = arg && typeof arg === 'object' ? (arg as { rolloutPercentage?: unknown }).rolloutPercentage : undefined;
    if (typeof v === 'number') return v;
  }
  return undefined;
}

/** URL of a flag in PostHog when the server did not give one: the flag list searched by key. */
export function flagSearchUrl(host: string, projectId: string | number | undefined, key: string): string {
  const project = projectId === undefined || projectId === '' || projectId === '@current' ? undefined : String(projectId);
  const base = host.replace(/\/+$/, '');
  return project ? `${base}/project/${project}/feature_flags?search=${encodeURIComponent(key)}` : `${base}/feature_flags?search=${encodeURIComponent(key)}`;
}
