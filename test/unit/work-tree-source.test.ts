import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MAX_FILE_BYTES } from '../../server/src/core/file-source';
import { WorkTreeSource } from '../../server/src/node/work-tree-source';

function makeTree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'phf-wt-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const roots: string[] = [];
function tree(files: Record<string, string | Buffer>): string {
  const root = makeTree(files);
  roots.push(root);
  return root;
}

after(() => {
  for (const r of roots) {
    try {
      chmodSync(join(r, 'locked'), 0o755);
    } catch {
      /* not every tree has one */
    }
    rmSync(r, { recursive: true, force: true });
  }
});

async function listed(root: string, options = {}): Promise<string[]> {
  return (await new WorkTreeSource(root, options).list()).files;
}

describe('WorkTreeSource', () => {
  it('lists source files by extension, sorted, with / separators', async () => {
    const root = tree({ 'b.ts': '', 'a/c.PY': '', 'a/d.go': '', 'README.md': '', 'img.png': '', 'Makefile': '' });
    assert.deepEqual(await listed(root), ['a/c.PY', 'a/d.go', 'b.ts']);
  });

  it('skips node_modules at any depth and .git, whatever the options say', async () => {
    const root = tree({
      'node_modules/x/index.js': '',
      'packages/web/node_modules/y/index.ts': '',
      '.git/hooks/pre-commit.js': '',
      'packages/web/src/app.tsx': '',
    });
    assert.deepEqual(await listed(root, { include: ['node_modules', '**/*.js', '**/*.ts', '**/*.tsx'] }), ['packages/web/src/app.tsx']);
  });

  it('honours nested .gitignore files with their own relative semantics and negations', async () => {
    const root = tree({
      '.gitignore': '*.gen.ts\n/top-only.ts\nlogs/\n',
      'top-only.ts': '',
      'sub/top-only.ts': '', // `/top-only.ts` is anchored at the root
      'a.gen.ts': '',
      'sub/b.gen.ts': '',
      'sub/.gitignore': '!keep.gen.ts\n/local.ts\n',
      'sub/keep.gen.ts': '', // a deeper negation wins
      'sub/local.ts': '',
      'local.ts': '', // sub's rule does not apply above it
      'logs/x.ts': '',
      'sub/logs/y.ts': '',
      'kept.ts': '',
    });
    assert.deepEqual(await listed(root), ['kept.ts', 'local.ts', 'sub/keep.gen.ts', 'sub/top-only.ts']);
  });

  it('does not re-include files inside an ignored directory (git semantics)', async () => {
    const root = tree({ '.gitignore': 'gen/\n!gen/keep.ts\n', 'gen/keep.ts': '', 'ok.ts': '' });
    assert.deepEqual(await listed(root), ['ok.ts']);
  });

  it('honours .git/info/exclude and the .gitignore files above a scanned subfolder', async () => {
    const root = tree({
      '.git/info/exclude': 'secret.ts\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'packages/web/gen/\n*.tmp.ts\n',
      'packages/web/gen/a.ts': '',
      'packages/web/src/secret.ts': '',
      'packages/web/src/x.tmp.ts': '',
      'packages/web/src/app.ts': '',
    });
    assert.deepEqual(await listed(join(root, 'packages/web')), ['src/app.ts']);
    assert.deepEqual(await listed(root), ['packages/web/src/app.ts']);
  });

  it('scans a folder the repository ignores when it is the folder asked for', async () => {
    const root = tree({ '.git/HEAD': '', '.gitignore': '.bench/\n*.tmp.ts\n', '.bench/mono/a.ts': '', '.bench/mono/b.tmp.ts': '' });
    assert.deepEqual(await listed(join(root, '.bench/mono')), ['a.ts', 'b.tmp.ts']);
    assert.deepEqual(await listed(root), []);
  });

  it('leaves out default build-output folders unless an include names them', async () => {
    const root = tree({ 'dist/a.js': '', 'pkg/build/b.js': '', 'vendor/c.go': '', '.next/d.js': '', 'src/e.ts': '' });
    assert.deepEqual(await listed(root), ['src/e.ts']);
    assert.deepEqual(await listed(root, { include: ['pkg/build/**', 'src'] }), ['pkg/build/b.js', 'src/e.ts']);
    assert.deepEqual(await listed(root, { defaultExcludes: false }), ['.next/d.js', 'dist/a.js', 'pkg/build/b.js', 'src/e.ts', 'vendor/c.go']);
  });

  it('applies --include (only matching files) and --exclude (gitignore-style globs)', async () => {
    const root = tree({ 'src/a.ts': '', 'src/a.test.ts': '', 'src/deep/b.tsx': '', 'scripts/c.py': '', 'legacy/d.ts': '' });
    assert.deepEqual(await listed(root, { include: ['src/**'] }), ['src/a.test.ts', 'src/a.ts', 'src/deep/b.tsx']);
    assert.deepEqual(await listed(root, { include: ['*.tsx', '*.py'] }), ['scripts/c.py', 'src/deep/b.tsx']);
    assert.deepEqual(await listed(root, { exclude: ['*.test.ts', 'legacy/'] }), ['scripts/c.py', 'src/a.ts', 'src/deep/b.tsx']);
    assert.deepEqual(await listed(root, { include: ['src/**'], exclude: ['deep'] }), ['src/a.test.ts', 'src/a.ts']);
  });

  it('never follows symbolic links, so a link loop cannot hang or crash it', async () => {
    const root = tree({ 'src/a.ts': '', 'outside/b.ts': '' });
    symlinkSync(join(root, 'src'), join(root, 'src/loop'));
    symlinkSync('../outside/b.ts', join(root, 'src/link.ts'));
    symlinkSync(join(root, 'nowhere.ts'), join(root, 'dangling.ts'));
    assert.deepEqual(await listed(root), ['outside/b.ts', 'src/a.ts']);
  });

  it('reads raw bytes, and skips too-large files from their size without reading them', async () => {
    const big = Buffer.alloc(MAX_FILE_BYTES + 1, 0x61);
    const exact = Buffer.alloc(MAX_FILE_BYTES, 0x62);
    const root = tree({ 'big.ts': big, 'exact.ts': exact, 'bom.ts': Buffer.from([0xef, 0xbb, 0xbf, 0x78, 0xff]) });
    const source = new WorkTreeSource(root);
    const { files } = await source.list();
    assert.deepEqual(files, ['big.ts', 'bom.ts', 'exact.ts']);
    const r1 = await source.read('big.ts');
    assert.equal(r1.ok, false);
    assert.deepEqual(!r1.ok && { file: r1.skipped.file, reason: r1.skipped.reason }, { file: 'big.ts', reason: 'too-large' });
    const r2 = await source.read('exact.ts');
    assert.equal(r2.ok && r2.bytes.length, MAX_FILE_BYTES);
    const r3 = await source.read('bom.ts');
    assert.deepEqual(r3.ok && [...r3.bytes], [0xef, 0xbb, 0xbf, 0x78, 0xff]);
  });

  it('turns files that vanish, turn into folders or FIFOs, or cannot be opened into `unreadable`', async () => {
    const root = tree({ 'gone.ts': '', 'dir.ts/inner.txt': '', 'ok.ts': 'x' });
    execFileSync('mkfifo', [join(root, 'pipe.ts')]);
    const source = new WorkTreeSource(root);
    const { files } = await source.list();
    assert.deepEqual(files, ['gone.ts', 'ok.ts']); // a folder named like a file and a FIFO are not files
    rmSync(join(root, 'gone.ts'));
    for (const file of ['gone.ts', 'dir.ts', 'pipe.ts', 'missing/x.ts']) {
      const r = await source.read(file);
      assert.equal(r.ok, false, file);
      assert.equal(!r.ok && r.skipped.reason, 'unreadable', file);
      assert.equal(!r.ok && r.skipped.file, file);
    }
  });

  it('reports a folder it cannot list as unreadable and carries on (as root, which reads anything, it lists it)', async function () {
    const root = tree({ 'locked/a.ts': '', 'ok.ts': '' });
    chmodSync(join(root, 'locked'), 0o000);
    const { files, skipped } = await new WorkTreeSource(root).list();
    if (process.getuid?.() === 0) {
      // root reads anything: the folder is listed normally.
      assert.deepEqual(files, ['locked/a.ts', 'ok.ts']);
    } else {
      assert.deepEqual(files, ['ok.ts']);
      assert.deepEqual(skipped.map((s) => [s.file, s.reason]), [['locked', 'unreadable']]);
    }
  });

  it('rejects when the root itself cannot be listed', async () => {
    await assert.rejects(new WorkTreeSource(join(tmpdir(), 'phf-definitely-missing-root')).list(), /ENOENT/);
  });

  it('walks a wide tree completely with few directory reads in flight', async () => {
    const files: Record<string, string> = {};
    for (let d = 0; d < 40; d++) for (let f = 0; f < 25; f++) files[`d${d}/sub/f${f}.ts`] = 'export {}';
    const root = tree(files);
    const { files: found } = await new WorkTreeSource(root, { concurrency: 4 }).list();
    assert.equal(found.length, 1000);
    assert.deepEqual((await new WorkTreeSource(root).list()).files, found); // the default synchronous walk agrees
  });
});
