// Runs dist/cli.js as a user would (for the `cli` test tier) and builds
// flag snapshot files for check/report/diff tests.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** dist/cli.js, or PHF_CLI_JS (a bundle built elsewhere, e.g. while another build rewrites dist/). */
export const CLI_JS = process.env.PHF_CLI_JS ?? join(__dirname, '..', '..', 'dist', 'cli.js');
export const FAKE_KEY = 'phx_testkey_fake_0001';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * The caller's variables a test must not inherit: the flag source, colour
 * (NO_COLOR, FORCE_COLOR, the terminal) and locale. Tests set what they assert on.
 */
export function isCallerSpecific(name: string): boolean {
  return name.startsWith('POSTHOG_') || ['NO_COLOR', 'FORCE_COLOR', 'TERM', 'COLORTERM', 'LANG', 'LANGUAGE', 'TZ'].includes(name) || name.startsWith('LC_');
}

/** Runs the CLI with an environment free of the caller's flag source, colour and locale variables (C locale, UTC). */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const env: Record<string, string> = { LC_ALL: 'C', TZ: 'UTC' };
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !isCallerSpecific(k)) env[k] = v;
  return new Promise((done) => {
    execFile(process.execPath, [CLI_JS, ...args], { cwd: opts.cwd, env: { ...env, ...opts.env }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const status = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      done({ status, stdout, stderr });
    });
  });
}

export interface FlagSpec {
  key: string;
  active?: boolean;
  deleted?: boolean;
  rollout?: number;
  status?: string;
  variants?: string[];
}

/** Writes a snapshot file in the list endpoint's shape; returns its path. */
export function writeFlagsFile(dir: string, flags: FlagSpec[], name = 'flags.json'): string {
  const results = flags.map((f, i) => ({
    id: i + 1,
    key: f.key,
    name: `Flag ${f.key}`,
    active: f.active ?? true,
    deleted: f.deleted ?? false,
    filters: {
      groups: [{ properties: f.rollout === 100 ? [] : [{ key: 'email', type: 'person', value: '@acme.com', operator: 'icontains' }], rollout_percentage: f.rollout ?? 50, variant: null }],
      multivariate: f.variants ? { variants: f.variants.map((key) => ({ key, rollout_percentage: 100 / f.variants!.length })) } : null,
      payloads: {},
    },
    created_at: new Date().toISOString(),
    status: f.status,
    tags: [],
  }));
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ count: results.length, next: null, previous: null, results }));
  return path;
}
