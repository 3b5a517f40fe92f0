// `npm run demo`: builds if needed, then runs the CLI on the bundled demo app
// (examples/demo): `scan`, then `check` against the demo's flags snapshot
// (no PostHog account needed). Problems found by `check` are the point of the
// demo, so they do not fail it; only a tool that cannot run does.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const demo = join(root, 'examples', 'demo');

/** Newest modification time of the CLI's sources, to rebuild a stale dist/. */
function newestSource() {
  const dir = join(root, 'server', 'src');
  let newest = 0;
  for (const f of readdirSync(dir, { recursive: true })) newest = Math.max(newest, statSync(join(dir, String(f))).mtimeMs);
  return newest;
}

if (!existsSync(cli) || statSync(cli).mtimeMs < newestSource()) {
  console.log('> npm run build');
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

/** Runs the CLI as a user would; returns its exit status. */
function posthogFlags(...args) {
  console.log(`\n> posthog-flags ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const scan = posthogFlags('scan', 'examples/demo');
if (scan !== 0) {
  console.error(`\nscan failed (exit ${scan})`);
  process.exit(1);
}

// check: 0 = clean, 1 = problems found (expected here: a typo'd key, a disabled flag…).
const check = posthogFlags('check', 'examples/demo', '--flags-file', join('examples', 'demo', 'posthog-flags.json'));
if (check !== 0 && check !== 1) {
  console.error(`\ncheck failed to run (exit ${check})`);
  process.exit(1);
}
console.log(`\nDemo done: scan and check ran on ${demo}.`);
