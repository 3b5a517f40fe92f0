import assert from 'node:assert/strict';
import { redact, redactSecret } from '../../server/src/posthog/redact';

const KEY = 'phx_testkey_fake_0001';

describe('reliability: redaction of escaped keys', () => {
  it('removes the key when Markdown escaped it, and inside JSON text that doubled the backslashes', () => {
    assert.equal(redact('Created with phx\\_testkey\\_fake\\_0001.', KEY), 'Created with [redacted].');
    const json = JSON.stringify({ value: 'Created with phx\\_testkey\\_fake\\_0001.' });
    const clean = redactSecret(json, KEY);
    assert.deepEqual(JSON.parse(clean), { value: 'Created with [redacted].' });
  });

  it('keeps JSON valid when a key-shaped token sits next to an escape', () => {
    for (const text of ['phx_abcdefgh"', 'phx_abcdefgh\\', 'phx_abcdefgh\n"x"', 'a phx\\_abc\\_defgh\tb']) {
      const json = JSON.stringify({ text });
      assert.doesNotThrow(() => JSON.parse(redact(json)), json);
      assert.ok(!JSON.parse(redact(json)).text.includes('abcdefgh'), json);
    }
  });

  it('leaves other text alone', () => {
    assert.equal(redactSecret('phx testkey fake 0001 and p_h_x', KEY), 'phx testkey fake 0001 and p_h_x');
    assert.equal(redact('no secrets here: new_checkout', KEY), 'no secrets here: new_checkout');
  });
});
