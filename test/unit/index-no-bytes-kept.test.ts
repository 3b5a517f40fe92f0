// A source that can read a file again synchronously (the work tree) lets the
// scan keep no file's bytes or text once its facts are taken (core/index/scan.ts,
// indexEntry): the results must be exactly those of a scan that keeps them,
// and the bytes must really be let go.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { scanSource } from '../../server/src/core/index';
import type { FileSource } from '../../server/src/core/file-source';
import { languageForPath } from '../../server/src/core/languages';
import { createTreeSitterRuntime, type TreeSitterRuntime } from '../../server/src/core/tree-sitter/extract';
import { loadWasmFromDir } from '../../server/src/node/tree-sitter-loader';
import { loadDir as loadDirWhere, memorySource } from './index-support';

const ROOT = join(__dirname, '..', '..');

/** The files of a folder the scan reads. */
const loadDir = (root: string) => loadDirWhere(root, (p) => Boolean(languageForPath(p)) || /(^|\/)(package|tsconfig|jsconfig)\.json$|go\.mod$/.test(p));

/** memorySource with `readSync` (a fresh copy each time, as a disk read gives), counting the reads again. */
function rereadingSource(files: Record<string, string>): FileSource & { rereads: string[] } {
  const base = memorySource(files);
  const enc = new TextEncoder();
  const rereads: string[] = [];
  return {
    ...base,
    rereads,
    readSync(file: string) {
      rereads.push(file);
      const v = files[file];
      return v === undefined ? { ok: false as const, skipped: { file, reason: 'unreadable' as const } } : { ok: true as const, bytes: enc.encode(v) };
    },
  };
}

const FOLDERS = [
  ...['js', 'langs', 'real-world/js'].flatMap((d) => readdirSync(join(ROOT, 'test/fixtures', d)).map((f) => `test/fixtures/${d}/${f}`)),
  'examples/demo',
].filter((f) => statSync(join(ROOT, f)).isDirectory());

describe('scan: no bytes or text kept where the source can read again', function () {
  this.timeout(120_000);
  let rt: TreeSitterRuntime;
  before(async () => {
    rt = await createTreeSitterRuntime(loadWasmFromDir());
  });

  for (const folder of FOLDERS) {
    it(`${folder}: the same usages, unresolved calls and skipped files`, async () => {
      const files = loadDir(join(ROOT, folder));
      const kept = (await scanSource(memorySource(files), { treeSitter: rt })).result;
      const source = rereadingSource(files);
      const reread = (await scanSource(source, { treeSitter: rt })).result;
      assert.deepEqual(reread, kept);
    });
  }

  it('the fixtures really are read again (the comparisons above mean something)', async () => {
    let rereads = 0;
    let usages = 0;
    for (const folder of FOLDERS) {
      const source = rereadingSource(loadDir(join(ROOT, folder)));
      usages += (await scanSource(source, { treeSitter: rt })).result.usages.length;
      rereads += source.rereads.length;
    }
    assert.ok(usages > 100, `${usages} usages`);
    assert.ok(rereads > 20, `${rereads} files read again`);
  });

  it('generated programs (wrappers found late, constants and barrels in unparsed files): the same results', async () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
    const program = fc.record({
      keys: fc.array(key, { minLength: 1, maxLength: 4 }),
      viaWrapper: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
      quietFiller: fc.integer({ min: 0, max: 3 }),
      wrapperLast: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(program, async (p) => {
        const filler = Array.from({ length: p.quietFiller }, (_, i) => `export function helper${i}(x: number) {\n  return x + ${i};\n}\n`).join('');
        const files: Record<string, string> = {
          'src/flags.ts': `export const FLAGS = { ${p.keys.map((k, i) => `K${i}: '${k}'`).join(', ')} } as const;\n`,
          'src/index.ts': "export * from './flags';\nexport * from './gate';\n",
          // A wrapper: found only once gate.ts is parsed; callers blanked before that are read again.
          [p.wrapperLast ? 'src/zz-gate.ts' : 'src/gate.ts']: "import posthog from 'posthog-js';\nexport function gate(k: string) {\n  return posthog.isFeatureEnabled(k);\n}\n",
          'src/app.ts': [
            "import posthog from 'posthog-js';",
            "import { FLAGS } from './index';",
            `import { gate } from './${p.wrapperLast ? 'zz-gate' : 'gate'}';`,
            filler,
            ...p.keys.map((_, i) => (p.viaWrapper[i % p.viaWrapper.length] ? `export function use${i}() {\n  if (gate(FLAGS.K${i})) return 1;\n  return 0;\n}` : `export const v${i} = posthog.isFeatureEnabled(FLAGS.K${i});`)),
          ].join('\n'),
          'src/other.ts': `import { gate } from './${p.wrapperLast ? 'zz-gate' : 'gate'}';\nexport function later() {\n  return gate('${p.keys[0]}');\n}\n`,
        };
        if (!p.wrapperLast) files['src/index.ts'] = "export * from './flags';\nexport * from './gate';\n";
        else files['src/index.ts'] = "export * from './flags';\n";
        const kept = (await scanSource(memorySource(files), { quietBodies: 'always' })).result;
        const reread = (await scanSource(rereadingSource(files), { quietBodies: 'always' })).result;
        assert.deepEqual(reread, kept);
        assert.ok(kept.usages.length >= p.keys.length);
      }),
      { numRuns: 60, seed: 20261206 },
    );
  });

  it('the bytes read are let go while the index lives on (and kept without readSync: the check can fail)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // Files no usage needs stay unparsed: without readSync, their bytes are what the index keeps.
    const files = { ...loadDir(join(ROOT, 'test/fixtures/js/resolution')), 'src/unrelated.ts': 'export const x = 1;\n', 'svc/util.py': 'def f():\n    return 1\n' };
    const alive = async (withReread: boolean) => {
      const refs: Array<WeakRef<Uint8Array>> = [];
      const base = withReread ? rereadingSource(files) : memorySource(files);
      const source: FileSource = {
        ...base,
        async read(file: string) {
          const r = await base.read(file);
          if (r.ok) refs.push(new WeakRef(r.bytes));
          return r;
        },
      };
      const { index, result } = await scanSource(source);
      assert.ok(result.usages.length > 0);
      for (let i = 0; i < 3; i++) {
        await new Promise((done) => setImmediate(done));
        gc();
      }
      const left = refs.filter((r) => r.deref() !== undefined).length;
      assert.ok(index.usages().length > 0, 'the index is still alive here');
      return { left, total: refs.length };
    };
    const without = await alive(false);
    const withReread = await alive(true);
    assert.ok(without.left > 0, `without readSync some bytes stay (${without.left} of ${without.total})`);
    assert.equal(withReread.left, 0, `${withReread.left} of ${withReread.total} files' bytes still alive`);
  });
});
