// Per-process benchmark app: a node:test file with one test that starts an HTTP server on a free
// loopback port and makes one request to it, as many test files do; run with `node --test`.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';

test('one request', async () => {
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const res = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(await res.text(), 'ok');
  await new Promise((resolve) => server.close(resolve));
});
