import assert from 'node:assert/strict';
import { scanSource } from '../../server/src/core/index';
import { ProjectResolver } from '../../server/src/core/index/project-resolver';
import { brief, loadFixture, memorySource } from './index-support';

describe('index: monorepo resolution (fixture js/monorepo)', () => {
  const files = loadFixture('monorepo');
  let scan: Awaited<ReturnType<typeof scanSource>>;
  before(async () => {
    scan = await scanSource(memorySource(files));
  });

  it('resolves each file with the config that governs it: nested configs, extends chains, references, baseUrl, rootDirs, bundler aliases, workspace packages', () => {
    assert.deepEqual(brief(scan.result.usages), [
      // Vite template: tsconfig.json lists tsconfig.app.json under `references`; vite.config.ts aliases @utils
      'apps/admin/src/main.tsx:5:49 admin-reports constant isFeatureEnabled',
      'apps/admin/src/main.tsx:6:47 admin-audit constant isFeatureEnabled',
      // no config explains @internal/…: resolved by its file name alone (and said so)
      'apps/docs/src/search.ts:4:46 docs-search constant isFeatureEnabled',
      // paths from an `extends` array (the later config wins, its paths count from its own folder)
      'apps/web/src/app/page.tsx:11:42 web-checkout constant useFeatureFlagEnabled',
      // workspace package: `exports` `.` → dist/index.d.ts → src/index.ts, then `export *`
      'apps/web/src/app/page.tsx:12:40 new-nav constant isFeatureEnabled',
      // `exports` subpath './constants' → dist/constants.js → src/constants.ts
      'apps/web/src/app/page.tsx:13:43 shared-search constant isFeatureEnabled',
      // `exports` pattern './flags/*' with a condition object
      'apps/web/src/app/page.tsx:14:44 annual-billing constant isFeatureEnabled',
      // a wrapper hook exported by the workspace package
      'apps/web/src/app/page.tsx:15:28 shared-wrapper-key wrapper useFlag',
      // rootDirs: ./gen-keys from src/app is generated/app/gen-keys.ts
      'apps/web/src/app/page.tsx:17:46 generated-flag constant isFeatureEnabled',
      // jsconfig baseUrl: a bare 'flags' is frontend/src/flags.js
      'frontend/src/app.jsx:4:48 legacy-banner constant isFeatureEnabled',
    ]);
  });

  it('says which usages were resolved by a file-name guess, and no other', () => {
    const guessed = scan.result.usages.filter((u) => u.guessedImport !== undefined).map((u) => `${u.file} ${u.key} ${u.guessedImport}`);
    assert.deepEqual(guessed, ['apps/docs/src/search.ts docs-search @internal/docs-flags']);
  });

  it('reports a key behind an import it cannot follow as unresolved with reason import and the specifier', () => {
    assert.deepEqual(
      scan.result.unresolved.map((u) => `${u.file}:${u.line} ${u.expression} ${u.reason} ${u.module ?? ''}`),
      ['apps/web/src/app/page.tsx:16 GONE import @/missing/flags'],
    );
  });

  it('reads a base config named in `extends` even when it is not called tsconfig*.json', async () => {
    const r = new ProjectResolver(Object.fromEntries(Object.entries(files).filter(([f]) => f.endsWith('.json') && !f.endsWith('base.json'))));
    assert.deepEqual(r.missingConfigs(), ['packages/tsconfig/base.json']);
  });
});

describe('index: a wrapper called through an import that cannot be followed', () => {
  it('is reported as unresolved with reason import when the import is the project\'s own, and ignored when it is another package', async () => {
    const files = {
      'src/flags/use-flag.ts': "import { useFeatureFlagEnabled } from 'posthog-js/react';\nexport function useFlag(k: string) { return useFeatureFlagEnabled(k); }\n",
      'src/a.tsx': "import { useFlag } from '@/flags/gone';\nexport const A = () => useFlag('through-missing-alias');\n",
      'src/b.tsx': "import { useFlag } from '@vendor/flags';\nexport const B = () => useFlag('other-package');\n",
      'src/c.tsx': "import { useFlag } from './flags/use-flag';\nexport const C = () => useFlag('resolved');\n",
    };
    const { result } = await scanSource(memorySource(files));
    assert.deepEqual(brief(result.usages), ['src/c.tsx:2:33 resolved wrapper useFlag']);
    assert.deepEqual(result.unresolved.map((u) => `${u.file}:${u.line} ${u.call} ${u.expression} ${u.reason} ${u.module}`), ["src/a.tsx:2 useFlag 'through-missing-alias' import @/flags/gone"]);
  });
});

describe('project resolver', () => {
  it('picks the governing config: the nearest, refined through references by include', () => {
    const r = new ProjectResolver({
      'tsconfig.json': '{"files": [], "references": [{"path": "./tsconfig.app.json"}, {"path": "./tsconfig.node.json"}]}',
      'tsconfig.app.json': '{"compilerOptions": {"paths": {"@/*": ["./src/*"]}}, "include": ["src/**/*.ts", "src/**/*.tsx"], "exclude": ["src/**/*.test.ts"]}',
      'tsconfig.node.json': '{"compilerOptions": {"paths": {"@/*": ["./scripts/*"]}}, "include": ["vite.config.ts", "src/**/*.test.ts"]}',
    });
    assert.equal(r.configFor('src/a/b.tsx')?.file, 'tsconfig.app.json');
    assert.equal(r.configFor('src/a/b.test.ts')?.file, 'tsconfig.node.json');
    assert.equal(r.configFor('vite.config.ts')?.file, 'tsconfig.node.json');
    assert.equal(r.candidates('src/a/b.tsx', '@/x')[0], 'src/x.ts');
    assert.equal(r.candidates('src/a/b.test.ts', '@/x')[0], 'scripts/x.ts');
  });

  it('paths: the longest matching prefix first; baseUrl of the chain overrides the declaring folder', () => {
    const r = new ProjectResolver({
      'web/tsconfig.json': '{"extends": "../tsconfig.base.json", "compilerOptions": {"baseUrl": "."}}',
      'tsconfig.base.json': '{"compilerOptions": {"paths": {"@app/*": ["src/*"], "@app/flags/*": ["flags/*"]}}}',
    });
    const c = r.candidates('web/src/a.ts', '@app/flags/x');
    assert.equal(c[0], 'web/flags/x.ts');
    assert.ok(c.indexOf('web/src/flags/x.ts') > 0);
    // without the child's baseUrl, the base's paths count from the base's folder
    const r2 = new ProjectResolver({ 'web/tsconfig.json': '{"extends": "../tsconfig.base.json"}', 'tsconfig.base.json': '{"compilerOptions": {"paths": {"@app/*": ["src/*"]}}}' });
    assert.equal(r2.candidates('web/src/a.ts', '@app/x')[0], 'src/x.ts');
  });

  it('workspace packages: exports conditions and patterns, main/types fallbacks, built output to sources', () => {
    const r = new ProjectResolver({
      'packages/ui/package.json': '{"name": "@acme/ui", "main": "./lib/index.js", "types": "./lib/index.d.ts"}',
      'packages/core/package.json': '{"name": "core", "exports": {"./*": "./build/*.js", "./feature/*.js": null}}',
      'package.json': '{"dependencies": {"react": "^19"}}',
    });
    assert.ok(r.candidates('apps/a.ts', '@acme/ui').includes('packages/ui/src/index.ts'));
    assert.ok(r.candidates('apps/a.ts', '@acme/ui/button').includes('packages/ui/src/button.tsx'));
    assert.ok(r.candidates('apps/a.ts', 'core/flags').includes('packages/core/src/flags.ts'));
    assert.equal(r.isExternalPackage('react/jsx-runtime'), true);
    assert.equal(r.isExternalPackage('@acme/ui'), false);
  });

  it('bundler aliases written as literals: object and array forms, fileURLToPath(new URL()), webpack exact `$`, assignments', () => {
    const r = new ProjectResolver({
      'web/vite.config.mts': [
        "import { fileURLToPath, URL } from 'node:url';",
        'export default { resolve: { alias: [',
        "  { find: '@', replacement: fileURLToPath(new URL('./src', import.meta.url)) },",
        "  { find: 'lib', replacement: '/src/lib' },",
        '] } };',
      ].join('\n'),
      'old/webpack.config.js': [
        "const path = require('path');",
        "module.exports = { resolve: { alias: { Flags$: path.join(__dirname, 'src', 'flags.js'), '~': `${__dirname}/src` } } };",
      ].join('\n'),
      'site/next.config.js': "module.exports = { webpack(config) { config.resolve.alias['@site'] = require('path').resolve(__dirname, 'app'); return config; } };",
    });
    assert.equal(r.candidates('web/src/a.ts', '@/flags')[0], 'web/src/flags.ts');
    assert.equal(r.candidates('web/src/a.ts', 'lib/x')[0], 'web/src/lib/x.ts');
    assert.equal(r.candidates('old/src/a.js', 'Flags')[0], 'old/src/flags.js');
    assert.ok(!r.candidates('old/src/a.js', 'Flags/x').includes('old/src/flags.js/x.ts'));
    assert.equal(r.candidates('old/src/a.js', '~/x')[0], 'old/src/x.ts');
    assert.equal(r.candidates('site/pages/a.js', '@site/flags')[0], 'site/app/flags.ts');
    // a config elsewhere in the tree says nothing about this file
    assert.deepEqual(r.candidates('api/a.ts', '@/flags'), []);
  });
});
