// The real-code check of the index: precision and recall on public
// repositories we did not write, against hand-verified usages.
//
//   npm run corpus -- <folder of checkouts> [--mirrors DIR] [--repo OWNER/NAME]… [--json] [--list N] [--cli FILE] [--cache]
//
// --cache: each repository is also scanned twice with a fresh index cache
// (the run that writes it, then one that reads it); both outputs must equal
// the cold scan's, byte for byte (a difference is an error row).
//
// test/corpus/repos/<owner>+<name>.json holds, per repository, the pinned
// commit and every flag usage found by reading the code (file, line, key,
// kind, language): facts only, never source. The checkouts live outside this
// repository, one folder per repository named `<owner>+<name>`; with
// `--mirrors DIR` a missing one is extracted from the git mirror
// DIR/<owner>+<name> at the pinned commit (`git archive`, nothing is built or run).
//
// A usage matches when file, line and key agree. Recall counts by the
// expected kind and language, precision by the found ones. A scope in the
// corpus file limits the comparison to those folders.
//
// A corpus file with `"holdout": true` is a repository the index was never
// tuned on: its figures are kept apart (first-contact precision and recall)
// and never mixed into the main ones. `--holdout` runs only those,
// `--no-holdout` only the others.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let checkouts;
let mirrors;
let asJson = false;
let withCache = false;
let listMax = 25;
let cli = join(root, 'dist', 'cli.js');
let holdoutFilter; // undefined: all; true: only holdout; false: none of them
const only = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--mirrors') mirrors = args[++i];
  else if (a === '--repo') only.push(args[++i]);
  else if (a === '--json') asJson = true;
  else if (a === '--cache') withCache = true;
  else if (a === '--holdout') holdoutFilter = true;
  else if (a === '--no-holdout') holdoutFilter = false;
  else if (a === '--list') listMax = Number(args[++i]);
  else if (a === '--cli') cli = args[++i]; // another build, e.g. an older commit's, for before → after
  else if (a === '--help' || a === '-h') usage(0);
  else if (!checkouts) checkouts = a;
  else usage(2);
}
if (!checkouts) usage(2);

function usage(code) {
  console.error('usage: npm run corpus -- <folder of checkouts> [--mirrors DIR] [--repo OWNER/NAME]… [--json] [--list N] [--cli FILE] [--cache] [--holdout | --no-holdout]');
  process.exit(code);
}

if (!existsSync(cli)) {
  console.error(`${cli} is missing: run \`npm run build\` first`);
  process.exit(2);
}

const corpusDir = join(root, 'test', 'corpus', 'repos');
const entries = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(corpusDir, f), 'utf8')))
  .filter((c) => !only.length || only.includes(c.repo))
  .filter((c) => holdoutFilter === undefined || Boolean(c.holdout) === holdoutFilter);

const KINDS = ['literal', 'constant', 'wrapper'];
const group = () => ({ total: counter(), byKind: Object.fromEntries(KINDS.map((k) => [k, counter()])), byLanguage: {}, repos: 0 });
const groups = { main: group(), holdout: group() };
const rows = [];
const misses = [];
const falsePositives = [];
let missingCheckouts = 0;
let cacheChecked = 0;

for (const c of entries) {
  const name = c.repo.replace('/', '+');
  const dir = join(checkouts, name);
  if (!existsSync(dir) && mirrors && existsSync(join(mirrors, name))) extract(join(mirrors, name), c.commit, dir);
  if (!existsSync(dir)) {
    rows.push({ repo: c.repo, error: 'no checkout' });
    missingCheckouts++;
    continue;
  }
  const r = spawnSync(process.execPath, [cli, 'scan', dir, '--json'], { maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' });
  if (r.status !== 0) {
    rows.push({ repo: c.repo, error: `scan exited ${r.status}: ${r.stderr.trim().split('\n').pop()}` });
    continue;
  }
  if (withCache) {
    const cacheDir = mkdtempSync(join(tmpdir(), 'phf-corpus-cache-'));
    try {
      const runs = [1, 2].map(() => spawnSync(process.execPath, [cli, 'scan', dir, '--json', '--cache-location', cacheDir], { maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' }));
      const bad = runs.findIndex((x) => x.status !== 0 || x.stdout !== r.stdout || x.stderr !== '');
      if (bad >= 0) {
        rows.push({ repo: c.repo, error: `the ${bad ? 'warm' : 'first'} scan with --cache differs from the cold scan${runs[bad].stderr ? `: ${runs[bad].stderr.trim()}` : ''}` });
        continue;
      }
      cacheChecked++;
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  const scan = JSON.parse(r.stdout);
  const inScope = (file) => !c.scope?.length || c.scope.some((s) => file === s || file.startsWith(s.replace(/\/$/, '') + '/'));
  const found = scan.usages.filter((u) => inScope(u.file));
  const expected = c.usages;
  const pool = new Map();
  for (const u of found) {
    const k = `${u.file}\0${u.line}\0${u.key}`;
    if (!pool.has(k)) pool.set(k, []);
    pool.get(k).push(u);
  }
  const g = c.holdout ? groups.holdout : groups.main;
  const { total, byKind, byLanguage } = g;
  g.repos++;
  const row = { repo: c.repo, category: c.category, ...(c.holdout ? { holdout: true } : {}), ...counter() };
  const matched = new Set();
  for (const e of expected) {
    const k = `${e.file}\0${e.line}\0${e.key}`;
    const hit = pool.get(k)?.find((u) => !matched.has(u));
    const lang = (byLanguage[e.language] ??= counter());
    for (const t of [row, total, byKind[e.kind] ?? (byKind[e.kind] = counter()), lang]) t.expected++;
    if (hit) {
      matched.add(hit);
      for (const t of [row, total, byKind[e.kind], lang]) t.recalled++;
    } else misses.push(`${c.holdout ? '[holdout] ' : ''}${c.repo} ${e.file}:${e.line} ${e.key} (${e.kind}, ${e.call ?? '?'})`);
  }
  for (const u of found) {
    const lang = (byLanguage[u.language] ??= counter());
    for (const t of [row, total, byKind[u.kind] ?? (byKind[u.kind] = counter()), lang]) t.found++;
    if (matched.has(u)) for (const t of [row, total, byKind[u.kind], lang]) t.correct++;
    else falsePositives.push(`${c.holdout ? '[holdout] ' : ''}${c.repo} ${u.file}:${u.line}:${u.column} ${u.key} (${u.kind}, ${u.call})`);
  }
  row.unresolved = scan.unresolved.filter((u) => inScope(u.file)).length;
  row.unresolvedImport = scan.unresolved.filter((u) => inScope(u.file) && u.reason === 'import').length;
  row.guessed = found.filter((u) => u.guessedImport !== undefined).length;
  rows.push(row);
}

function counter() {
  return { expected: 0, recalled: 0, found: 0, correct: 0 };
}

function extract(mirror, commit, dir) {
  mkdirSync(dir, { recursive: true });
  try {
    const tar = execFileSync('git', ['--git-dir', mirror, 'archive', '--format=tar', commit], { maxBuffer: 2 * 1024 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar, maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    console.error(`could not extract ${mirror} at ${commit}: ${e.message}`);
  }
}

const pct = (a, b) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`);
const summary = (t) => ({ precision: pct(t.correct, t.found), recall: pct(t.recalled, t.expected), ...t });

if (asJson) {
  const figures = (g) => ({ total: summary(g.total), byKind: mapValues(g.byKind, summary), byLanguage: mapValues(g.byLanguage, summary) });
  console.log(
    JSON.stringify({ ...(withCache ? { cacheChecked } : {}), ...figures(groups.main), ...(groups.holdout.repos ? { holdout: figures(groups.holdout) } : {}), repos: rows.map((r) => (r.error ? r : { ...r, ...summary(r) })), misses, falsePositives }, null, 2),
  );
} else {
  console.log(`${'repository'.padEnd(44)} ${'category'.padEnd(12)} ${'expected'.padStart(8)} ${'found'.padStart(6)} ${'recall'.padStart(7)} ${'precision'.padStart(9)}  unresolved (import) guessed`);
  for (const r of rows) {
    if (r.error) {
      console.log(`${r.repo.padEnd(44)} ${r.error}`);
      continue;
    }
    console.log(
      `${r.repo.padEnd(44)} ${String(r.category ?? '').padEnd(12)} ${String(r.expected).padStart(8)} ${String(r.found).padStart(6)} ${pct(r.recalled, r.expected).padStart(7)} ${pct(r.correct, r.found).padStart(9)}  ${r.unresolved} (${r.unresolvedImport}) ${r.guessed}`,
    );
  }
  for (const [name, g] of Object.entries(groups)) {
    if (!g.repos) continue;
    console.log('');
    if (name === 'holdout') console.log(`holdout (first contact, ${g.repos} repositories):`);
    console.log(`by kind:`);
    for (const [k, t] of Object.entries(g.byKind)) console.log(`  ${k.padEnd(10)} recall ${pct(t.recalled, t.expected).padStart(7)} (${t.recalled}/${t.expected})  precision ${pct(t.correct, t.found).padStart(7)} (${t.correct}/${t.found})`);
    console.log(`by language:`);
    for (const [k, t] of Object.entries(g.byLanguage).sort()) console.log(`  ${k.padEnd(16)} recall ${pct(t.recalled, t.expected).padStart(7)} (${t.recalled}/${t.expected})  precision ${pct(t.correct, t.found).padStart(7)} (${t.correct}/${t.found})`);
  }
  console.log('');
  console.log(`misses (${misses.length}):`);
  for (const m of misses.slice(0, listMax)) console.log(`  ${m}`);
  if (misses.length > listMax) console.log(`  … ${misses.length - listMax} more (--list N)`);
  console.log(`false positives (${falsePositives.length}):`);
  for (const m of falsePositives.slice(0, listMax)) console.log(`  ${m}`);
  if (falsePositives.length > listMax) console.log(`  … ${falsePositives.length - listMax} more (--list N)`);
  console.log('');
  const line = (t, n) => `recall ${pct(t.recalled, t.expected)} (${t.recalled}/${t.expected}), precision ${pct(t.correct, t.found)} (${t.correct}/${t.found}) over ${n} repositories`;
  const scanned = (holdout) => rows.filter((r) => !r.error && Boolean(r.holdout) === holdout).length;
  if (groups.main.repos) console.log(`overall: ${line(groups.main.total, scanned(false))}`);
  if (groups.holdout.repos) console.log(`holdout (first contact): ${line(groups.holdout.total, scanned(true))}`);
  if (withCache) console.log(`index cache: the scans with --cache (writing, then reading it) equal the cold scan in ${cacheChecked} of ${rows.length - missingCheckouts} repositories`);
}

function mapValues(o, f) {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}
