// redactUrl / redactQuery / isSecretHeader: secrets never leave in a URL or a header attribute.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSecretHeader, redactQuery, redactUrl } from '../../src/util/redact.js';

test('user info is removed from absolute URLs', () => {
  assert.equal(redactUrl('https://alice:pw@api.example/x?y=1'), 'https://[REDACTED]@api.example/x?y=1');
});

test('secret query values are redacted, others kept, in absolute and relative URLs', () => {
  assert.equal(
    redactUrl('http://h/p?token=abc&page=2&X-Amz-Signature=zz&api_key=k&sig=s'),
    'http://h/p?token=[REDACTED]&page=2&X-Amz-Signature=[REDACTED]&api_key=[REDACTED]&sig=[REDACTED]',
  );
  assert.equal(redactUrl('/search?q=cats&password=hunter2'), '/search?q=cats&password=[REDACTED]');
  assert.equal(redactQuery('?access_token=1&a=b'), '?access_token=[REDACTED]&a=b');
  assert.equal(redactQuery('signature=1'), 'signature=[REDACTED]');
});

test('URLs without secrets come back unchanged', () => {
  for (const url of ['http://h/p?a=1&b=2', '/x', 'http://h:80/', 'not a url at all'])
    assert.equal(redactUrl(url), url);
});

test('secret headers are recognised', () => {
  for (const name of [
    'Authorization',
    'cookie',
    'Set-Cookie',
    'x-api-key',
    'X-Auth-Token',
    'proxy-authorization',
  ]) {
    assert.ok(isSecretHeader(name), name);
  }
  for (const name of ['content-type', 'user-agent', 'x-request-id']) assert.ok(!isSecretHeader(name), name);
});

test('camelCase and kebab-case secret names are redacted too', () => {
  for (const key of [
    'accessToken',
    'access-token',
    'authToken',
    'sessionToken',
    'clientSecret',
    'X-Api-Key',
    'apiKey',
  ]) {
    assert.equal(redactQuery(`?${key}=abc&page=1`), `?${key}=[REDACTED]&page=1`, key);
  }
});

test('user info in a URL without a scheme is never passed through', () => {
  assert.equal(redactUrl('user:s3cret@collector:4317'), '[REDACTED]');
});
