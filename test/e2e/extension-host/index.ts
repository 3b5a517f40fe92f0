// Loaded by the VS Code extension host (extensionTestsPath): runs suite.js
// with mocha and writes each test's result to $PHF_E2E_RESULTS for the
// outer driver (test/e2e/vscode-extension-host.test.ts).
import Mocha from 'mocha';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseResult } from './cases';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 90000 });
  mocha.addFile(join(__dirname, 'suite.js'));
  const results: CaseResult[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (process.env.PHF_E2E_RESULTS) writeFileSync(process.env.PHF_E2E_RESULTS, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} extension-host tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => results.push({ title: t.title, state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err: Error) => results.push({ title: t.title, state: 'failed', error: String(err?.stack ?? err) }));
  });
}
