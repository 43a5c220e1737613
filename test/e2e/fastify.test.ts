// Our fastify instrumentation (fastify's own tracing channel): a handler span per route with the
// full route of a prefixed plugin, lasting as long as an async handler (also one that hijacks the
// reply), and a thrown non-Error value recorded as an error on both the handler and server spans.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exportTo, KIND, type Receiver, receiver, waitForSpan } from '../helpers/otlp.js';
import { type Fixture, portOf, startFixture } from '../helpers/run-fixture.js';

const SERVICE = 'fastify-channel';
const SCOPE = '@logos/otel/instrumentation-fastify';
const ERROR = 2;

let r: Receiver;
let app: Fixture;
let base: string;
before(async () => {
  r = await receiver();
  app = startFixture({ script: 'fastify-app.mjs', env: exportTo(r, SERVICE) });
  base = `http://127.0.0.1:${await portOf(app)}`;
});
after(async () => {
  await app?.stop();
  await r.close();
});

test('a prefixed route names the server span, and the handler span covers the async handler', async () => {
  const res = await fetch(`${base}/v1/things/9`);
  assert.deepEqual(await res.json(), { thing: '9' });
  const server = await waitForSpan(
    r,
    SERVICE,
    (s) => s.kind === KIND.server && s.name === 'GET /v1/things/:id',
  );
  const handler = await waitForSpan(r, SERVICE, (s) => s.name === 'request handler - /v1/things/:id');
  assert.equal(server.attributes['http.route'], '/v1/things/:id');
  assert.equal(handler.scope.name, SCOPE);
  assert.equal(handler.parentSpanId, server.spanId);
  assert.equal(handler.attributes['fastify.type'], 'request_handler');
  const millis = Number(handler.endTimeUnixNano - handler.startTimeUnixNano) / 1e6;
  assert.ok(millis >= 25, `the handler span lasts while the handler waits (${millis} ms)`);
});

test('a thrown null is an error on the handler span, with an exception event, and a 500', async () => {
  const res = await fetch(`${base}/fail`);
  assert.equal(res.status, 500);
  await res.text();
  const handler = await waitForSpan(r, SERVICE, (s) => s.name === 'request handler - /fail');
  const server = await waitForSpan(r, SERVICE, (s) => s.kind === KIND.server && s.name === 'GET /fail');
  assert.equal(handler.status.code, ERROR);
  assert.equal(server.status.code, ERROR);
  const exception = handler.events.find((e) => e.name === 'exception');
  assert.equal(exception?.attributes['exception.message'], 'null', app.output());
  assert.equal(app.stderr, '', 'nothing is printed about the value');
});

test('an async handler that hijacks the reply (a stream) still ends its span, with the response', async () => {
  const res = await fetch(`${base}/stream`);
  assert.equal(await res.text(), 'one two');
  const handler = await waitForSpan(r, SERVICE, (s) => s.name === 'request handler - /stream');
  const server = await waitForSpan(r, SERVICE, (s) => s.kind === KIND.server && s.name === 'GET /stream');
  assert.equal(handler.parentSpanId, server.spanId);
});

test('printing a reply does not reach the span or the export pipeline behind it', async () => {
  const res = await fetch(`${base}/inspect`);
  assert.deepEqual(await res.json(), { reaches: [] });
});
