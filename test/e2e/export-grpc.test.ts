// An unchanged ESM service started with --import @logos/otel/register exports its spans over
// OTLP gRPC: server and client spans with the right kinds, parents, attributes and resource.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exportTo, KIND, type Receiver, receiver, spansOf, waitForSpan } from '../helpers/otlp.js';
import { portOf, startFixture, supervise } from '../helpers/run-fixture.js';

let r: Receiver;
before(async () => {
  r = await receiver();
});
after(() => r.close());

test('an ESM node:http service exports server, client and manual spans in one trace', async () => {
  const downstream = startFixture({ script: 'http-service.mjs', env: exportTo(r, 'downstream') });
  const upstream = startFixture({ script: 'http-service.mjs', env: exportTo(r, 'upstream') });
  await supervise([upstream, downstream], async () => {
    const [down, up] = await Promise.all([portOf(downstream), portOf(upstream)]);
    const res = await fetch(
      `http://127.0.0.1:${up}/hello?next=${encodeURIComponent(`http://127.0.0.1:${down}/hello`)}`,
    );
    assert.equal(res.status, 200);

    const server = await waitForSpan(
      r,
      'upstream',
      (s) => s.kind === KIND.server && s.attributes['url.path'] === '/hello',
    );
    const client = await waitForSpan(r, 'upstream', (s) => s.kind === KIND.client);
    const downServer = await waitForSpan(r, 'downstream', (s) => s.kind === KIND.server);
    const work = await waitForSpan(r, 'upstream', (s) => s.name === 'fixture.work');

    assert.equal(server.parentSpanId, '', 'the first server span is a root span');
    assert.equal(client.traceId, server.traceId);
    assert.equal(client.parentSpanId, server.spanId, 'fetch is a child of the server span');
    assert.equal(downServer.traceId, server.traceId, 'the trace crosses the process boundary');
    assert.equal(downServer.parentSpanId, client.spanId);
    assert.equal(work.parentSpanId, server.spanId);
    assert.equal(work.kind, KIND.internal);
    assert.equal(work.attributes['work.kind'], 'hello');
    assert.equal(server.attributes['http.request.method'], 'GET');
    assert.equal(server.attributes['http.response.status_code'], 200);
    assert.equal(server.resource['service.name'], 'upstream');
    assert.equal(server.resource['telemetry.sdk.language'], 'nodejs');
    assert.equal(server.resource['telemetry.distro.name'], '@logos/otel');
    assert.equal(typeof server.resource['host.name'], 'string');
    assert.equal(server.resource['process.pid'], upstream.child.pid);
    assert.equal(server.resource['process.command_args'], undefined, 'arguments may hold secrets');
  });
});

test('health-check paths make no spans', async () => {
  const app = startFixture({ script: 'http-service.mjs', env: exportTo(r, 'health') });
  await supervise(app, async () => {
    const port = await portOf(app);
    for (const path of ['/health', '/healthz', '/ready', '/metrics'])
      await (await fetch(`http://127.0.0.1:${port}${path}`)).text();
    await (await fetch(`http://127.0.0.1:${port}/hello`)).text();
    await waitForSpan(r, 'health', (s) => s.attributes['url.path'] === '/hello');
    await app.stop();
    const paths = spansOf(r, 'health').map((s) => s.attributes['url.path']);
    assert.deepEqual(
      paths.filter((p) => p !== undefined && p !== '/hello'),
      [],
    );
  });
});
