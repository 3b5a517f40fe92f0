// Shared by the scan CLI tests: runs dist/cli.js as a user would, building
// it first when it is missing or older than the sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isCallerSpecific } from '../support/flags-cli';

export const repoRoot = join(__dirname, '..', '..');
export const cliPath = join(repoRoot, 'dist', 'cli.js');

function newestSourceMtime(): number {
  const dir = join(repoRoot, 'server', 'src');
  let newest = 0;
  for (const f of readdirSync(dir, { recursive: true })) newest = Math.max(newest, statSync(join(dir, String(f))).mtimeMs);
  return newest;
}

/** Builds dist/ unless dist/cli.js is newer than every server source. */
export function ensureBuilt(): void {
  if (existsSync(cliPath) && statSync(cliPath).mtimeMs >= newestSourceMtime()) return;
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js …args` in `cwd`, without the caller's flag source, colour or locale variables. */
export function runCli(args: string[], cwd = repoRoot): CliRun {
  const env: Record<string, string> = { LC_ALL: 'C', TZ: 'UTC' };
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !isCallerSpecific(k)) env[k] = v;
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
