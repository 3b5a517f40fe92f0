// Bundled and run by scripts/bench.mjs (section `incremental`):
//   node incremental.cjs <tree> <dist dir> <edits> <seed>
// Builds the index of <tree> in process, then times `index.update(file, text)`
// over random single-file edits (a line inserted, or a key literal changed),
// and prints one JSON object of figures on stdout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanSource } from '../../server/src/core/index';
import { loadTreeSitterRuntime } from '../../server/src/node/tree-sitter-runtime';
import { WorkTreeSource } from '../../server/src/node/work-tree-source';

async function main(): Promise<void> {
  const [tree, distDir, editsArg, seedArg] = process.argv.slice(2);
  const edits = Number(editsArg ?? 1000);
  let state = Number(seedArg ?? 1) >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const ts = await loadTreeSitterRuntime(distDir, ['python', 'go']);
  if (!ts.ok) throw new Error(`tree-sitter: ${ts.reason}`);
  const buildStart = performance.now();
  const { index } = await scanSource(new WorkTreeSource(tree), { treeSitter: ts.runtime });
  const buildMs = performance.now() - buildStart;

  const files = index.files();
  const texts = new Map<string, string>();
  const times: number[] = [];
  let constantEdits = 0;
  for (let i = 0; i < edits; i++) {
    const file = files[Math.floor(random() * files.length)];
    const before = texts.get(file) ?? readFileSync(join(tree, file), 'utf8');
    const lines = before.split('\n');
    const at = Math.floor(random() * lines.length);
    const literal = lines.findIndex((l, n) => n >= at && /'[a-z]+-[a-z0-9-]+'/.test(l));
    if (literal >= 0 && random() < 0.3) {
      lines[literal] = lines[literal].replace(/'([a-z]+-[a-z0-9-]+)'/, `'$1-e${i}'`); // a key changes
    } else {
      const comment = file.endsWith('.py') ? `# edit ${i}` : `// edit ${i}`;
      lines.splice(at, 0, comment);
    }
    if (/flags\/(constants|flag-enum)\.ts$/.test(file)) constantEdits++;
    const after = lines.join('\n');
    texts.set(file, after);
    const start = performance.now();
    index.update(file, after);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  process.stdout.write(
    `${JSON.stringify({ buildMs, edits, constantEdits, p50: q(0.5), p99: q(0.99), max: times[times.length - 1], heapUsed: process.memoryUsage().heapUsed })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
