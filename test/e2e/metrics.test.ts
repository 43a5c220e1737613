// With an endpoint, metrics go out over OTLP gRPC beside the traces: HTTP duration histograms from
// the http instrumentation and Node runtime metrics (event-loop delay, heap, GC).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { closedPort, exportTo, type Receiver, receiver } from '../helpers/otlp.js';
import { portOf, startFixture, supervise } from '../helpers/run-fixture.js';

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
  await supervise(app, async () => {
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
  });
});

// The Prometheus reader loads the metrics SDK at start, before the other instrumentations are
// registered: the runtime ones must still be registered once. Registered twice, event-loop
// utilization reads ~1 for an idle service (the second callback measures a microsecond window).
test('with the Prometheus exporter, an idle service reports low event-loop utilization', async () => {
  const metricsPort = await closedPort();
  const app = startFixture({
    script: 'http-service.mjs',
    env: {
      OTEL_SERVICE_NAME: 'scraped',
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    },
  });
  await supervise(app, async () => {
    await portOf(app);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('nodejs_eventloop_utilization'));
    assert.ok(line, `no event-loop utilization in the scrape\n${text.slice(0, 2000)}`);
    const value = Number(line.split(' ').at(-1));
    assert.ok(value >= 0 && value < 0.5, `utilization ${value} for an idle service: ${line}`);
  });
});
