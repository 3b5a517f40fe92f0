import assert from 'node:assert/strict';
import { LineMap, decodeUtf8, detachStrings, hasAnyTerm, termAlternation, termOffsets } from '../../server/src/core/text';

describe('LineMap', () => {
  it('ends lines at \\n, \\r\\n and a lone \\r, and nothing else', () => {
    const m = new LineMap('a\nb\r\nc\rd\u2028e');
    assert.deepEqual(m.starts, [0, 2, 5, 7]);
    assert.deepEqual(m.position(7), { line: 4, column: 1 });
    assert.deepEqual(m.position(9), { line: 4, column: 3 }); // LS is not a line end
  });
  it('counts columns in UTF-16 code units', () => {
    const m = new LineMap('const 😀 = "k"');
    const at = m.text.indexOf('"k"') + 1;
    assert.deepEqual(m.position(at), { line: 1, column: 13 });
    assert.equal(m.offset(1, 13), at);
  });
  it('gives an end-exclusive span', () => {
    const m = new LineMap('x("new-checkout")');
    assert.deepEqual(m.span(3, 15), { line: 1, column: 4, endLine: 1, endColumn: 16 });
  });
});

describe('decodeUtf8', () => {
  it('drops a byte-order mark and reads invalid bytes as U+FFFD', () => {
    assert.equal(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), 'a');
    assert.equal(decodeUtf8(new Uint8Array([0x61, 0xff, 0x62])), 'a\ufffdb');
  });
});

describe('detachStrings', () => {
  it('keeps the data equal (strings, nested arrays and objects, numbers, undefined)', () => {
    const source = 'import posthog from "posthog-js"; posthog.isFeatureEnabled("a-rather-long-flag-key")';
    const data = { key: source.slice(60, 82), list: [source.slice(0, 30), 'short', 3, { deep: source.slice(7, 30) }], none: undefined };
    const copy = JSON.parse(JSON.stringify(data));
    assert.equal(detachStrings(data), data, 'in place');
    assert.deepEqual(data, { ...copy, none: undefined });
    assert.equal(data.key, 'a-rather-long-flag-key');
  });
});

describe('term searches', () => {
  it('offsets of every term as plain text (regex characters are literal), leftmost first; empty terms match nothing', () => {
    const terms = ['a.b', 'isOn', '', '$x'];
    assert.deepEqual(termOffsets('a.b axb isOn(1) $x isOnly', terms), [0, 8, 16, 19]);
    assert.deepEqual(termOffsets('anything', ['']), []);
    assert.equal(hasAnyTerm('call $x()', terms), true);
    assert.equal(hasAnyTerm('axb', terms), false);
  });
  it('compiles once per list: the same array gives the same search, a new array (another name added) a new one, and a search started earlier does not leak into the next', () => {
    const terms = ['useGate', 'isOn'];
    assert.equal(termAlternation(terms), termAlternation(terms));
    assert.notEqual(termAlternation([...terms, 'more']), termAlternation(terms));
    assert.deepEqual(termOffsets('isOn isOn', terms), [0, 5]);
    assert.equal(hasAnyTerm('isOn', terms), true);
    assert.equal(hasAnyTerm('isOn', terms), true, 'a second test on the same text (lastIndex reset)');
    assert.deepEqual(termOffsets('x useGate', terms), [2]);
  });
});
