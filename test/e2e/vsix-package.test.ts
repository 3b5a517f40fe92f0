// `vsce package --no-dependencies` makes a .vsix that holds only what ships
// (dist/ without maps, syntaxes/, README, CHANGELOG, LICENSE, icons,
// package.json) and stays under 10 MB. Needs the build tier's dist/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/e2e/editors';

/** File names in a zip archive, read from its central directory. */
function zipEntries(path: string): string[] {
  const buf = readFileSync(path);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'a zip end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

describe('vsix package', function () {
  this.timeout(120000);
  let dir: string;
  let vsix: string;
  let entries: string[];

  before(() => {
    for (const f of ['extension.js', 'server.js']) assert.ok(existsSync(join(REPO_ROOT, 'dist', f)), `dist/${f} (run the build first)`);
    dir = mkdtempSync(join(tmpdir(), 'phf-vsix-'));
    vsix = join(dir, 'posthog-flags.vsix');
    const vsce = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    entries = zipEntries(vsix).filter((e) => e.startsWith('extension/')).map((e) => e.slice('extension/'.length));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is under 10 MB', () => {
    const size = statSync(vsix).size;
    assert.ok(size < 10 * 1024 * 1024, `${(size / 1024 / 1024).toFixed(2)} MB`);
  });

  it('holds only dist/ (no source maps), syntaxes/, README, CHANGELOG, LICENSE, icons and package.json', () => {
    const allowed = [/^dist\/[^/]+\.js$/, /^dist\/(grammars\/)?[^/]+\.wasm$/, /^syntaxes\/[^/]+\.json$/, /^(readme\.md|changelog\.md|license(\.txt)?|package\.json)$/i, /^images\/(icon\.png|activity-bar\.svg)$/];
    const stray = entries.filter((e) => !allowed.some((re) => re.test(e)));
    assert.deepEqual(stray, []);
    assert.ok(!entries.some((e) => e.endsWith('.map')), 'no source maps');
  });

  it('holds the extension, the server, the grammar and the icon', () => {
    for (const f of ['dist/extension.js', 'dist/server.js', 'dist/tree-sitter.wasm', 'syntaxes/posthog-flags.injection.tmLanguage.json', 'images/icon.png', 'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
      // vsce writes readme.md / changelog.md in lower case and LICENSE as LICENSE.txt.
      assert.ok(entries.some((e) => e.toLowerCase() === f.toLowerCase() || e === `${f}.txt`), f);
    }
  });
});
