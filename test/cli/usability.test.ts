// What a new user meets first (issue 14): help that says what every option
// does, an unknown option that names the valid ones, a SARIF file that cannot
// be written, annotations placed from the repository root, plurals.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPTIONS as CHECK } from '../../server/src/cli/commands/check';
import { OPTIONS as DIFF } from '../../server/src/cli/commands/diff';
import { OPTIONS as CLEANUP } from '../../server/src/cli/commands/cleanup';
import { OPTIONS as PULL } from '../../server/src/cli/commands/pull';
import { OPTIONS as REPORT } from '../../server/src/cli/commands/report';
import { OPTIONS as SCAN } from '../../server/src/cli/commands/scan';
import { documentedOptions } from '../../server/src/cli/help';
import { runCli, writeFlagsFile } from '../support/flags-cli';
import { parseGithubCommand } from '../support/sarif-and-github';
import { TempGitRepo } from '../support/temp-git-repo';

const PARSED: Record<string, object> = { scan: SCAN, check: CHECK, pull: PULL, report: REPORT, diff: DIFF, cleanup: CLEANUP };

describe('posthog-flags: help and usage errors', function () {
  this.timeout(30000);

  for (const [command, options] of Object.entries(PARSED)) {
    it(`${command} --help: every option it accepts with a sentence, the environment and the exit statuses`, async () => {
      const r = await runCli([command, '--help']);
      assert.equal(r.status, 0, r.stderr);
      const accepted = Object.keys(options).map((o) => `--${o}`);
      assert.deepEqual([...documentedOptions(command)].filter((o) => o !== '--help').sort(), accepted.sort(), 'help documents exactly the parsed options');
      for (const option of accepted) assert.match(r.stdout, new RegExp(`^  ${option}\\b.*\\S`, 'm'), option);
      assert.match(r.stdout, /^Exit status:\n  0 /m);
      if (command !== 'scan' && command !== 'cleanup') assert.match(r.stdout, /^Environment:\n(.*\n)*  POSTHOG_PERSONAL_API_KEY /m);
    });
  }

  it('names --sarif-file for check and --apply-tags for report', async () => {
    assert.match((await runCli(['check', '--help'])).stdout, /--sarif-file FILE +Also write the SARIF log/);
    assert.match((await runCli(['report', '--help'])).stdout, /--apply-tags +Tag the flags used in code/);
  });

  it('an unknown option says which options the command takes', async () => {
    const r = await runCli(['scan', '--format', 'json']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown option '--format'; scan takes --json, --ref, --include, --exclude, --cache, --cache-location, --help/);
    const pull = await runCli(['pull', '--flags-file', 'x.json']);
    assert.equal(pull.status, 2);
    assert.match(pull.stderr, /unknown option '--flags-file'; pull takes --host, --project, --out, --help/);
  });

  it('the top-level help and the README say how to run the CLI from a clone', async () => {
    assert.match((await runCli(['--help'])).stdout, /node dist\/cli\.js <command>/);
    assert.match(readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8'), /npm ci && npm run build\nnode dist\/cli\.js check/);
  });

  it('the GitHub Action runs the CLI from its own checkout, built there, not from npm', () => {
    const action = readFileSync(join(__dirname, '..', '..', 'action.yml'), 'utf8');
    assert.doesNotMatch(action, /npx[^\n]*posthog-flags@/);
    assert.match(action, /ACTION_PATH: \$\{\{ github\.action_path \}\}/);
    assert.match(action, /npm ci [^\n]*&& npm run build/);
    assert.match(action, /node "\$ACTION_PATH\/dist\/cli\.js" "\$\{args\[@\]\}"/);
  });
});

describe('posthog-flags check: CI output from a subfolder of a repository', function () {
  this.timeout(30000);
  let repo: TempGitRepo;
  let side: string;
  let flagsFile: string;

  before(() => {
    repo = new TempGitRepo('phf-usability-');
    repo.commit('app', {
      'web/src/app.ts': "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('new-chekout');\nposthog.isFeatureEnabled('beta-off');\n",
      'api/other.ts': "posthog.isFeatureEnabled('elsewhere');\n",
    });
    side = mkdtempSync(join(tmpdir(), 'phf-usability-flags-'));
    flagsFile = writeFlagsFile(side, [{ key: 'new-checkout' }, { key: 'beta-off', active: false }]);
  });
  after(() => {
    repo.dispose();
    rmSync(side, { recursive: true, force: true });
  });

  it('--format github: files relative to the repository root when the scanned path is a subfolder', async () => {
    const r = await runCli(['check', 'web', '--format', 'github', '--flags-file', flagsFile], { cwd: repo.dir });
    assert.equal(r.status, 1, r.stderr);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::')).map((l) => parseGithubCommand(l)!);
    assert.deepEqual(annotations.map((a) => a.props.file).sort(), ['web/src/app.ts', 'web/src/app.ts']);
    assert.match(r.stdout, /\(1 error, 1 warning\)/);
  });

  it('SARIF: %SRCROOT% is the subfolder under the repository root (REPOROOT)', async () => {
    const r = await runCli(['check', join(repo.dir, 'web'), '--format', 'sarif', '--flags-file', flagsFile]);
    const run = JSON.parse(r.stdout).runs[0];
    assert.deepEqual(run.originalUriBaseIds['%SRCROOT%'], { uri: 'web/', uriBaseId: 'REPOROOT' });
    assert.equal(run.originalUriBaseIds.REPOROOT.uri, `file://${repo.dir}/`);
    assert.deepEqual(run.results[0].locations[0].physicalLocation.artifactLocation, { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' });
  });

  it('at the repository root the paths are as before', async () => {
    const r = await runCli(['check', repo.dir, '--format', 'github', '--flags-file', flagsFile]);
    const files = r.stdout.split('\n').filter((l) => l.startsWith('::')).map((l) => parseGithubCommand(l)!.props.file);
    assert.ok(files.includes('web/src/app.ts'), files.join(', '));
  });

  it('--sarif-file in a folder that does not exist: says so and exits 2 before any work', async () => {
    const r = await runCli(['check', repo.dir, '--flags-file', flagsFile, '--sarif-file', '/missing-dir/x.sarif']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--sarif-file: cannot write \/missing-dir\/x\.sarif: the folder \/missing-dir does not exist/);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  });

  it('does not inherit the caller\'s NO_COLOR: colour only when the test asks for it', async () => {
    const saved = process.env.NO_COLOR;
    process.env.NO_COLOR = '1';
    try {
      const coloured = await runCli(['check', repo.dir, '--flags-file', flagsFile], { env: { FORCE_COLOR: '1' } });
      assert.match(coloured.stdout, /\u001b\[/);
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });
});
