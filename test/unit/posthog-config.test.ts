import assert from 'node:assert/strict';
import { normalizeHost, redact, redactDeep, resolveConfig, statusStateFor, exitCodeFor, errorFromResponse } from '../../server/src/posthog';

describe('posthog config: hosts', () => {
  it('normalises trailing slashes, /api, schemes and pasted app URLs', () => {
    assert.deepEqual(normalizeHost('https://eu.posthog.com/'), { host: 'https://eu.posthog.com', projectId: undefined });
    assert.equal(normalizeHost('https://eu.posthog.com/api/')?.host, 'https://eu.posthog.com');
    assert.equal(normalizeHost('us.posthog.com')?.host, 'https://us.posthog.com');
    assert.equal(normalizeHost('127.0.0.1:8000')?.host, 'http://127.0.0.1:8000');
    assert.deepEqual(normalizeHost('https://us.posthog.com/project/123/feature_flags/5'), { host: 'https://us.posthog.com', projectId: 123 });
    assert.equal(normalizeHost('https://posthog.example.com/ph/api')?.host, 'https://posthog.example.com/ph');
  });
  it('maps ingestion hosts to app hosts and keeps app.posthog.com', () => {
    assert.equal(normalizeHost('https://us.i.posthog.com')?.host, 'https://us.posthog.com');
    assert.equal(normalizeHost('https://eu.i.posthog.com/')?.host, 'https://eu.posthog.com');
    assert.equal(normalizeHost('https://app.posthog.com')?.host, 'https://app.posthog.com');
  });
  it('rejects what is not an http(s) URL', () => {
    assert.equal(normalizeHost('ftp://x'), undefined);
    assert.equal(normalizeHost('   '), undefined);
  });
});

describe('posthog config: precedence and the key rule', () => {
  const env = { POSTHOG_HOST: 'https://eu.posthog.com', POSTHOG_PROJECT_ID: '5', POSTHOG_PERSONAL_API_KEY: 'phx_env_key_000000', POSTHOG_FLAGS_FILE: 'env.json' };
  it('defaults to us.posthog.com and @current', () => {
    const c = resolveConfig({});
    assert.equal(c.host, 'https://us.posthog.com');
    assert.equal(c.projectId, '@current');
    assert.equal(c.personalApiKey, undefined);
  });
  it('orders CLI/init over workspace over env', () => {
    const c = resolveConfig({ cli: { host: 'https://self.example.com', projectId: 9 }, workspace: { projectId: '8', flagsFile: 'ws.json' }, env });
    assert.equal(c.host, 'https://self.example.com');
    assert.equal(c.projectId, 9);
    assert.equal(c.flagsFile, 'ws.json');
    assert.equal(c.personalApiKey, 'phx_env_key_000000');
    assert.equal(resolveConfig({ workspace: { projectId: '8' }, env }).projectId, 8);
    assert.equal(resolveConfig({ env }).projectId, 5);
    assert.equal(resolveConfig({ init: { projectId: '@current' }, env }).projectId, '@current');
  });
  it('takes the project from a pasted app URL', () => {
    assert.equal(resolveConfig({ cli: { host: 'https://us.posthog.com/project/77/feature_flags' } }).projectId, 77);
    assert.equal(resolveConfig({ cli: { host: 'https://us.posthog.com/project/77', projectId: 3 } }).projectId, 3);
  });
  it('never sends the key to a host only the workspace names, until confirmed', () => {
    const c = resolveConfig({ workspace: { host: 'https://evil.example.com' }, env });
    assert.equal(c.host, 'https://eu.posthog.com');
    assert.equal(c.hostNeedsConfirmation, 'https://evil.example.com');
    assert.ok(c.notes.some((n) => n.includes('evil.example.com')));
    const confirmed = resolveConfig({ workspace: { host: 'https://evil.example.com' }, env, confirmedHosts: ['evil.example.com'] });
    assert.equal(confirmed.host, 'https://evil.example.com');
    assert.equal(confirmed.hostNeedsConfirmation, undefined);
    const same = resolveConfig({ workspace: { host: 'https://eu.posthog.com/' }, env });
    assert.equal(same.hostNeedsConfirmation, undefined);
    const init = resolveConfig({ init: { host: 'https://self.example.com' }, workspace: { host: 'https://evil.example.com' } });
    assert.equal(init.host, 'https://self.example.com');
  });
  it('ignores a key in workspace settings and reports bad values', () => {
    const c = resolveConfig({ workspace: { personalApiKey: 'phx_ws_key_0000000' }, cli: { projectId: 'abc', host: 'not a url at all ::' } });
    assert.equal(c.personalApiKey, undefined);
    assert.equal(c.problems.length, 2);
    assert.equal(JSON.stringify(c).includes('phx_ws_key_0000000'), false);
  });
});

describe('posthog errors and redaction', () => {
  it('redacts the key, its URL encoding and key-shaped tokens', () => {
    assert.equal(redact('a phx_abc+def/123 b', 'phx_abc+def/123'), 'a [redacted] b');
    assert.equal(redact('u?k=phx_abc%2Bdef%2F123', 'phx_abc+def/123'), 'u?k=[redacted]');
    assert.equal(redact('token phx_somethingElse_12 here'), 'token [redacted] here');
    assert.deepEqual(redactDeep({ a: ['x phx_key_value_1'], b: 2 }, 'phx_key_value_1'), { a: ['x [redacted]'], b: 2 });
  });
  it('maps errors to posthog/status states and CLI exit codes', () => {
    const ctx = { host: 'https://us.posthog.com', action: 'listing feature flags' };
    const e401 = errorFromResponse(401, { detail: 'x', code: 'authentication_failed' }, {}, ctx);
    const e403 = errorFromResponse(403, { detail: "API key missing required scope 'cohort:read'" }, {}, ctx);
    const e429 = errorFromResponse(429, { detail: 'Request was throttled. Expected available in 1 second.' }, {}, ctx);
    const e503 = errorFromResponse(503, undefined, { 'retry-after': '1' }, ctx);
    assert.equal(statusStateFor(e401), 'unauthenticated');
    assert.equal(statusStateFor(e403), 'unauthenticated');
    assert.equal(e403.scope, 'cohort:read');
    assert.equal(statusStateFor(e429), 'error');
    assert.equal(e429.retryAfterSeconds, 1, 'read from the detail when the header is missing');
    assert.equal(e503.retryAfterSeconds, 1);
    assert.equal(statusStateFor({ kind: 'offline', message: '' }), 'offline');
    assert.equal(exitCodeFor({ kind: 'config', message: '' }), 2);
    assert.equal(exitCodeFor(e401), 3);
  });
});
