// An empty key is no usage: a key being typed (`useFeatureFlagEnabled('`) or
// an empty string is never a usage, a symbol or a diagnostic (interfaces.md
// "At a glance": typing).
import assert from 'node:assert/strict';
import { scanSource } from '../../server/src/core/index/scan';
import { createTreeSitterRuntime, type TreeSitterRuntime } from '../../server/src/core/tree-sitter/extract';
import { loadWasmFromDir } from '../../server/src/node/tree-sitter-loader';
import { memorySource } from './index-support';

const FILES: Record<string, string> = {
  'src/typing.tsx': [
    "import { useFeatureFlagEnabled } from 'posthog-js/react'",
    'export function A() {',
    "  const a = useFeatureFlagEnabled('",
    "  const b = useFeatureFlagEnabled('')",
    "  const c = useFeatureFlagEnabled('real-flag')",
    '  return a && b && c',
    '}',
    '',
  ].join('\n'),
  'src/const.ts': "import posthog from 'posthog-js'\nconst EMPTY = ''\nexport const on = posthog.isFeatureEnabled(EMPTY)\n",
  'src/jsx.tsx': "import { PostHogFeature } from 'posthog-js/react'\nexport const X = () => <PostHogFeature flag=\"\" match={true}>x</PostHogFeature>\n",
  'svc/app.py': "import posthog\nposthog.feature_enabled('', 'u')\nposthog.feature_enabled('py-flag', 'u')\n",
  'ios/App.swift': 'import PostHog\nlet a = PostHogSDK.shared.isFeatureEnabled("")\nlet b = PostHogSDK.shared.isFeatureEnabled("swift-flag")\n',
  'android/App.kt': 'import com.posthog.PostHog\nval a = PostHog.isFeatureEnabled("")\n',
  'cmd/main.go': 'package main\n\nfunc f() { client.IsFeatureEnabled(posthog.FeatureFlagPayload{Key: "", DistinctId: "u"}) }\n',
};

describe('index: an empty key is no usage', function () {
  let rt: TreeSitterRuntime;
  before(async function () {
    rt = await createTreeSitterRuntime(loadWasmFromDir(), ['python', 'swift', 'kotlin', 'go']);
  });

  it('drops empty keys in every language and keeps the real ones', async function () {
    const { result, index } = await scanSource(memorySource(FILES), { treeSitter: rt });
    assert.deepEqual(result.usages.map((u) => `${u.file} ${u.key}`).sort(), ['ios/App.swift swift-flag', 'src/typing.tsx real-flag', 'svc/app.py py-flag']);
    assert.ok(!index.keys().includes(''), 'no empty key in the index');
    for (const file of Object.keys(FILES)) assert.ok(index.usagesInFile(file).every((u) => u.key !== ''), file);
    assert.deepEqual(result.skipped, []);
  });
});
