import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cliPath, ensureBuilt, repoRoot, runCli } from './scan-cli';

const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version as string;

function makeTree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'phf-scan-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('posthog-flags (dist/cli.js)', () => {
  let app: string;

  before(function () {
    this.timeout(120_000);
    ensureBuilt();
    app = makeTree({
      'src/checkout.tsx': [
        "import { useFeatureFlagEnabled } from 'posthog-js/react';",
        "import posthog from 'posthog-js';",
        '',
        'export function Checkout() {',
        "  const on = useFeatureFlagEnabled('new-checkout');",
        "  const v = posthog.getFeatureFlag('pricing-test');",
        "  return on && posthog.isFeatureEnabled('new-checkout') ? v : null;",
        '}',
        '',
      ].join('\n'),
      'src/dynamic.ts': "import posthog from 'posthog-js';\nexport const on = (name: string) => posthog.isFeatureEnabled(`exp-${name}`);\n",
      'src/big.ts': Buffer.alloc(1024 * 1024 + 10, 0x20),
      'node_modules/pkg/index.js': "posthog.isFeatureEnabled('from-node-modules');\n",
      '.gitignore': 'gen/\n',
      'gen/api.ts': "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('from-gitignored');\n",
      'legacy/old.ts': "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('from-excluded');\n",
    });
  });

  after(() => rmSync(app, { recursive: true, force: true }));

  describe('entry', () => {
    it('prints usage for --help and exits 0', () => {
      const r = runCli(['--help']);
      assert.equal(r.status, 0);
      for (const command of ['scan', 'check', 'report', 'diff']) assert.match(r.stdout, new RegExp(`^  ${command} `, 'm'));
      assert.match(r.stdout, /posthog-flags scan \[dir\] \[--json\]/);
    });

    it('prints the package version for --version', () => {
      const r = runCli(['--version']);
      assert.equal(r.status, 0);
      assert.equal(r.stdout.trim(), version);
    });

    it('exits 2 with usage on stderr without a command, and on an unknown command', () => {
      const none = runCli([]);
      assert.equal(none.status, 2);
      assert.match(none.stderr, /Usage: posthog-flags <command>/);
      const bad = runCli(['frobnicate']);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /unknown command 'frobnicate'/);
      assert.match(bad.stderr, /Commands:/);
      assert.equal(bad.stdout, '');
    });

    it('prints a command’s usage for `scan --help`', () => {
      const r = runCli(['scan', '--help']);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /^Usage: posthog-flags scan \[dir\]/);
    });

    it('is an executable script with a node shebang (the package bin)', () => {
      accessSync(cliPath, constants.X_OK);
      assert.ok(readFileSync(cliPath, 'utf8').startsWith('#!/usr/bin/env node\n'));
      const r = spawnSync(cliPath, ['--version'], { encoding: 'utf8' });
      assert.equal(r.stdout.trim(), version);
    });

    it('runs as `npx posthog-flags` in the repository', function () {
      this.timeout(60_000);
      const r = spawnSync('npx', ['--no-install', 'posthog-flags', '--version'], { cwd: repoRoot, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), version);
    });
  });

  describe('scan', () => {
    it('--json prints exactly the contract shape', () => {
      const r = runCli(['scan', app, '--json', '--exclude', 'legacy/']);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(out), ['root', 'filesScanned', 'usages', 'unresolved', 'skipped']);
      assert.equal(out.root, app);
      assert.equal(out.filesScanned, 2); // checkout.tsx, dynamic.ts (big.ts is skipped, gen/, legacy/ and node_modules left out)
      const usages = out.usages.map((u: Record<string, unknown>) => [u.file, u.line, u.column, u.endLine, u.endColumn, u.key, u.kind, u.call, u.language]);
      assert.deepEqual(usages, [
        ['src/checkout.tsx', 5, 37, 5, 49, 'new-checkout', 'literal', 'useFeatureFlagEnabled', 'typescriptreact'],
        ['src/checkout.tsx', 6, 37, 6, 49, 'pricing-test', 'literal', 'getFeatureFlag', 'typescriptreact'],
        ['src/checkout.tsx', 7, 42, 7, 54, 'new-checkout', 'literal', 'isFeatureEnabled', 'typescriptreact'],
      ]);
      assert.equal(out.unresolved.length, 1);
      assert.deepEqual(
        { file: out.unresolved[0].file, line: out.unresolved[0].line, call: out.unresolved[0].call, expression: out.unresolved[0].expression },
        { file: 'src/dynamic.ts', line: 2, call: 'isFeatureEnabled', expression: '`exp-${name}`' },
      );
      assert.deepEqual(out.skipped.map((s: { file: string; reason: string }) => [s.file, s.reason]), [['src/big.ts', 'too-large']]);
    });

    it('honours --include and --exclude', () => {
      const only = JSON.parse(runCli(['scan', app, '--json', '--include', 'legacy/**']).stdout);
      assert.deepEqual(only.usages.map((u: { key: string }) => u.key), ['from-excluded']);
      const none = JSON.parse(runCli(['scan', app, '--json', '--exclude', 'src', '--exclude', 'legacy']).stdout);
      assert.equal(none.filesScanned, 0);
      assert.deepEqual(none.usages, []);
    });

    it('prints usages grouped by key with counts and locations, then unresolved, skipped and a summary', () => {
      const r = runCli(['scan', '--exclude', 'legacy'], app); // default dir: the current directory
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      assert.deepEqual(lines.slice(0, 5), [
        'new-checkout  (2 usages)',
        '  src/checkout.tsx:5:37  literal   useFeatureFlagEnabled',
        '  src/checkout.tsx:7:42  literal   isFeatureEnabled',
        'pricing-test  (1 usage)',
        '  src/checkout.tsx:6:37  literal   getFeatureFlag',
      ]);
      assert.ok(lines.includes('  src/dynamic.ts:2:62  isFeatureEnabled(`exp-${name}`)'), r.stdout);
      assert.ok(lines.includes('  too-large (1):'), r.stdout);
      assert.equal(lines.at(-1), '2 flags, 3 usages in 1 file (2 files scanned), 1 unresolved, 1 skipped');
    });

    it('resolves a relative dir against the current directory', () => {
      const r = runCli(['scan', 'src', '--json'], app);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.root, join(app, 'src'));
      assert.deepEqual([...new Set(out.usages.map((u: { file: string }) => u.file))], ['checkout.tsx']);
    });

    it('exits 2 with a clear message for a missing dir, a file, an unknown option or extra arguments', () => {
      const missing = runCli(['scan', join(app, 'nope')]);
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /no such directory: .*nope/);
      assert.equal(missing.stdout, '');
      const file = runCli(['scan', join(app, 'src/checkout.tsx')]);
      assert.equal(file.status, 2);
      assert.match(file.stderr, /not a directory: .*checkout\.tsx/);
      const option = runCli(['scan', app, '--jsonn']);
      assert.equal(option.status, 2);
      assert.match(option.stderr, /--jsonn/);
      assert.match(option.stderr, /Usage: posthog-flags scan/);
      const extra = runCli(['scan', app, app]);
      assert.equal(extra.status, 2);
      assert.match(extra.stderr, /unexpected argument/);
    });
  });
});
