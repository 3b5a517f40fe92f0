// `npm run bench`: speed, memory and accuracy of the scanner on a generated
// monorepo (~5,000 files, ~1M lines, ~2,000 usages), in one run.
//
//   node scripts/bench.mjs [--runs N] [--only NAME[,NAME…]] [--regenerate]
//
// Sections run in order and share a context; a failing section prints why
// and the others still run. Add a section by appending to SECTIONS.
// Figures are compared with targets; nothing here fails a build (the
// benchmark is not a timed test).
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GENERATOR_VERSION, generate } from './bench/generate.mjs';
import { makeBadWorkspace } from './bench/bad-workspaces.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, '.bench');
const mono = join(benchDir, 'mono');
const cli = join(root, 'dist', 'cli.js');
const SEED = 20261125;

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, only: { type: 'string' }, regenerate: { type: 'boolean', default: false } },
});
const RUNS = Math.max(1, Number(args.runs) || 5);

// ---------- helpers ----------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => (x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`);
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const pct = (x) => `${(x * 100).toFixed(2)}%`;

function line(label, value, target, ok) {
  const mark = target === undefined ? '' : ok ? '  ✓' : '  ✗';
  console.log(`  ${label.padEnd(34)} ${String(value).padEnd(22)} ${target === undefined ? '' : `target ${target}`}${mark}`);
}

/** Wall time of one child process run, in ms; throws when it fails. */
function timed(cmd, argv, options = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: root, maxBuffer: 1 << 30, encoding: 'utf8', ...options });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  if (options.okStatus ? !options.okStatus.includes(r.status) : r.status !== 0) {
    throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${String(r.stderr).slice(0, 500)}`);
  }
  return { elapsed, stdout: r.stdout, stderr: r.stderr };
}

/** Median wall time over RUNS runs after one warm-up run (page cache warm for everyone alike). */
function medianTime(cmd, argv, options) {
  timed(cmd, argv, options);
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    last = timed(cmd, argv, options);
    times.push(last.elapsed);
    options?.after?.();
  }
  return { median: median(times), min: Math.min(...times), last };
}

/** `rg` on PATH, installing Debian's ripgrep when it is missing and we can (root, apt). */
function ensureRipgrep() {
  if (spawnSync('rg', ['--version']).status === 0) return;
  console.log("  rg is missing: installing Debian's ripgrep…");
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const apt = (...a) => {
    const [cmd, ...rest] = [...asRoot, 'apt-get', ...a];
    return spawnSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  };
  if (!apt('install', '-y', '-q', 'ripgrep') && !(apt('update', '-q') && apt('install', '-y', '-q', 'ripgrep'))) {
    throw new Error('rg (ripgrep) is needed for the ratios: install it (apt-get install ripgrep)');
  }
}

function ensureBuilt() {
  if (existsSync(cli)) return;
  console.log('dist/cli.js is missing: building…');
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

// ---------- sections ----------
/** @type {{name: string, title: string, run: (ctx: Record<string, any>) => Promise<void> | void}[]} */
const SECTIONS = [
  {
    name: 'tree',
    title: 'Synthetic monorepo',
    run(ctx) {
      const metaFile = join(benchDir, 'meta.json');
      const meta = existsSync(metaFile) ? JSON.parse(readFileSync(metaFile, 'utf8')) : undefined;
      if (args.regenerate || !meta || meta.version !== GENERATOR_VERSION || meta.seed !== SEED || !existsSync(mono)) {
        rmSync(mono, { recursive: true, force: true });
        mkdirSync(benchDir, { recursive: true });
        const start = Date.now();
        const { truth, files, lines, bytes } = generate({ outDir: mono, seed: SEED });
        writeFileSync(join(benchDir, 'truth.json'), JSON.stringify(truth));
        writeFileSync(metaFile, JSON.stringify({ version: GENERATOR_VERSION, seed: SEED, files, lines, bytes, usages: truth.length }, null, 2));
        console.log(`  generated in ${Date.now() - start} ms into ${mono}`);
      } else {
        console.log(`  reusing ${mono} (seed ${SEED}, generator v${GENERATOR_VERSION})`);
      }
      ctx.meta = JSON.parse(readFileSync(metaFile, 'utf8'));
      ctx.truth = JSON.parse(readFileSync(join(benchDir, 'truth.json'), 'utf8'));
      line('files (all kinds)', ctx.meta.files);
      line('lines', ctx.meta.lines.toLocaleString('en-US'));
      line('size', mb(ctx.meta.bytes));
      line('usages written (truth)', ctx.truth.length);
    },
  },
  {
    name: 'cold',
    title: `Cold scan (new process each run; median of ${RUNS})`,
    run(ctx) {
      ensureBuilt();
      ensureRipgrep();
      const rgPattern = 'isFeatureEnabled|useFeatureFlag|feature_enabled|get_feature_flag|FeatureFlagPayload|PostHogFeature|getFeatureFlag';
      const rg = medianTime('rg', ['-c', '--no-messages', rgPattern, mono], { okStatus: [0, 1] });
      const floor = medianTime(process.execPath, [join(root, 'scripts/bench/floor.mjs'), mono]);
      const rssFile = join(benchDir, 'max-rss.txt');
      rmSync(rssFile, { force: true });
      const cpus = [];
      const scan = medianTime(process.execPath, ['--require', join(root, 'scripts/bench/max-rss.cjs'), cli, 'scan', mono, '--json'], {
        env: { ...process.env, PHF_MAX_RSS_FILE: rssFile, PHF_CPU_FILE: join(benchDir, 'cpu.txt') },
        after: () => cpus.push(Number(readFileSync(join(benchDir, 'cpu.txt'), 'utf8'))),
      });
      const result = JSON.parse(scan.last.stdout);
      ctx.scan = result;
      ctx.scanMedian = scan.median;
      const rss = Number(readFileSync(rssFile, 'utf8'));
      line('rg (whole tree, regex)', ms(rg.median));
      line('floor: node walk + read every file', `${ms(floor.median)} (${(floor.median / rg.median).toFixed(2)}× rg)`);
      line('scan --json', ms(scan.median));
      line('scan CPU (user + system)', ms(median(cpus)));
      line('scan / rg', `${(scan.median / rg.median).toFixed(2)}×`, '≤ 20×', scan.median / rg.median <= 20);
      line('scan / floor', `${(scan.median / floor.median).toFixed(2)}×`);
      line('files scanned', result.filesScanned);
      line('files/s', Math.round(result.filesScanned / (scan.median / 1000)).toLocaleString('en-US'));
      line('peak RSS (scan)', mb(rss), '≤ 160 MB', rss <= 160 * 1024 * 1024);
      line('usages / unresolved / skipped', `${result.usages.length} / ${result.unresolved.length} / ${result.skipped.length}`);
    },
  },
  {
    name: 'start-up',
    title: `Start-up (new process each run; median of ${RUNS}; the code cache is written by the warm-up run)`,
    run() {
      ensureBuilt();
      const empty = join(benchDir, 'empty');
      mkdirSync(empty, { recursive: true });
      // The generator's Python and Go services alone (no JS/TS): once as large as the monorepo's, once a small service.
      const noJs = (name, sizes) => {
        const dir = join(benchDir, name);
        const metaFile = join(benchDir, `${name}.json`);
        const meta = existsSync(metaFile) ? JSON.parse(readFileSync(metaFile, 'utf8')) : undefined;
        if (!meta || meta.version !== GENERATOR_VERSION || !existsSync(dir)) {
          rmSync(dir, { recursive: true, force: true });
          const g = generate({ outDir: dir, seed: SEED, packages: 0, ...sizes });
          writeFileSync(metaFile, JSON.stringify({ version: GENERATOR_VERSION, files: g.files, usages: g.truth.length }));
        }
        return { dir, ...JSON.parse(readFileSync(metaFile, 'utf8')) };
      };
      const small = noJs('pygo-small', { pyServices: 2, goServices: 2 });
      const large = noJs('pygo', {});
      const measure = (dir, env = {}) => {
        const rssFile = join(benchDir, 'max-rss-start.txt');
        const cpuFile = join(benchDir, 'cpu-start.txt');
        const cpu = [];
        const rss = [];
        const r = medianTime(process.execPath, ['--require', join(root, 'scripts/bench/max-rss.cjs'), cli, 'scan', dir, '--json'], {
          env: { ...process.env, ...env, PHF_MAX_RSS_FILE: rssFile, PHF_CPU_FILE: cpuFile, PHF_CODE_CACHE_TRACE: '1' },
          after: () => {
            cpu.push(Number(readFileSync(cpuFile, 'utf8')));
            rss.push(Number(readFileSync(rssFile, 'utf8')));
          },
        });
        return { wall: r.median, cpu: median(cpu), rss: median(rss), typescript: r.last.stderr.includes('typescript.js'), usages: JSON.parse(r.last.stdout).usages.length };
      };
      const show = (label, m, target) => {
        const ok = m.cpu <= 300 && m.rss <= 70 * 1024 * 1024;
        line(label, `${ms(m.cpu)} CPU, ${mb(m.rss)}, ${ms(m.wall)} wall`, target ? '≤ 300 ms CPU, ≤ 70 MB' : undefined, ok);
      };
      const e = measure(empty);
      const eOff = measure(empty, { POSTHOG_FLAGS_CODE_CACHE: 'off' });
      show('empty folder', e, true);
      show('empty folder, no code cache', eOff);
      line('code cache: CPU / memory', `${(e.cpu / eOff.cpu).toFixed(2)}× / ${(e.rss / eOff.rss).toFixed(2)}×`);
      const s = measure(small.dir);
      show(`Python + Go, ${small.files} files`, s, true);
      line('  usages found / written', `${s.usages} / ${small.usages}`, 'equal', s.usages === small.usages);
      line('  TypeScript loaded', s.typescript ? 'yes' : 'no', 'no', !s.typescript);
      const l = measure(large.dir);
      show(`Python + Go, ${large.files} files`, l, true);
      line('  usages found / written', `${l.usages} / ${large.usages}`, 'equal', l.usages === large.usages);
      line('  TypeScript loaded', l.typescript ? 'yes' : 'no', 'no', !l.typescript);
    },
  },
  {
    name: 'accuracy',
    title: 'Accuracy against the generated truth',
    run(ctx) {
      if (!ctx.scan) {
        ensureBuilt();
        ctx.scan = JSON.parse(timed(process.execPath, [cli, 'scan', mono, '--json']).stdout);
      }
      const id = (u) => `${u.file}:${u.line}:${u.key}`;
      const truth = new Map(ctx.truth.map((t) => [id(t), t]));
      const found = new Map(ctx.scan.usages.map((u) => [id(u), u]));
      const missed = [...truth.keys()].filter((k) => !found.has(k));
      const extra = [...found.keys()].filter((k) => !truth.has(k));
      const hits = truth.size - missed.length;
      const recall = hits / truth.size;
      const precision = found.size ? (found.size - extra.length) / found.size : 0;
      let sameKind = 0;
      let sameColumn = 0;
      for (const [k, t] of truth) {
        const u = found.get(k);
        if (u?.kind === t.kind) sameKind++;
        if (u?.column === t.column) sameColumn++;
      }
      line('recall (file, line, key)', `${pct(recall)} (${hits}/${truth.size})`, '100%', missed.length === 0);
      line('precision', `${pct(precision)} (${extra.length} false)`, '100%', extra.length === 0);
      line('same kind as truth', pct(sameKind / truth.size));
      line('same column as truth', pct(sameColumn / truth.size));
      const show = (label, list, from) => {
        if (!list.length) return;
        console.log(`  ${label} (first 8 of ${list.length}):`);
        for (const k of list.slice(0, 8)) {
          const u = from.get(k);
          console.log(`    ${u.file}:${u.line}:${u.column} ${u.key} ${u.kind} ${u.call}`);
        }
      };
      show('missed', missed, truth);
      show('false positives', extra, found);
      const wrongKind = [...truth.keys()].filter((k) => found.has(k) && found.get(k).kind !== truth.get(k).kind);
      if (wrongKind.length) {
        const byForm = new Map();
        for (const k of wrongKind) {
          const form = `${truth.get(k).kind}→${found.get(k).kind} (${truth.get(k).call})`;
          byForm.set(form, (byForm.get(form) ?? 0) + 1);
        }
        console.log(`  kind differs: ${[...byForm].map(([f, n]) => `${f} ×${n}`).join(', ')}`);
      }
    },
  },
  {
    name: 'incremental',
    title: 'Incremental index.update (in process, 1,000 random single-file edits)',
    async run() {
      const entry = join(root, 'scripts/bench/incremental.ts');
      if (!existsSync(entry)) throw new Error('scripts/bench/incremental.ts is missing');
      ensureBuilt();
      const { build } = await import('esbuild');
      const outfile = join(benchDir, 'incremental.cjs');
      await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, logLevel: 'warning' });
      const r = timed(process.execPath, [outfile, mono, join(root, 'dist'), '1000', String(SEED)]);
      const s = JSON.parse(r.stdout);
      line('initial index build (in process)', ms(s.buildMs));
      line('update p50', ms(s.p50), '≤ 2 ms', s.p50 <= 2);
      line('update p99', ms(s.p99));
      line('update max', ms(s.max));
      line('edits (of which constant files)', `${s.edits} (${s.constantEdits})`);
      line('heap after edits', mb(s.heapUsed));
    },
  },
  {
    name: 'check',
    title: `check on the monorepo with 10,000 flags (snapshot file; median of ${RUNS})`,
    run(ctx) {
      ensureBuilt();
      // Every key the code uses, plus filler, to 10,000 flags: mostly active, some disabled, some at 100%.
      const used = [...new Set(ctx.truth.map((t) => t.key))];
      const keys = [...used, ...Array.from({ length: Math.max(0, 10000 - used.length) }, (_, i) => `bench-flag-${i}`)].slice(0, 10000);
      const flags = keys.map((key, i) => ({
        id: i + 1,
        key,
        name: `Bench flag ${i + 1}`,
        active: i % 7 !== 0,
        deleted: false,
        filters: { groups: [{ properties: i % 3 ? [{ key: 'email', type: 'person', value: '@acme.com', operator: 'icontains' }] : [], rollout_percentage: [10, 50, 100][i % 3], variant: null }], payloads: {} },
        created_at: '2026-01-01T00:00:00Z',
        tags: [],
      }));
      const flagsFile = join(benchDir, 'flags-10k.json');
      writeFileSync(flagsFile, JSON.stringify({ count: flags.length, next: null, previous: null, results: flags }));
      const rssFile = join(benchDir, 'max-rss-check.txt');
      rmSync(rssFile, { force: true });
      const check = medianTime(
        process.execPath,
        ['--require', join(root, 'scripts/bench/max-rss.cjs'), cli, 'check', mono, '--flags-file', flagsFile, '--format', 'json', '--fail-on', 'never'],
        { env: { ...process.env, PHF_MAX_RSS_FILE: rssFile } },
      );
      const out = JSON.parse(check.last.stdout);
      const rss = Number(readFileSync(rssFile, 'utf8'));
      line('check --format json', ms(check.median));
      if (ctx.scanMedian) line("check / scan --json", `${(check.median / ctx.scanMedian).toFixed(2)}×`);
      line('flags in snapshot', out.summary.flagsInPostHog);
      line('problems', `${out.summary.problems} (${Object.entries(out.summary.bySeverity).map(([k, v]) => `${k} ${v}`).join(', ')})`);
      line('peak RSS (check)', mb(rss), '≤ 200 MB', rss <= 200 * 1024 * 1024);
    },
  },
  {
    name: 'lsp',
    title: 'Language server over stdio (hovers while it indexes; then 1,000 hovers and 1,000 completions on the monorepo, 10,000 flags)',
    async run(ctx) {
      ensureBuilt();
      const { build } = await import('esbuild');
      const outfile = join(benchDir, 'lsp.cjs');
      await build({ entryPoints: [join(root, 'scripts/bench/lsp.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
      const flagsFile = join(benchDir, 'flags-lsp-10k.json');
      const used = [...new Set((ctx.truth ?? []).map((t) => t.key))];
      const keys = [...used, ...Array.from({ length: Math.max(0, 10000 - used.length) }, (_, i) => `bench-flag-${i}`)].slice(0, 10000);
      const flags = keys.map((key, i) => ({
        id: i + 1, key, name: `Bench flag ${i + 1}`, active: i % 7 !== 0, deleted: false,
        filters: { groups: [{ properties: [], rollout_percentage: [10, 50, 100][i % 3], variant: null }], payloads: {} },
        created_at: '2026-01-01T00:00:00Z', tags: [],
      }));
      writeFileSync(flagsFile, JSON.stringify({ count: flags.length, next: null, previous: null, results: flags }));
      const r = timed(process.execPath, [outfile, mono, flagsFile, '1000', join(benchDir, 'truth.json')], { env: { ...process.env, PHF_SERVER_JS: join(root, 'dist', 'server.js') } });
      const s = JSON.parse(r.stdout);
      const w = s.whileIndexing;
      line('hovers while indexing (cold start)', `${w.hovers} in ${ms(w.indexMs)} of indexing`);
      line('hover p50 while indexing', ms(w.p50));
      line('hover p99 while indexing', ms(w.p99), '≤ 5 ms', w.p99 <= 5);
      line('hover max while indexing', ms(w.max));
      line('start-up indexing (until progress end)', ms(s.indexMs));
      line('usages hovered (answered)', `${s.usages} (${s.hoverHits}/1000)`);
      line('hover p50', ms(s.hoverP50));
      line('hover p99', ms(s.hoverP99), '≤ 5 ms', s.hoverP99 <= 5);
      line('completion p50', ms(s.completionP50));
      line('completion p99', ms(s.completionP99), '≤ 10 ms', s.completionP99 <= 10);
      line('completion items (avg)', s.completionItemsAvg.toFixed(0));
    },
  },
  {
    name: 'bad-workspaces',
    title: 'Bad workspaces (100,000 small files, a 5 MB minified bundle, binary, invalid UTF-8, a link loop)',
    run() {
      ensureBuilt();
      const made = Date.now();
      const bad = makeBadWorkspace(join(benchDir, 'bad'));
      line('tree ready', ms(Date.now() - made));
      const rssFile = join(benchDir, 'max-rss-bad.txt');
      rmSync(rssFile, { force: true });
      const scan = medianTime(process.execPath, ['--require', join(root, 'scripts/bench/max-rss.cjs'), cli, 'scan', bad.root, '--json'], {
        env: { ...process.env, PHF_MAX_RSS_FILE: rssFile },
      });
      const result = JSON.parse(scan.last.stdout);
      const rss = Number(readFileSync(rssFile, 'utf8'));
      const reasons = {};
      for (const s of result.skipped) reasons[s.reason] = (reasons[s.reason] ?? 0) + 1;
      line('scan --json (100k files)', ms(scan.median), '≤ 30 s', scan.median <= 30_000);
      line('files scanned', result.filesScanned);
      line('files/s', Math.round(result.filesScanned / (scan.median / 1000)).toLocaleString('en-US'));
      line('peak RSS (scan)', mb(rss));
      line('usages found / written', `${result.usages.length} / ${bad.usages + 1}`, 'equal', result.usages.length === bad.usages + 1);
      line('skipped (reason: count)', Object.entries(reasons).map(([r, n]) => `${r}: ${n}`).join(', '), 'binary, minified, too-large', reasons.binary === 1 && reasons.minified === 1 && reasons['too-large'] === 1);
      const bundle = result.skipped.find((s) => s.file === 'bundle.min.js');
      line('5 MB bundle', bundle ? `skipped (${bundle.reason})` : 'read', 'skipped', Boolean(bundle));
      line('link loop followed', result.usages.some((u) => u.file.includes('/loop/')) ? 'yes' : 'no', 'no', !result.usages.some((u) => u.file.includes('/loop/')));
    },
  },
];

// ---------- index cache (section `cache`) ----------

/** A private copy of the monorepo (the 1% edits must not touch the shared tree), and an empty cache directory. */
function cacheWorkspace() {
  const base = mkdtempSync(join(tmpdir(), 'phf-bench-cache-'));
  const tree = join(base, 'mono');
  cpSync(mono, tree, { recursive: true });
  // Times well before the runs: stamps alone are trusted (no content hashes), as for files not just edited.
  const old = new Date(Date.now() - 3600_000);
  for (const f of readdirSync(tree, { recursive: true })) {
    const p = join(tree, String(f));
    if (statSync(p).isFile()) utimesSync(p, old, old);
  }
  return { base, tree, cacheDir: join(base, 'cache') };
}

/** `scan --json` with the cache, one new process; its output must equal the cold scan's. */
function cachedScan(tree, cacheDir) {
  return timed(process.execPath, [cli, 'scan', tree, '--json', '--cache-location', cacheDir]);
}

/** Warm scan, nothing changed since the cache was written: median of RUNS. */
function benchWarmScan(tree, cacheDir, coldStdout) {
  const first = cachedScan(tree, cacheDir);
  if (first.stdout !== coldStdout) throw new Error('the scan that wrote the cache differs from the cold scan');
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const r = cachedScan(tree, cacheDir);
    if (r.stdout !== coldStdout) throw new Error('the warm scan differs from the cold scan');
    times.push(r.elapsed);
  }
  return median(times);
}

/**
 * 1% of the source files changed before each run, median of RUNS; the last run checked against a cold scan.
 * `comment`: a comment line appended (the files' facts stay the same: the stored result is replayed).
 * `code`: a declaration appended (the facts change: the scan runs, with the other files' facts from the cache).
 */
function benchChangedScan(tree, cacheDir, kind) {
  const files = readdirSync(tree, { recursive: true }).map(String).filter((f) => /\.(tsx?|py|go)$/.test(f)).sort();
  const per = Math.max(1, Math.round(files.length / 100));
  const times = [];
  let last;
  const edit = (f, i, j) => {
    if (kind === 'comment') return f.endsWith('.py') ? `\n# edit ${i}\n` : `\n// edit ${i}\n`;
    const name = `bench_edit_${kind}_${i}_${j}`;
    return f.endsWith('.py') ? `\n${name.toUpperCase()} = ${i}\n` : f.endsWith('.go') ? `\nvar ${name} = ${i}\n` : `\nexport const ${name} = ${i};\n`;
  };
  for (let i = 0; i < RUNS; i++) {
    for (let j = 0; j < per; j++) {
      const f = files[((i * per + j) * 7919 + (kind === 'code' ? 13 : 0)) % files.length];
      appendFileSync(join(tree, f), edit(f, i, j));
    }
    last = cachedScan(tree, cacheDir);
    times.push(last.elapsed);
  }
  const coldNow = timed(process.execPath, [cli, 'scan', tree, '--json']);
  if (coldNow.stdout !== last.stdout) throw new Error(`after the edits (${kind}) the cached scan differs from the cold scan`);
  return { median: median(times), per };
}

/** The language server started twice on the tree with one cache directory (scripts/bench/lsp-warm.ts). */
async function benchLspWarm(tree, ctx) {
  const { build } = await import('esbuild');
  const outfile = join(benchDir, 'lsp-warm.cjs');
  await build({ entryPoints: [join(root, 'scripts/bench/lsp-warm.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
  const keys = [...new Set((ctx.truth ?? []).map((t) => t.key))].sort();
  const keysFile = join(dirname(tree), 'keys.json');
  writeFileSync(keysFile, JSON.stringify(keys));
  const flagsFile = join(dirname(tree), 'flags.json');
  const flags = keys.map((key, i) => ({ id: i + 1, key, name: key, active: i % 7 !== 0, deleted: false, filters: { groups: [{ properties: [], rollout_percentage: 50 }], payloads: {} }, created_at: '2026-01-01T00:00:00Z', tags: [] }));
  writeFileSync(flagsFile, JSON.stringify({ count: flags.length, next: null, previous: null, results: flags }));
  const lspCache = join(dirname(tree), 'lsp-cache');
  const r = timed(process.execPath, [outfile, tree, flagsFile, lspCache, keysFile], { env: { ...process.env, PHF_SERVER_JS: join(root, 'dist', 'server.js') } });
  return JSON.parse(r.stdout);
}

SECTIONS.push({
  name: 'cache',
  title: `Index cache (--cache; new process each run; median of ${RUNS})`,
  async run(ctx) {
    ensureBuilt();
    ensureRipgrep();
    const rgPattern = 'isFeatureEnabled|useFeatureFlag|feature_enabled|get_feature_flag|FeatureFlagPayload|PostHogFeature|getFeatureFlag';
    const { base, tree, cacheDir } = cacheWorkspace();
    try {
      const rg = medianTime('rg', ['-c', '--no-messages', rgPattern, tree], { okStatus: [0, 1] });
      const cold = medianTime(process.execPath, [cli, 'scan', tree, '--json']);
      const warm = benchWarmScan(tree, cacheDir, cold.last.stdout);
      line('rg (this copy of the tree)', ms(rg.median));
      line('cold scan --json', `${ms(cold.median)} (${(cold.median / rg.median).toFixed(1)}× rg)`);
      line('warm scan (cache valid)', ms(warm));
      line('warm scan (cache valid) / rg', `${(warm / rg.median).toFixed(1)}×`, '≤ 3×', warm / rg.median <= 3);
      // Two kinds of edit: one the stored result survives (a comment), one it does not (a declaration, as most edits are).
      for (const [kind, what] of [['comment', 'a comment appended'], ['code', 'a declaration appended']]) {
        const changed = benchChangedScan(tree, cacheDir, kind);
        line(`after 1% of files changed (${changed.per}), ${what}`, ms(changed.median));
        line(`after 1% changed, ${what} / rg`, `${(changed.median / rg.median).toFixed(1)}×`, '≤ 5×', changed.median / rg.median <= 5);
      }
      const lsp = await benchLspWarm(tree, ctx);
      line('LSP cold: first diagnostics', ms(lsp.cold.firstDiagnosticsMs));
      line('LSP cold: complete flagUsages', ms(lsp.cold.completeMs));
      line('LSP warm: first diagnostics', ms(lsp.warm.firstDiagnosticsMs));
      line('LSP warm: complete flagUsages', ms(lsp.warm.completeMs));
      line('LSP warm start: first diagnostics and complete flagUsages after initialized', ms(Math.max(lsp.warm.firstDiagnosticsMs, lsp.warm.completeMs)), '≤ 1 s', Math.max(lsp.warm.firstDiagnosticsMs, lsp.warm.completeMs) <= 1000);
      line('LSP warm: stored result shown', lsp.storedResultShown ? 'yes' : 'no');
      line('LSP warm: live index built by', ms(lsp.warm.indexedMs));
      line('LSP warm: facts reused / parsed', `${lsp.reused} / ${lsp.parsed}`);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  },
});

const only = args.only ? new Set(args.only.split(',')) : undefined;
const ctx = {};
console.log(`posthog-flags benchmark  (node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)})`);
if (loadavg()[0] > cpus().length / 2) console.log('  note: the machine is busy; timings will be noisy');
for (const section of SECTIONS) {
  if (only && !only.has(section.name) && section.name !== 'tree') continue;
  console.log(`\n${section.title}`);
  try {
    await section.run(ctx);
  } catch (err) {
    console.log(`  section failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
