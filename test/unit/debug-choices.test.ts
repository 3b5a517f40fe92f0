// Debug as Person…: the remembered choices and the checks of what is typed.
import assert from 'node:assert/strict';
import { debuggingPresentation, describeChoice, readChoices, rememberChoice, validateDistinctId, validatePersonProperties } from '../../client/src/debug-choices';
import { groupsProblem, parseJsonObject } from '../../server/src/shared';

describe('client: debug as person choices', () => {
  it('remembers the newest first, one entry per distinct id, at most ten', () => {
    let list = rememberChoice([], { distinctId: 'a' });
    list = rememberChoice(list, { distinctId: 'b', personProperties: { plan: 'pro' } });
    list = rememberChoice(list, { distinctId: 'a', personProperties: { email: 'x@acme.com' } });
    assert.deepEqual(list, [{ distinctId: 'a', personProperties: { email: 'x@acme.com' } }, { distinctId: 'b', personProperties: { plan: 'pro' } }]);
    for (let i = 0; i < 20; i++) list = rememberChoice(list, { distinctId: `u${i}` });
    assert.equal(list.length, 10);
    assert.equal(list[0].distinctId, 'u19');
  });

  it('reads back only well-formed entries from workspace state', () => {
    assert.deepEqual(readChoices(undefined), []);
    assert.deepEqual(readChoices('nope'), []);
    assert.deepEqual(readChoices([{ distinctId: 'a' }, { distinctId: '' }, { distinctId: 5 }, null, { distinctId: 'b', personProperties: [1] }, { distinctId: 'c', personProperties: { x: 1 } }]), [
      { distinctId: 'a' },
      { distinctId: 'c', personProperties: { x: 1 } },
    ]);
  });

  it('checks person properties as they are typed: empty or a JSON object', () => {
    assert.equal(validatePersonProperties(''), undefined);
    assert.equal(validatePersonProperties('  '), undefined);
    assert.equal(validatePersonProperties('{"email": "dev@acme.com"}'), undefined);
    assert.match(validatePersonProperties('{"email": ')!, /not valid JSON/);
    assert.match(validatePersonProperties('[1, 2]')!, /must be a JSON object/);
    assert.match(validatePersonProperties('"text"')!, /must be a JSON object/);
  });

  it('checks the distinct id', () => {
    assert.equal(validateDistinctId('user-1'), undefined);
    assert.match(validateDistinctId('   ')!, /distinct id/);
    assert.match(validateDistinctId('x'.repeat(401))!, /400/);
  });

  it('describes a choice and the status bar item', () => {
    assert.deepEqual(describeChoice({ distinctId: 'a' }), { label: 'a', description: 'properties from PostHog' });
    assert.equal(describeChoice({ distinctId: 'a', personProperties: { plan: 'pro' } }).description, '{"plan":"pro"}');
    assert.ok(describeChoice({ distinctId: 'a', personProperties: { long: 'x'.repeat(100) } }).description.endsWith('…'));
    const view = debuggingPresentation('user-1');
    assert.match(view.text, /user-1/);
    assert.match(view.tooltip, /Click to stop/);
  });

  it('the shared JSON and groups rules (the CLI and the server use them too)', () => {
    assert.deepEqual(parseJsonObject('{"a":1}', 'x'), { ok: true, value: { a: 1 } });
    assert.deepEqual(parseJsonObject('', 'x'), { ok: true, value: undefined });
    assert.equal(groupsProblem({ company: 'acme' }), undefined);
    assert.match(groupsProblem({ company: 1 })!, /group keys/);
  });
});
