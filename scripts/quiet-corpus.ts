// Checks quiet-body blanking (server/src/core/index/quiet-bodies.ts and
// server/src/core/tree-sitter/quiet-bodies.ts) against real code:
//
//   npx tsx scripts/quiet-corpus.ts DIR…      e.g. node_modules /usr/lib/python3
//
// 1. Every JS/TS, Python and Go file under the folders is blanked with no
//    loud term (the most that can go) and parsed both ways: blanking must add
//    no parse error and must keep the top-level statements (comments aside).
// 2. SDK calls are spliced into some of the files' bodies, and the files are
//    scanned with and without blanking: the usages must be identical.
// Prints the counts the README quotes; exits 1 on any difference.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { scanSource } from '../server/src/core/index';
import { blankQuietBodies } from '../server/src/core/index/quiet-bodies';
import { languageForPath } from '../server/src/core/languages';
import type { FileSource } from '../server/src/core/file-source';
import { createTreeSitterRuntime, type TreeSitterRuntime } from '../server/src/core/tree-sitter/extract';
import { blankQuietGo, blankQuietPython, includedRanges } from '../server/src/core/tree-sitter/quiet-bodies';
import { loadWasmFromDir } from '../server/src/node/tree-sitter-loader';

const MAX = 500_000;

function walk(dir: string, out: string[]): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.(tsx?|jsx?|mjs|cjs|py|go)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function memory(files: Record<string, string>): FileSource {
  const enc = new TextEncoder();
  return {
    root: '/corpus',
    async list() {
      return { files: Object.keys(files), skipped: [] };
    },
    async read(file: string) {
      return { ok: true as const, bytes: enc.encode(files[file]) };
    },
  };
}

const jsKind = (f: string) => (f.endsWith('.tsx') ? ts.ScriptKind.TSX : f.endsWith('.jsx') ? ts.ScriptKind.JSX : /\.[mc]?js$/.test(f) ? ts.ScriptKind.JS : ts.ScriptKind.TS);
const jsErrors = (sf: ts.SourceFile) => (sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length;
const jsShape = (sf: ts.SourceFile) => sf.statements.map((s) => ts.SyntaxKind[s.kind]).join(',');

/** Blank-and-parse check of one file; returns 'blanked' | 'kept' | 'new-error' | 'shape'. */
function checkSyntax(file: string, text: string, rt: TreeSitterRuntime): string {
  if (/\.(py|go)$/.test(file)) {
    const grammar = file.endsWith('.go') ? 'go' : 'python';
    const q = grammar === 'go' ? blankQuietGo(text, []) : blankQuietPython(text, []);
    if (!q) return 'kept';
    const parser = rt.slots.get(grammar)!.parser!;
    const a = parser.parse(text)!;
    const b = parser.parse(q.text, null, { includedRanges: includedRanges(q.text, q.skip) })!;
    const shape = (t: typeof a) => t.rootNode.children.map((c) => c?.type).filter((type) => type !== 'comment').join(',');
    const verdict = !a.rootNode.hasError && b.rootNode.hasError ? 'new-error' : !a.rootNode.hasError && shape(a) !== shape(b) ? 'shape' : 'blanked';
    a.delete();
    b.delete();
    return verdict;
  }
  const q = blankQuietBodies(text, []);
  if (!q) return 'kept';
  const a = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, jsKind(file));
  const b = ts.createSourceFile(file, q.text, ts.ScriptTarget.Latest, false, jsKind(file));
  if (jsErrors(b) > jsErrors(a)) return 'new-error';
  return jsErrors(a) === 0 && jsShape(a) !== jsShape(b) ? 'shape' : 'blanked';
}

/** The file with an SDK call spliced into every third body it opens; undefined when it has none. */
function splice(file: string, text: string, next: () => number): string | undefined {
  let count = 0;
  if (file.endsWith('.py')) {
    const lines = text.split('\n');
    const out: string[] = [];
    lines.forEach((line, i) => {
      out.push(line);
      if (!/^\s*(async\s+)?def\b.*:\s*$/.test(line) || ++count % 3) return;
      const body = lines.slice(i + 1).find((l) => l.trim() && !l.trim().startsWith('#'));
      const indent = body?.match(/^\s*/)?.[0] ?? '';
      if (!indent.includes('\t') && indent.length > (line.match(/^\s*/)?.[0].length ?? 0)) out.push(`${indent}posthog.feature_enabled('spliced-${next()}', user)`);
    });
    return count ? `import posthog\n${out.join('\n')}` : undefined;
  }
  if (file.endsWith('.go')) {
    const out = text.replace(/\) \{\n/g, (m) => (++count % 3 ? m : `${m}client.IsFeatureEnabled(posthog.FeatureFlagPayload{Key: "spliced-${next()}"})\n`));
    return count ? out : undefined;
  }
  if (text.startsWith('#!')) return undefined;
  const out = text.replace(/\) \{\n/g, (m) => (++count % 3 ? m : `${m}posthog.isFeatureEnabled('spliced-${next()}');\n`));
  return count ? `import posthog from 'posthog-js';\n${out}` : undefined;
}

async function main() {
  const dirs = process.argv.slice(2);
  if (!dirs.length) {
    console.error('usage: npx tsx scripts/quiet-corpus.ts DIR…');
    process.exit(2);
  }
  const rt = await createTreeSitterRuntime(loadWasmFromDir(), ['python', 'go']);
  const files = dirs.flatMap((d) => walk(d, []));
  const syntax: Record<string, Record<string, number>> = { js: {}, python: {}, go: {} };
  const spliced = { js: { files: 0, calls: 0 }, python: { files: 0, calls: 0 }, go: { files: 0, calls: 0 } };
  let differences = 0;
  let calls = 0;
  let batch: Record<string, string> = {};
  const flush = async () => {
    const exact = (await scanSource(memory(batch), { treeSitter: rt, quietBodies: false })).result;
    const quiet = (await scanSource(memory(batch), { treeSitter: rt, quietBodies: 'always' })).result;
    if (JSON.stringify([exact.usages, exact.unresolved]) !== JSON.stringify([quiet.usages, quiet.unresolved])) {
      differences++;
      const seen = new Set(quiet.usages.map((u) => `${u.file}:${u.line}:${u.column} ${u.key}`));
      console.log('DIFFERENT', exact.usages.map((u) => `${u.file}:${u.line}:${u.column} ${u.key}`).filter((u) => !seen.has(u)).slice(0, 5));
    }
    batch = {};
  };
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (text.length > MAX || !languageForPath(file)) continue;
    const family = file.endsWith('.py') ? 'python' : file.endsWith('.go') ? 'go' : 'js';
    const verdict = checkSyntax(file, text, rt);
    syntax[family][verdict] = (syntax[family][verdict] ?? 0) + 1;
    if (verdict === 'new-error' || verdict === 'shape') console.log(verdict.toUpperCase(), file);
    const before = calls;
    const withCalls = splice(file, text, () => calls++);
    if (withCalls === undefined || calls === before) continue;
    spliced[family].files++;
    spliced[family].calls += calls - before;
    batch[file.replace(/^\/+/, '')] = withCalls;
    if (Object.keys(batch).length >= 200) await flush();
  }
  await flush();
  console.log(JSON.stringify({ syntax, spliced, scanBatchesThatDiffer: differences }, null, 2));
  const bad = Object.values(syntax).some((v) => v['new-error'] || v.shape) || differences > 0;
  process.exit(bad ? 1 : 0);
}

void main();
