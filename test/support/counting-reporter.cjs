// Mocha's spec reporter, plus a JSON line of totals written to $PHF_STATS_FILE
// so scripts/test.mjs can add up every tier into one "N passed, N failed" line,
// with each failure's title and first lines of its error (repeated just above
// that closing line, so the tail of a CI log names what failed).
const Mocha = require('mocha');
const fs = require('node:fs');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const failed = [];
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test, err) => {
      const message = String((err && (err.message || err)) || 'failed').trim().split('\n').filter((l) => l.trim() !== '').slice(0, 6).join('\n');
      failed.push({ title: test.fullTitle(), file: test.file ? require('node:path').relative(process.cwd(), test.file) : undefined, message });
    });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.PHF_STATS_FILE;
      if (!file) return;
      const s = runner.stats || {};
      fs.writeFileSync(file, JSON.stringify({ passes: s.passes || 0, failures: s.failures || 0, pending: s.pending || 0, failed }));
    });
  }
}
module.exports = CountingReporter;
