import assert from 'node:assert/strict';
import { RULES, shouldFail, sortProblems, summarize, type CheckProblem } from '../../server/src/core/report/check';
import { diffScans } from '../../server/src/core/report/diff';
import type { ReportRow } from '../../server/src/core/report/report';
import type { ScanResult } from '../../server/src/core/types';
import { formatCheckJson } from '../../server/src/cli/format/check-json';
import { formatCheckText } from '../../server/src/cli/format/check-text';
import { formatDiffJson, formatDiffMarkdown, formatDiffText } from '../../server/src/cli/format/diff-formats';
import { escapeData, escapeProperty, formatGithub } from '../../server/src/cli/format/github';
import { csvCell, formatReportCsv, formatReportMarkdown, formatReportText } from '../../server/src/cli/format/report-formats';
import { FINGERPRINT_NAME, fingerprintProblems, formatSarif } from '../../server/src/cli/format/sarif';
import { parseGithubCommand, sarifValidator } from '../support/sarif-and-github';

const problems: CheckProblem[] = sortProblems([
  { code: 'missing-flag', severity: 'error', key: 'new-chekout', file: 'src/a b,c:d.tsx', line: 3, column: 30, endLine: 3, endColumn: 41, message: "Flag 'new-chekout' does not exist in PostHog: did you mean 'new-checkout'?", suggestion: 'new-checkout' },
  { code: 'inactive-flag', severity: 'warning', key: 'beta', file: 'src/app.ts', line: 10, column: 5, endLine: 10, endColumn: 9, message: "Flag 'beta' is disabled\n100% %done" },
  { code: 'stale-flag', severity: 'information', key: 'old', file: 'src/app.ts', line: 2, column: 5, endLine: 2, endColumn: 8, message: "Flag 'old' is stale" },
  { code: 'rollout-100', severity: 'hint', key: 'full', file: 'src/app.ts', line: 20, column: 5, endLine: 20, endColumn: 9, message: "Flag 'full' is released to everyone" },
]);
const scan: ScanResult = { root: '/repo', filesScanned: 7, usages: [], unresolved: [], skipped: [] };
const summary = summarize(problems, scan, 12);

describe('check formats', () => {
  it('orders problems and decides --fail-on', () => {
    assert.deepEqual(problems.map((p) => p.line), [3, 2, 10, 20]);
    assert.equal(shouldFail(problems, 'error'), true);
    const without = (...severities: string[]) => problems.filter((p) => !severities.includes(p.severity));
    assert.equal(shouldFail(without('error'), 'error'), false);
    assert.equal(shouldFail(without('error'), 'warning'), true);
    assert.equal(shouldFail(without('error', 'warning'), 'warning'), false);
    assert.equal(shouldFail(problems, 'never'), false);
  });

  it('json has the contract fields in order and a summary by severity and code', () => {
    const json = JSON.parse(formatCheckJson(problems, summary));
    assert.deepEqual(Object.keys(json.problems[0]), ['code', 'severity', 'key', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'suggestion']);
    assert.equal('suggestion' in json.problems[1], false);
    assert.deepEqual(json.summary.bySeverity, { error: 1, warning: 1, information: 1, hint: 1 });
    assert.equal(json.summary.byCode['deleted-flag'], 0);
    assert.equal(json.summary.byCode['missing-flag'], 1);
    assert.equal(json.summary.filesScanned, 7);
    assert.equal(json.summary.flagsInPostHog, 12);
  });

  it('github: one command per problem that parses back to the same data', () => {
    const lines = formatGithub(problems, summary).trimEnd().split('\n');
    const parsed = lines.map(parseGithubCommand);
    assert.deepEqual(parsed.map((c) => c?.command), ['error', 'notice', 'warning', 'notice', undefined]);
    problems.forEach((p, i) => {
      const c = parsed[i]!;
      assert.deepEqual(c.props, { file: p.file, line: String(p.line), col: String(p.column), endLine: String(p.endLine), endColumn: String(p.endColumn), title: p.code });
      assert.equal(c.message, p.message);
    });
    assert.equal(escapeData('a%b\r\nc'), 'a%25b%0D%0Ac');
    assert.equal(escapeProperty('a,b:c%'), 'a%2Cb%3Ac%25');
    assert.ok(!lines[2].includes('\n'));
  });

  it('sarif: valid against the 2.1.0 schema, rules with help, relative uris, levels, regions', () => {
    const validate = sarifValidator();
    const log = JSON.parse(formatSarif(problems, { toolVersion: '0.1.0', informationUri: 'https://posthog.com/docs/feature-flags', root: '/repo/web', lineText: () => 'x' }));
    const ok = validate({ ...log });
    assert.ok(ok, JSON.stringify(validate.errors, null, 1));
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'posthog-flags');
    assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), RULES.map((r) => r.code));
    for (const r of run.tool.driver.rules) {
      assert.ok(r.shortDescription.text && r.fullDescription.text && r.help.text);
      assert.ok(['error', 'warning', 'note'].includes(r.defaultConfiguration.level));
    }
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, 'file:///repo/web/');
    const first = run.results[0];
    assert.equal(first.ruleId, 'missing-flag');
    assert.equal(run.tool.driver.rules[first.ruleIndex].id, 'missing-flag');
    assert.equal(first.level, 'error');
    assert.deepEqual(first.locations[0].physicalLocation.artifactLocation, { uri: 'src/a%20b%2Cc%3Ad.tsx', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(first.locations[0].physicalLocation.region, { startLine: 3, startColumn: 30, endLine: 3, endColumn: 41 });
    assert.deepEqual(run.results.map((r: { level: string }) => r.level), ['error', 'note', 'warning', 'note']);
    assert.match(first.partialFingerprints[FINGERPRINT_NAME], /^[0-9a-f]{32}$/);
    // An invalid log is rejected, so the validator is really checking.
    assert.equal(validate({ version: '2.1.0', runs: [{ results: [] }] }), false);
  });

  it('sarif fingerprints ignore line numbers but separate repeated identical lines', () => {
    const p = problems[0];
    const text = 'useFeatureFlagEnabled("new-chekout")';
    const a = fingerprintProblems([p, { ...p, line: 9 }], () => text);
    const moved = fingerprintProblems([{ ...p, line: 50 }, { ...p, line: 70 }], () => `   ${text}  `);
    assert.deepEqual(a, moved);
    assert.notEqual(a[0], a[1]);
    const edited = fingerprintProblems([p], () => 'other text');
    assert.notEqual(edited[0], a[0]);
  });

  it('text: grouped by file, summary line, colour only when asked', () => {
    const plain = formatCheckText(problems, summary, { color: false });
    assert.ok(!plain.includes('\u001b['));
    assert.match(plain, /^src\/a b,c:d\.tsx\n {2}3:30 {2}error {8}Flag 'new-chekout'.*missing-flag$/m);
    assert.match(plain, /✖ 4 problems \(1 error, 1 warning, 1 information, 1 hint\) in 2 files; 7 files scanned/);
    const coloured = formatCheckText(problems, summary, { color: true });
    assert.ok(coloured.includes('\u001b[31m'));
    const byCode = formatCheckText(problems, summary, { color: false, groupBy: 'code' });
    assert.match(plain, /^ {2}10:5 {2}warning {6}Flag 'beta' is disabled 100% %done {2}inactive-flag$/m);
    assert.match(byCode, /^inactive-flag\n {2}src\/app\.ts:10:5/m);
    assert.match(formatCheckText([], summarize([], scan, 3), { color: false }), /✔ no problems/);
  });
});

describe('report and diff formats', () => {
  const row: ReportRow = {
    key: 'new-checkout', state: 'active', inPostHog: true, inCode: true, usageCount: 2, files: ['a.ts', 'b.ts'],
    rollout: '50% of users where email contains "@x|y"', releasedToEveryone: false, stale: false,
    name: 'A, "quoted" name', id: 1, staleReason: 'fresh', url: 'https://h/project/1/feature_flags/1', variants: [], tags: ['a', 'b'], lastCalledAt: null,
  };
  const missing: ReportRow = { ...row, key: 'typo', state: 'missing', inPostHog: false, rollout: null, name: '=cmd()', id: null, url: null, tags: [] };

  it('csv: header, quoting, list fields, formula-safe cells', () => {
    const lines = formatReportCsv([row, missing]).split('\r\n');
    assert.equal(lines[0], 'key,state,inPostHog,inCode,usageCount,files,rollout,releasedToEveryone,stale,name,id,staleReason,url,variants,tags,lastCalledAt');
    assert.equal(lines[1], 'new-checkout,active,true,true,2,a.ts;b.ts,"50% of users where email contains ""@x|y""",false,false,"A, ""quoted"" name",1,fresh,https://h/project/1/feature_flags/1,,a;b,');
    assert.match(lines[2], /,'=cmd\(\),/);
    assert.equal(csvCell('-1'), "'-1");
    assert.equal(lines.length, 4);
  });

  it('markdown table escapes pipes and links keys; text aligns columns', () => {
    const md = formatReportMarkdown([row, missing], { ref: 'main' });
    assert.match(md, /^\| \[`new-checkout`\]\(https:\/\/h\/project\/1\/feature_flags\/1\) \| active \| yes \| 2 \(2 files\) \| 50% of users where email contains "@x\\\|y" \|/m);
    assert.match(md, /^\| `typo` \| missing \|/m);
    assert.equal(md.split('\n').filter((l) => l.startsWith('| ')).length, 4);
    const text = formatReportText([row, missing], { color: false });
    assert.match(text, /^FLAG {10}STATE {4}IN CODE {2}USAGES {2}STALE {2}ROLLOUT$/m);
    assert.match(text, /^typo {10}missing {2}yes {6}2 {14}not in PostHog$/m);
  });

  it('diff json/markdown/text', () => {
    const u = (file: string, line: number, key: string) => ({ file, line, column: 1, endLine: line, endColumn: 2, key, kind: 'literal' as const, call: 'c', language: 'typescript' });
    const s = (usages: ReturnType<typeof u>[]): ScanResult => ({ root: '/', filesScanned: 1, usages, unresolved: [], skipped: [] });
    const diff = diffScans(s([u('a.ts', 1, 'old')]), s([u('a.ts', 2, 'x')]), { base: 'main', head: 'feat' });
    diff.added[0].state = 'disabled';
    diff.removed[0].state = 'active';
    const json = JSON.parse(formatDiffJson(diff));
    assert.deepEqual(Object.keys(json), ['base', 'head', 'added', 'removed']);
    const md = formatDiffMarkdown(diff);
    assert.match(md, /^- ⚠️ starts using `x`, which is disabled — a\.ts:2$/m);
    assert.match(md, /^- 🧹 removes the last usage of `old`: safe to delete in PostHog — a\.ts$/m);
    const text = formatDiffText(diff, { color: false });
    assert.match(text, /^\+ starts using 'x', which is disabled\n {4}a\.ts:2:1$/m);
    assert.match(formatDiffMarkdown({ ...diff, added: [], removed: [] }), /No flag usages added or removed/);
  });
});
