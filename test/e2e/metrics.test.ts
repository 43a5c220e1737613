// With an endpoint, metrics go out over OTLP gRPC beside the traces: HTTP duration histograms from
// the http instrumentation and Node runtime metrics (event-loop delay, heap, GC).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exportTo, type Receiver, receiver } from '../helpers/otlp.js';
import { portOf, startFixture } from '../helpers/run-fixture.js';

let r: Receiver;
before(async () => {
  r = await receiver();
});
after(() => r.close());

const REQUIRED = [
  'http.server.request.duration',
  'http.client.request.duration',
  'nodejs.eventloop.delay.p99',
  'nodejs.eventloop.utilization',
  'v8js.memory.heap.used',
  'v8js.gc.duration',
];

test('HTTP duration histograms and runtime metrics arrive, tagged with the service', async () => {
  const app = startFixture({ script: 'http-service.mjs', env: exportTo(r, 'metered') });
  try {
    const port = await portOf(app);
    const self = encodeURIComponent(`http://127.0.0.1:${port}/hello`);
    for (let i = 0; i < 20; i++) await (await fetch(`http://127.0.0.1:${port}/hello?next=${self}`)).text();
    const names = () =>
      new Set(r.metrics.filter((m) => m.resource['service.name'] === 'metered').map((m) => m.name));
    // Cumulative histograms: wait for an export that has counted all the requests.
    const counted = (m: (typeof r.metrics)[number]) =>
      m.resource['service.name'] === 'metered' &&
      m.name === 'http.server.request.duration' &&
      m.dataPoints.some((p) => Number(p.count ?? 0) >= 20);
    await r
      .waitFor(() => REQUIRED.every((name) => names().has(name)) && r.metrics.some(counted), 15_000)
      .catch((error: Error) => {
        throw new Error(`${error.message}\nmissing: ${REQUIRED.filter((n) => !names().has(n)).join(', ')}`);
      });
    const server = r.metrics.find(counted);
    assert.equal(server?.type, 'histogram');
    assert.equal(server?.unit, 's');
    const point = server?.dataPoints.find((p) => Number(p.count ?? 0) >= 20);
    assert.ok(point && Number(point.count ?? 0) >= 20, `count ${point?.count}`);
    assert.equal(point.attributes['http.request.method'], 'GET');
    assert.equal(point.attributes['http.response.status_code'], 200);
  } catch (error) {
    console.error(app.output());
    throw error;
  } finally {
    await app.stop();
  }
});
