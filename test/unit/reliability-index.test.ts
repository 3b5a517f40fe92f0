import assert from 'node:assert/strict';
import { decodeSource, WorkspaceIndex } from '../../server/src/core/index';

const CODE = "import posthog from 'posthog-js';\nposthog.isFeatureEnabled('after-bad-bytes');\n";

describe('reliability: files with bytes that are not UTF-8 are scanned, not skipped', () => {
  for (const [name, prefix] of [
    ['at the start', [0xe9, 0xff, 0xfe, 0x0a]],
    ['in code on the first line', [0x61, 0xe9, 0x3b, 0x0a]],
    ['in a comment', [0x2f, 0x2f, 0xe9, 0x0a]],
    ['a truncated multi-byte sequence', [0xe2, 0x82, 0x0a]],
  ] as const) {
    it(`finds the usages after invalid bytes ${name}, at the right position`, () => {
      const decoded = decodeSource('a.ts', Buffer.concat([Buffer.from(prefix), Buffer.from(CODE)]));
      assert.ok(decoded.ok);
      const ix = new WorkspaceIndex();
      ix.update('a.ts', decoded.text);
      const [u] = ix.usages();
      assert.equal(u?.key, 'after-bad-bytes');
      assert.deepEqual([u.line, u.column], [3, 27]);
    });
  }
});
