// Runs every test tier and closes with one "N passed, N failed" line that
// totals them all (CI reads that line, not mocha's own summaries).
//
//   node scripts/test.mjs            all tiers
//   node scripts/test.mjs unit e2e   only the named tiers
//
// Tiers: typecheck (tsc --noEmit), build, unit (pure core), protocol (the
// real dist/server.js over stdio against the fake PostHog), cli (dist/cli.js
// as a user runs it), e2e (real editors: code-server, Neovim, Emacs; installs
// what it needs via scripts/setup-editors.sh).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);
const all = ['typecheck', 'build', 'unit', 'protocol', 'cli', 'e2e'];
const tiers = wanted.length ? wanted : all;
const statsDir = mkdtempSync(join(tmpdir(), 'phf-stats-'));
let passed = 0;
let failed = 0;
let pending = 0;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function mochaTier(name) {
  const dir = join(root, 'test', name);
  if (!existsSync(dir)) return;
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join('test', name, f));
  if (files.length === 0) return;
  const statsFile = join(statsDir, `${name}.json`);
  console.log(`\n=== tier: ${name} (${files.length} files) ===`);
  const ok = run(process.execPath, [join(root, 'node_modules/mocha/bin/mocha.js'), ...files], { PHF_STATS_FILE: statsFile });
  if (existsSync(statsFile)) {
    const s = JSON.parse(readFileSync(statsFile, 'utf8'));
    passed += s.passes;
    failed += s.failures;
    pending += s.pending;
    if (!ok && s.failures === 0) failed += 1; // the runner itself broke
  } else {
    console.error(`tier ${name}: mocha did not finish`);
    failed += 1;
  }
}

for (const tier of tiers) {
  if (tier === 'typecheck') {
    console.log('\n=== tier: typecheck ===');
    if (run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.'])) passed += 1;
    else failed += 1;
  } else if (tier === 'build') {
    console.log('\n=== tier: build ===');
    if (run(process.execPath, [join(root, 'scripts/build.mjs')])) passed += 1;
    else { failed += 1; break; }
  } else if (tier === 'e2e') {
    if (!run('bash', [join(root, 'scripts/setup-editors.sh')])) { console.error('e2e: editor setup failed'); failed += 1; continue; }
    mochaTier('e2e');
  } else {
    mochaTier(tier);
  }
}
rmSync(statsDir, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
