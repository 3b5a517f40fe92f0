// Extension-host tests in the real VS Code (code-server 4.139.1 = Code 1.139.1)
// through the offline test-electron route (../shared/docs/real-editors.md):
// code-server with the smoke-test driver, a Chromium page carrying the
// extensionDevelopmentPath / extensionTestsPath payload, the result through
// codeAutomationExit. Each inner test is reported here as its own case.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startCodeServer, stageExtension, type CodeServer } from '../../scripts/e2e/code-server';
import { copyDemoWorkspace, launchBrowser, runExtensionTests, screenshot, type Browser, type ExtensionTestRun } from '../../scripts/e2e/workbench';
import { FAKE_KEY, type FakePostHog } from '../fake-posthog';
import { EXTENSION_HOST_CASES, type CaseResult } from './extension-host/cases';
import { buildExtensionTests } from './support/build-extension-tests';
import { DEMO_PROJECT_ID, startDemoPostHog } from './support/demo-posthog';

describe('VS Code extension host (code-server, offline test-electron route)', function () {
  this.timeout(300000);
  let fake: FakePostHog;
  let server: CodeServer;
  let browser: Browser;
  let run: ExtensionTestRun;
  let results = new Map<string, CaseResult>();
  let work: string;

  before(async () => {
    fake = await startDemoPostHog();
    const testsPath = await buildExtensionTests();
    work = mkdtempSync(join(tmpdir(), 'phf-exthost-'));
    const extensionDir = dirname(stageExtension(join(work, 'dev')));
    const extensionDevelopmentPath = join(extensionDir, (await import('node:fs')).readdirSync(extensionDir)[0]);
    const resultsPath = join(work, 'results.json');
    server = await startCodeServer({ vscodeOptions: ['enable-smoke-test-driver'] });
    browser = await launchBrowser();
    run = await runExtensionTests(server, browser.page, {
      extensionDevelopmentPath,
      extensionTestsPath: testsPath,
      folder: copyDemoWorkspace(),
      env: { PHF_FAKE_URL: fake.url, PHF_FAKE_KEY: FAKE_KEY, PHF_FAKE_PROJECT: String(DEMO_PROJECT_ID), PHF_E2E_RESULTS: resultsPath },
    });
    await screenshot(browser.page, 'extension-host-tests').catch(() => undefined);
    if (existsSync(resultsPath)) results = new Map((JSON.parse(readFileSync(resultsPath, 'utf8')) as CaseResult[]).map((r) => [r.title, r]));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await fake?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the tests ran in the extension host and reported through codeAutomationExit', () => {
    assert.ok(results.size > 0, `no results from the extension host; its output:\n${run.lines.join('\n')}\ncode-server log tail:\n${server.log().slice(-3000)}`);
    const failed = [...results.values()].filter((r) => r.state === 'failed');
    assert.equal(run.exitCode, failed.length > 0 ? 1 : 0, 'codeAutomationExit agrees with the results');
  });

  for (const title of Object.values(EXTENSION_HOST_CASES)) {
    it(`[extension host] ${title}`, () => {
      const r = results.get(title);
      assert.ok(r, `ran: ${title}`);
      assert.equal(r.state, 'passed', r.error);
    });
  }

  it('the key never reached the code-server log', () => {
    assert.ok(!server.log().includes(FAKE_KEY));
  });
});
