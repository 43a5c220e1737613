// The health-check path matcher behind LOGOS_OTEL_IGNORE_PATHS-style settings: a path matches
// itself and what lies below it, never a longer sibling; the query and fragment are not the path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathMatcher } from '../../src/instrumentations/build.js';

test('a path matches itself and below, with or without a query or fragment', () => {
  const ignored = pathMatcher(['/health', '/ready/']);
  for (const url of [
    '/health',
    '/health/',
    '/health/live',
    '/health?verbose=1',
    '/health#x',
    '/ready/',
    '/ready/x',
  ]) {
    assert.equal(ignored(url), true, url);
  }
  for (const url of [
    '/healthz',
    '/',
    '/api/health',
    '/ready',
    '/readyz',
    '/x?p=/health',
    '/x#/health',
    undefined,
  ]) {
    assert.equal(ignored(url), false, String(url));
  }
});

test('the query ends the path even when a fragment-like character follows it, and vice versa', () => {
  const ignored = pathMatcher(['/health']);
  assert.equal(ignored('/health?a=#b'), true);
  assert.equal(ignored('/health#a?b'), true);
  assert.equal(ignored('/other?next=/health'), false);
});

test('no paths: nothing matches', () => {
  assert.equal(pathMatcher([])('/health'), false);
});
