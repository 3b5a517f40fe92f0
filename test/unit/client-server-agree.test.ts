// The reproduced disagreements of issue 14: where the editor, the CLI and CI
// used to apply different copies of one rule. Each test ties both users to
// the one implementation.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decideKeyHost } from '../../client/src/settings';
import { normalizeHost as clientNormalizeHost } from '../../client/src/validation';
import { loadSnapshotFile } from '../../server/src/lsp/flag-source';
import { isIndexable } from '../../server/src/lsp/folders';
import { GitRefSource } from '../../server/src/node/git-ref-source';
import { WorkTreeSource } from '../../server/src/node/work-tree-source';
import { normalizeHost as serverNormalizeHost } from '../../server/src/posthog/config';
import { readSnapshotFile } from '../../server/src/posthog/flag-source';
import { TempGitRepo } from '../support/temp-git-repo';

const SNAPSHOT = JSON.stringify({ results: [{ id: 1, key: 'new-checkout', name: '', active: true, filters: { groups: [{ properties: [], rollout_percentage: 100 }] } }] });

describe('one rule: snapshot files (CLI --flags-file and the server flagsFile)', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'phf-snap-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('both read a snapshot that starts with a UTF-8 byte-order mark', async () => {
    const path = join(dir, 'bom.json');
    writeFileSync(path, `\uFEFF${SNAPSHOT}`);
    const cli = await readSnapshotFile(path);
    const server = await loadSnapshotFile(path);
    assert.ok(cli.ok);
    assert.ok(server.ok, server.ok ? '' : server.message);
    assert.deepEqual(server.snapshot.flags.map((f) => f.key), cli.value.flags.map((f) => f.key));
  });

  it('both say the same about a missing file and a file that is not JSON', async () => {
    for (const [name, content] of [['missing.json', undefined], ['broken.json', '{"results": [']] as const) {
      const path = join(dir, name);
      if (content !== undefined) writeFileSync(path, content);
      const cli = await readSnapshotFile(path);
      const server = await loadSnapshotFile(path);
      assert.ok(!cli.ok && !server.ok);
      assert.equal(server.message, cli.error.message);
      assert.equal(server.state, 'error');
    }
  });
});

describe('one rule: which files are scanned (work tree, git ref, editor)', () => {
  let repo: TempGitRepo;
  before(() => {
    repo = new TempGitRepo();
    repo.commit('base', {
      '.gitignore': 'generated/\n*.gen.ts\n',
      'src/app.ts': "posthog.isFeatureEnabled('alpha')\n",
      'src/types.gen.ts': "posthog.isFeatureEnabled('gen')\n",
      'vendor/lib/x.go': 'package lib\n',
      'dist/app.js': "posthog.isFeatureEnabled('built')\n",
      'web/build/out.ts': "posthog.isFeatureEnabled('built2')\n",
      'web/.gitignore': 'local.ts\n',
      'web/local.ts': "posthog.isFeatureEnabled('local')\n",
      'web/page.tsx': "posthog.isFeatureEnabled('beta')\n",
      // a Python package's subpackage named like build output is source; a top-level build/ is output
      'svc/__init__.py': '',
      'svc/build/__init__.py': '',
      'svc/build/utils.py': "posthog.feature_enabled('craft', 'u')\n",
      'build/lib/svc/utils.py': "posthog.feature_enabled('copied', 'u')\n",
    });
    // Tracked although .gitignore says otherwise (git add -f): the work tree scan leaves them out, so the ref must too.
    repo.write({ 'generated/api.ts': "posthog.isFeatureEnabled('gen2')\n" });
    repo.git('add', '-f', 'generated/api.ts', 'src/types.gen.ts', 'web/local.ts');
    repo.git('commit', '-q', '-m', 'forced');
  });
  after(() => repo.dispose());

  async function refFiles(dir: string): Promise<string[]> {
    const opened = await GitRefSource.open(dir, 'HEAD');
    assert.ok(opened.ok);
    try {
      return (await opened.value.list()).files;
    } finally {
      opened.value.close();
    }
  }

  it('a git ref lists the same files as the work tree of that commit: build output, vendor and .gitignore at the ref left out', async () => {
    const tree = (await new WorkTreeSource(repo.dir).list()).files;
    assert.deepEqual(tree, ['src/app.ts', 'svc/__init__.py', 'svc/build/__init__.py', 'svc/build/utils.py', 'web/page.tsx']);
    assert.deepEqual(await refFiles(repo.dir), tree);
  });

  it('the same when the scanned folder is a subfolder (the .gitignore files above it apply)', async () => {
    const dir = join(repo.dir, 'web');
    const tree = (await new WorkTreeSource(dir).list()).files;
    assert.deepEqual(tree, ['page.tsx']);
    assert.deepEqual(await refFiles(dir), tree);
  });

  it('the editor indexes a file changed on disk only when the work tree scan would list it', () => {
    const source = new WorkTreeSource(repo.dir);
    for (const file of ['src/app.ts', 'web/page.tsx', 'svc/build/utils.py', 'build/lib/svc/utils.py', 'src/types.gen.ts', 'generated/api.ts', 'web/local.ts', 'vendor/lib/x.go', 'dist/app.js', 'web/build/out.ts', 'README.md']) {
      const listed = ['src/app.ts', 'web/page.tsx', 'svc/build/utils.py'].includes(file);
      assert.equal(source.selects(file), listed, file);
      if (listed) assert.equal(isIndexable(file), true, file);
    }
    assert.equal(isIndexable('vendor/lib/x.go'), false);
  });
});

describe('one rule: host normalisation (client and server)', () => {
  const inputs = [
    'https://us.posthog.com',
    'https://us.posthog.com/',
    'https://us.posthog.com/api',
    'https://eu.posthog.com/api/',
    'us.posthog.com',
    'eu.i.posthog.com',
    'https://us.posthog.com/project/123/feature_flags/5',
    'https://us.posthog.com/project/123/feature_flags?tab=history',
    'https://posthog.example.com/ph/api',
    'http://127.0.0.1:8123',
    '127.0.0.1:8000',
    'HTTPS://US.PostHog.com',
  ];

  it('the client and the server normalise every host the same way', () => {
    for (const input of inputs) assert.equal(clientNormalizeHost(input), serverNormalizeHost(input)?.host, input);
  });

  it('does not ask to confirm a host the server considers the signed-in one', () => {
    for (const configured of ['https://us.posthog.com/api', 'us.posthog.com', 'https://us.posthog.com/project/123/feature_flags/5']) {
      assert.deepEqual(decideKeyHost(configured, 'https://us.posthog.com', []), { host: 'https://us.posthog.com' }, configured);
    }
  });

  it('still refuses what is not an http(s) host, and credentials in the URL', () => {
    for (const input of ['ftp://x', 'not a url', 'https://user:pw@x.com', '']) {
      assert.equal(clientNormalizeHost(input), undefined, input);
      assert.equal(serverNormalizeHost(input), undefined, input);
    }
  });
});
