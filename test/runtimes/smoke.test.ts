// The language server on this Node (scripts/test.mjs runs this file once per
// Node major of the runtime matrix: 20, 22, 24). A workspace with a file of
// every language the README lists, Swift and Kotlin among them, indexed; then
// about a minute of edits and requests on the Swift and Kotlin files (long
// enough for V8 to tier up hot wasm code, which is what killed the server on
// Node 24). The server must stay alive and under 500 MB resident.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { uriOf } from '../support/lsp-client';
import { startSession, type Session } from '../protocol/helpers';

const SECONDS = Number(process.env.PHF_SMOKE_SECONDS ?? 60);
const RSS_LIMIT_MB = 500;
const LANGS = join(__dirname, '..', 'fixtures', 'langs');
const fixture = (rel: string) => readFileSync(join(LANGS, rel), 'utf8');

/** One file per language of the README, each with at least one literal flag key. */
const FILES: Record<string, string> = {
  'package.json': '{"name":"smoke","dependencies":{"posthog-js":"1.0.0","posthog-node":"4.0.0"}}',
  'web/app.ts': "import posthog from 'posthog-js'\nexport const a = posthog.isFeatureEnabled('ts-flag')\n",
  'web/app.js': "import posthog from 'posthog-js'\nexport const a = posthog.isFeatureEnabled('js-flag')\n",
  'web/App.tsx': "import { useFeatureFlagEnabled } from 'posthog-js/react'\nexport const App = () => (useFeatureFlagEnabled('tsx-flag') ? <b>on</b> : null)\n",
  'web/Old.jsx': "import { useFeatureFlagEnabled } from 'posthog-js/react'\nexport const Old = () => (useFeatureFlagEnabled('jsx-flag') ? <b>on</b> : null)\n",
  'web/Banner.vue': "<template><div /></template>\n<script setup lang=\"ts\">\nimport { useFeatureFlagEnabled } from 'posthog-js/vue'\nconst on = useFeatureFlagEnabled('vue-flag')\n</script>\n",
  'web/Banner.svelte': "<script lang=\"ts\">\n  import posthog from 'posthog-js'\n  const on = posthog.isFeatureEnabled('svelte-flag')\n</script>\n<div />\n",
  'web/Page.astro': "---\nimport posthog from 'posthog-js'\nconst on = posthog.isFeatureEnabled('astro-flag')\n---\n<div />\n",
  'svc/app.py': fixture('python/positive.py'),
  'svc/main.go': fixture('go/positive.go'),
  'svc/app.rb': fixture('ruby/positive.rb'),
  'svc/app.php': fixture('php/positive.php'),
  'svc/App.java': fixture('java/positive.java'),
  'svc/App.cs': fixture('csharp/positive.cs'),
  'mobile/App.kt': fixture('kotlin/positive.kt'),
  'mobile/App.swift': fixture('swift/positive.swift'),
  'mobile/app.dart': fixture('dart/positive.dart'),
};

/** Resident set size of a process in MB (Linux /proc, else ps). */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    /* not Linux */
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
}

describe(`runtime smoke: the language server on Node ${process.versions.node}`, function () {
  this.timeout((SECONDS + 60) * 1000);
  let s: Session;
  before(async function () {
    s = await startSession({ files: FILES });
  });
  after(async () => s?.dispose());

  const symbols = (file: string) => s.client.request('textDocument/documentSymbol', { textDocument: { uri: uriOf(join(s.dir, file)) } });

  it('indexes a file of every language (document symbols in each)', async function () {
    for (const file of Object.keys(FILES).filter((f) => f !== 'package.json')) {
      const got = await symbols(file);
      assert.ok(Array.isArray(got) && got.length > 0, `no flag usage found in ${file}`);
    }
  });

  it(`stays alive and under ${RSS_LIMIT_MB} MB through ${SECONDS} s of Swift and Kotlin edits`, async function () {
    const pid = s.client.child.pid!;
    const edited = [
      { file: 'mobile/App.swift', text: FILES['mobile/App.swift'], line: (k: string) => `let _ = PostHogSDK.shared.isFeatureEnabled("${k}")` },
      { file: 'mobile/App.kt', text: FILES['mobile/App.kt'], line: (k: string) => `val x = PostHog.isFeatureEnabled("${k}")` },
    ];
    for (const e of edited) await s.client.open(join(s.dir, e.file), e.text);
    const end = Date.now() + SECONDS * 1000;
    let maxRss = 0;
    let round = 0;
    while (Date.now() < end) {
      assert.equal(s.client.exitCode, null, `the server exited (code ${s.client.exitCode}); stderr: ${s.client.stderr.slice(-800)}`);
      const e = edited[round % edited.length];
      const key = `tick-${round}`;
      e.text += `${e.line(key)}\n`;
      await s.client.change(join(s.dir, e.file), e.text);
      const got = await symbols(e.file);
      assert.ok(got.some((x: { name: string }) => x.name === key), `${e.file}: '${key}' indexed`);
      maxRss = Math.max(maxRss, rssMb(pid));
      assert.ok(maxRss < RSS_LIMIT_MB, `server resident memory ${maxRss.toFixed(0)} MB`);
      round++;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(s.client.exitCode, null, `the server exited; stderr: ${s.client.stderr.slice(-800)}`);
    assert.doesNotMatch(s.client.stderr, /Fatal|out of memory/i);
    console.log(`      Node ${process.versions.node}: ${round} edits in ${SECONDS} s, max RSS ${maxRss.toFixed(0)} MB`);
  });
});
