import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Attributes } from '@opentelemetry/api';
import { cachedHash } from '../../src/metrics/attribute-hash-cache.js';

// sdk-metrics' own hash, from its file: the package exports it to no one.
const utils = pathToFileURL(
  join(process.cwd(), 'node_modules/@opentelemetry/sdk-metrics/dist/utils.mjs'),
).href;
const { hashAttributes } = (await import(utils)) as { hashAttributes: (a: Attributes) => string };

const SETS: Attributes[] = [
  {},
  { 'http.request.method': 'GET', 'url.scheme': 'http', 'http.response.status_code': 200 },
  { 'url.scheme': 'http', 'http.request.method': 'GET', 'http.response.status_code': 200 },
  { a: true, b: 1.5, c: 'x', d: undefined },
  { list: ['a', 'b'], n: 1 },
];

test('the cached hash is sdk-metrics hash, for frozen sets and others', () => {
  const hash = cachedHash(hashAttributes);
  for (const set of SETS) {
    assert.equal(hash(set), hashAttributes(set));
    const frozen = Object.freeze({ ...set });
    assert.equal(hash(frozen), hashAttributes(frozen));
    assert.equal(hash(frozen), hashAttributes(frozen), 'again, from the cache');
  }
});

test('only a frozen set of primitives is hashed once', () => {
  let calls = 0;
  const hash = cachedHash((a) => {
    calls++;
    return hashAttributes(a);
  });
  const frozen = Object.freeze({ 'http.request.method': 'GET', 'http.response.status_code': 200 });
  for (let i = 0; i < 3; i++) hash(frozen);
  assert.equal(calls, 1);

  const open: Attributes = { 'http.request.method': 'GET' };
  hash(open);
  open['http.request.method'] = 'POST';
  assert.equal(hash(open), hashAttributes(open), 'a set that can change is hashed each time');

  const list = ['a'];
  const frozenWithList = Object.freeze({ list });
  hash(frozenWithList);
  list.push('b');
  assert.equal(hash(frozenWithList), hashAttributes(frozenWithList), 'an array inside may change');
});
