/**
 * `posthog-flags cleanup KEY [dir] --keep enabled|disabled|VARIANT [--write] [--format diff|json]`:
 * rewrites every usage of KEY as if the flag always had the kept value
 * (contract: "Cleanup" in ../shared/docs/interfaces.md). Without --write a
 * unified diff on stdout; exit 0 when it ran, 2 on bad usage.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planCleanup, unifiedDiff } from '../../core/cleanup';
import { decodeSource, scanSource } from '../../core/index';
import { FLAG_KEY_PATTERN } from '../../core/sdk-calls';
import { loadTreeSitterRuntime } from '../../node/tree-sitter-runtime';
import { WorkTreeSource } from '../../node/work-tree-source';
import { UsageError, expectPositionals, parseCommandArgs, resolveDirectory } from '../args';
import { EXIT_OK, type CliIo } from '../io';
import { oneOf } from './check';

const FORMATS = ['diff', 'json'] as const;

export const OPTIONS = {
  keep: { type: 'string' },
  write: { type: 'boolean', default: false },
  format: { type: 'string', default: 'diff' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
} as const;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  const [key, dirArg] = positionals;
  if (key === undefined) throw new UsageError('missing the flag KEY');
  expectPositionals(positionals, 2, 'KEY and at most one directory');
  if (values.keep === undefined || values.keep === '') throw new UsageError('missing --keep enabled|disabled|VARIANT (the value the flag keeps)');
  if (values.keep !== 'enabled' && values.keep !== 'disabled' && !FLAG_KEY_PATTERN.test(values.keep)) throw new UsageError(`--keep: '${values.keep}' is not enabled, disabled or a variant key`);
  const format = oneOf(values.format, FORMATS, '--format');
  const dir = resolveDirectory(io.cwd, dirArg);
  const warn = (m: string) => io.stderr.write(`posthog-flags cleanup: ${m}\n`);

  const source = new WorkTreeSource(dir, { include: values.include, exclude: values.exclude });
  const tree = await loadTreeSitterRuntime(__dirname);
  if (!tree.ok) warn(`tree-sitter unavailable, only JS/TS files are read (${tree.reason})`);
  const { index } = await scanSource(source, tree.ok ? { treeSitter: tree.runtime } : {});
  const texts = new Map<string, string | undefined>();
  const bytesOf = new Map<string, Uint8Array>();
  for (const file of index.files()) {
    const read = await source.read(file);
    if (read.ok) bytesOf.set(file, read.bytes);
  }
  const textOf = (file: string): string | undefined => {
    if (!texts.has(file)) {
      const bytes = bytesOf.get(file);
      const decoded = bytes ? decodeSource(file, bytes) : undefined;
      texts.set(file, decoded?.ok ? decoded.text : undefined);
    }
    return texts.get(file);
  };
  if (index.usagesOfKey(key).length === 0) warn(`'${key}' is not used in ${dir}: nothing to clean up`);
  const plan = planCleanup(index, key, values.keep, textOf, { treeSitter: tree.ok ? tree.runtime : undefined });

  if (values.write) {
    for (const f of plan.files) writeFileSync(join(dir, f.file), withBom(bytesOf.get(f.file), f.after));
  }
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ key, keep: values.keep, files: plan.files.map((f) => ({ file: f.file, edits: f.edits })), manual: plan.manual }, null, 2)}\n`);
  } else if (!values.write) {
    io.stdout.write(plan.files.map((f) => unifiedDiff(f.file, f.before, f.after)).join(''));
  }
  if (format !== 'json') {
    for (const m of plan.manual) warn(`left as it is: ${m.file}:${m.line}:${m.column}: ${m.reason}`);
    if (values.write) warn(`${plan.files.length} file${plan.files.length === 1 ? '' : 's'} rewritten`);
  }
  return EXIT_OK;
}

/** The new text, with the byte-order mark the file had (decodeSource drops it). */
function withBom(bytes: Uint8Array | undefined, text: string): string {
  return bytes && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? `\ufeff${text}` : text;
}
