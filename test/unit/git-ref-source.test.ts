import assert from 'node:assert/strict';
import { statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { GitRefSource, parseLsTree } from '../../server/src/node/git-ref-source';
import { TempGitRepo } from '../support/temp-git-repo';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('GitRefSource', () => {
  let repo: TempGitRepo;
  let base: string;

  before(() => {
    repo = new TempGitRepo();
    base = repo.commit('base', {
      'src/app.ts': "posthog.isFeatureEnabled('alpha')\n",
      'src/util.py': "posthog.feature_enabled('beta', 'u')\n",
      'README.md': '# not code\n',
      'node_modules/lib/index.js': "posthog.isFeatureEnabled('dep')\n",
      'pkg/node_modules/x.js': "posthog.isFeatureEnabled('dep2')\n",
      'web/big.js': Buffer.alloc(1024 * 1024 + 10, 'a'),
      'web/bin.ts': Buffer.from([0, 1, 2, 3]),
    });
    symlinkSync('app.ts', join(repo.dir, 'src', 'link.ts'));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'symlink');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit('feature', { 'src/app.ts': "posthog.isFeatureEnabled('gamma')\n", 'src/new.tsx': 'x' });
    repo.git('checkout', '-q', 'main');
    // A dirty work tree: the source must not read it.
    repo.write({ 'src/app.ts': "posthog.isFeatureEnabled('DIRTY')\n", 'src/untracked.ts': 'untracked' });
  });
  after(() => repo.dispose());

  it('lists the tree of a ref: code files only, no node_modules, no symlinks, too-large from size', async () => {
    const opened = await GitRefSource.open(repo.dir, base);
    assert.ok(opened.ok);
    const src = opened.value;
    try {
      const { files, skipped } = await src.list();
      assert.deepEqual(files, ['src/app.ts', 'src/util.py', 'web/bin.ts']);
      assert.deepEqual(
        skipped.map((s) => [s.file, s.reason]),
        [['web/big.js', 'too-large']],
      );
      assert.equal(src.commit, base);
    } finally {
      src.close();
    }
  });

  it('reads blobs of the ref, not the dirty work tree, and leaves git status unchanged', async () => {
    const before = repo.status();
    const indexMtime = statSync(join(repo.dir, '.git', 'index')).mtimeMs;
    const main = await GitRefSource.open(repo.dir, 'main');
    const feature = await GitRefSource.open(repo.dir, 'feature');
    assert.ok(main.ok && feature.ok);
    try {
      const m = await main.value.read('src/app.ts');
      const f = await feature.value.read('src/app.ts');
      assert.ok(m.ok && f.ok);
      assert.equal(text(m.bytes), "posthog.isFeatureEnabled('alpha')\n");
      assert.equal(text(f.bytes), "posthog.isFeatureEnabled('gamma')\n");
      const bin = await main.value.read('web/bin.ts');
      assert.ok(bin.ok);
      assert.deepEqual([...bin.bytes], [0, 1, 2, 3]);
      const untracked = await main.value.read('src/untracked.ts');
      assert.equal(untracked.ok, false);
      assert.deepEqual((await feature.value.list()).files, ['src/app.ts', 'src/new.tsx', 'src/util.py', 'web/bin.ts']);
    } finally {
      main.value.close();
      feature.value.close();
    }
    assert.equal(statSync(join(repo.dir, '.git', 'index')).mtimeMs, indexMtime);
    assert.equal(repo.status(), before);
  });

  it('reads many blobs concurrently through one process, in order', async () => {
    const opened = await GitRefSource.open(repo.dir, 'feature');
    assert.ok(opened.ok);
    try {
      const reads = await Promise.all(
        Array.from({ length: 60 }, (_, i) => opened.value.read(i % 2 ? 'src/app.ts' : 'src/util.py')),
      );
      reads.forEach((r, i) => {
        assert.ok(r.ok);
        assert.match(text(r.bytes), i % 2 ? /gamma/ : /beta/);
      });
    } finally {
      opened.value.close();
    }
  });

  it('reads a subfolder with paths relative to it', async () => {
    const opened = await GitRefSource.open(join(repo.dir, 'src'), 'feature');
    assert.ok(opened.ok);
    try {
      assert.deepEqual((await opened.value.list()).files, ['app.ts', 'new.tsx', 'util.py']);
      const r = await opened.value.read('app.ts');
      assert.ok(r.ok);
      assert.match(text(r.bytes), /gamma/);
      assert.equal(opened.value.root, join(repo.dir, 'src'));
    } finally {
      opened.value.close();
    }
  });

  it('fails with a clear message on an unknown ref, an option-like ref, or outside a repo', async () => {
    const unknown = await GitRefSource.open(repo.dir, 'no-such-branch');
    assert.equal(unknown.ok, false);
    if (!unknown.ok) assert.match(unknown.error.message, /'no-such-branch' does not resolve/);
    const dash = await GitRefSource.open(repo.dir, '--output=x');
    assert.equal(dash.ok, false);
    const outside = await GitRefSource.open('/', 'main');
    assert.equal(outside.ok, false);
    if (!outside.ok) assert.match(outside.error.message, /not inside a git repository/);
  });

  it('applies --include and --exclude as the work tree does', async () => {
    const opened = await GitRefSource.open(repo.dir, 'main', { include: ['*.py', '*.ts'], exclude: ['web/'] });
    assert.ok(opened.ok);
    assert.deepEqual((await opened.value.list()).files, ['src/app.ts', 'src/util.py']);
    opened.value.close();
  });

  it('parses ls-tree records with spaces and tabs in names', () => {
    const raw = Buffer.from(
      '100644 blob aaaa     12\tdir/a b.ts\0' + '160000 commit bbbb       -\tsub\0' + '120000 blob cccc 5\tlink\0',
    );
    assert.deepEqual(parseLsTree(raw), [
      { mode: '100644', type: 'blob', oid: 'aaaa', size: 12, path: 'dir/a b.ts' },
      { mode: '160000', type: 'commit', oid: 'bbbb', size: -1, path: 'sub' },
      { mode: '120000', type: 'blob', oid: 'cccc', size: 5, path: 'link' },
    ]);
  });
});
