/** Helpers for the index tests: an in-memory FileSource and fixture loading. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FileSource } from '../../server/src/core/file-source';
import { isProjectConfig } from '../../server/src/core/index/module-resolution';
import { languageForPath } from '../../server/src/core/languages';
import type { Skipped, Usage } from '../../server/src/core/types';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'js');

/** A FileSource over a map of path → text or bytes; `unreadable` paths fail to read. */
export function memorySource(files: Record<string, string | Uint8Array>, opts: { unreadable?: string[]; root?: string } = {}): FileSource & { reads: string[] } {
  const reads: string[] = [];
  const enc = new TextEncoder();
  return {
    root: opts.root ?? '/mem',
    reads,
    async list() {
      return { files: Object.keys(files).filter((f) => languageForPath(f) || opts.unreadable?.includes(f)), skipped: [] as Skipped[], configs: Object.keys(files).filter(isProjectConfig) };
    },
    async read(file: string) {
      reads.push(file);
      if (opts.unreadable?.includes(file)) return { ok: false as const, skipped: { file, reason: 'unreadable' as const } };
      const v = files[file];
      if (v === undefined) return { ok: false as const, skipped: { file, reason: 'unreadable' as const } };
      return { ok: true as const, bytes: typeof v === 'string' ? enc.encode(v) : v };
    },
  };
}

/** Every file under `root` that `keep` accepts (given its full path), as path (relative, `/`) → text. */
export function loadDir(root: string, keep: (path: string) => boolean = () => true): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (keep(p)) out[relative(root, p).split('\\').join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

/** Every file under a fixture folder, as path (relative, `/`) → text. */
export function loadFixture(name: string): Record<string, string> {
  return loadDir(join(FIXTURES, name));
}

/** Compact `file:line:col key kind call` lines for readable deep-equals. */
export function brief(usages: Usage[]): string[] {
  return usages.map((u) => `${u.file}:${u.line}:${u.column} ${u.key} ${u.kind} ${u.call}`);
}

/** 1-based line/column of the first occurrence of `needle` in `text` (column of its first char + `shift`). */
export function positionOf(text: string, needle: string, shift = 0): { line: number; column: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, at + shift);
  const lines = before.split(/\r\n|\n|\r/);
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}
