// Bad workspaces for the benchmark (issue 8): a 100,000-file tree of small
// files, plus a 5 MB minified bundle, a minified file with SDK calls, binary
// files, invalid UTF-8 and a symbolic-link loop. Cached under `dir` by version.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BAD_WORKSPACES_VERSION = 1;
export const SMALL_FILES = 100_000;
const PER_DIR = 100;

const call = (key) => `posthog.isFeatureEnabled('${key}')`;

/** Writes (or reuses) the tree; returns its root and what it holds. */
export function makeBadWorkspace(dir) {
  const marker = join(dir, '.version');
  const expected = { files: SMALL_FILES, usages: SMALL_FILES / 100 };
  if (existsSync(marker) && readFileSync(marker, 'utf8') === String(BAD_WORKSPACES_VERSION)) return { root: dir, ...expected };
  rmSync(dir, { recursive: true, force: true });
  for (let d = 0; d < SMALL_FILES / PER_DIR; d++) {
    const sub = join(dir, 'src', `m${String(d).padStart(4, '0')}`);
    mkdirSync(sub, { recursive: true });
    for (let f = 0; f < PER_DIR; f++) {
      const n = d * PER_DIR + f;
      const body = n % 100 === 0
        ? `import posthog from 'posthog-js';\nexport const on${n} = ${call(`flag-${n % 500}`)};\n`
        : `export function f${n}(x: number): number {\n  return x * ${n};\n}\n`;
      writeFileSync(join(sub, `f${f}.ts`), body);
    }
  }
  // 5 MB minified bundle with SDK calls in it (skipped: too-large), and a smaller minified file (skipped: minified).
  writeFileSync(join(dir, 'bundle.min.js'), `!function(){${call('in-bundle')};${'var a=1,b=2;function f(x){return x*2}'.repeat(140_000)}}();`);
  writeFileSync(join(dir, 'src', 'vendor.min.js'), `${call('in-vendor')};${'x=1;'.repeat(60_000)}`);
  writeFileSync(join(dir, 'src', 'blob.ts'), Buffer.concat([Buffer.from(`${call('in-binary')}\n`), Buffer.alloc(256, 0)]));
  writeFileSync(join(dir, 'src', 'latin1.ts'), Buffer.concat([Buffer.from([0xe9, 0xff, 0xfe, 0x0a]), Buffer.from(`import posthog from 'posthog-js';\n${call('after-bad-bytes')};\n`)]));
  symlinkSync('..', join(dir, 'src', 'loop'));
  writeFileSync(marker, String(BAD_WORKSPACES_VERSION));
  return { root: dir, ...expected };
}
