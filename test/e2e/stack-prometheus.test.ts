// OTEL_METRICS_EXPORTER=prometheus scraped by a real Prometheus (Debian's, on 127.0.0.1): services named
// apollo, sophia and hermes, one job each; its query API must return their HTTP and runtime metrics
// under the expected names and labels, and data for every dashboard query without span metrics.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { closedPort } from '../helpers/otlp.js';
import { type Fixture, portOf, startFixture } from '../helpers/run-fixture.js';
import {
  collectorConfig,
  collectorPromName,
  concreteQuery,
  dashboardQueries,
} from '../helpers/stack-files.js';
import { eventually, type PrometheusServer, startPrometheus } from '../helpers/stack-tools.js';

const SERVICES = ['apollo', 'sophia', 'hermes'] as const;
type Service = (typeof SERVICES)[number];

let prometheus: PrometheusServer | undefined;
const apps = new Map<Service, { fixture: Fixture; url: string; metricsPort: number }>();

const output = () =>
  [...[...apps.values()].map((a) => a.fixture.output()), prometheus?.output() ?? ''].join('\n');

before(async () => {
  await Promise.all(
    SERVICES.map(async (name) => {
      const metricsPort = await closedPort();
      const fixture = startFixture({
        script: 'http-service.mjs',
        env: {
          OTEL_SERVICE_NAME: name,
          OTEL_METRICS_EXPORTER: 'prometheus',
          OTEL_TRACES_EXPORTER: 'none',
          OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
          OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
        },
        timeoutMs: 60_000,
      });
      apps.set(name, { fixture, url: `http://127.0.0.1:${await portOf(fixture)}`, metricsPort });
    }),
  );
  prometheus = await startPrometheus({
    jobs: SERVICES.map((name) => ({
      job_name: name,
      static_configs: [{ targets: [`127.0.0.1:${apps.get(name)?.metricsPort}`] }],
    })),
  });
  // A bounded load: Apollo -> Sophia -> Hermes, and a few calls Hermes fails (its downstream is closed).
  const url = (name: Service) => apps.get(name)?.url as string;
  const chain = `${url('apollo')}/hello?next=${encodeURIComponent(
    `${url('sophia')}/hello?next=${encodeURIComponent(`${url('hermes')}/hello`)}`,
  )}`;
  for (let i = 0; i < 10; i++) assert.equal((await fetch(chain)).status, 200);
  const nowhere = `http://127.0.0.1:${await closedPort()}/`;
  for (let i = 0; i < 3; i++)
    assert.equal((await fetch(`${url('hermes')}/hello?next=${encodeURIComponent(nowhere)}`)).status, 500);
});

after(async () => {
  await prometheus?.stop();
  await Promise.all([...apps.values()].map(({ fixture }) => fixture.stop()));
});

/** Waits (bounded) until `expr` returns samples (of each of `jobs`, if given), and returns them. */
async function series(expr: string, jobs: readonly string[] = [], timeoutMs = 15_000) {
  const server = prometheus as PrometheusServer;
  return eventually(async () => {
    const samples = await server.query(expr);
    if (samples.length === 0) throw new Error(`no data for ${expr}`);
    const missing = jobs.filter((job) => !samples.some((s) => s.metric.job === job));
    if (missing.length > 0) throw new Error(`no data for ${missing.join(', ')} from ${expr}`);
    return samples;
  }, timeoutMs).catch((error: Error) => {
    throw new Error(`${error.message}\n${output()}`);
  });
}

test('Prometheus scrapes every service: one up target per service job', async () => {
  for (const name of SERVICES) {
    const [up] = await series(`up{job="${name}"} == 1`);
    assert.equal(up?.metric.instance, `127.0.0.1:${apps.get(name)?.metricsPort}`);
  }
});

test('HTTP server request metrics arrive under the expected names and labels', async () => {
  for (const name of SERVICES) {
    const samples = await series(
      `http_server_request_duration_count{job="${name}", http_request_method="GET", http_response_status_code="200"}`,
    );
    const count = samples.reduce((sum, s) => sum + Number(s.value[1]), 0);
    assert.ok(count >= 10, `${name}: ${count} requests counted`);
    const buckets = await series(`http_server_request_duration_bucket{job="${name}", le="+Inf"}`);
    assert.equal(buckets[0]?.metric.url_scheme, 'http');
    await series(`http_server_request_duration_sum{job="${name}"}`);
  }
  const errors = await series(
    'http_server_request_duration_count{job="hermes", http_response_status_code="500"}',
  );
  assert.equal(Number(errors[0]?.value[1]), 3);
  await series('http_client_request_duration_count{job="apollo"}');
});

test('Node runtime metrics arrive for every service: event-loop delay and utilization, heap', async () => {
  for (const name of SERVICES) {
    for (const metric of [
      'nodejs_eventloop_delay_p99',
      'nodejs_eventloop_delay_p50',
      'nodejs_eventloop_utilization',
    ])
      await series(`${metric}{job="${name}"}`);
    const heap = await series(`v8js_memory_heap_used{job="${name}"}`);
    assert.ok(heap.some((s) => s.metric.v8js_heap_space_name === 'old_space' && Number(s.value[1]) > 0));
    const [info] = await series(`target_info{job="${name}"}`);
    assert.equal(info?.metric.service_name, name);
  }
});

test('every dashboard query that needs no span metrics returns data for the services it covers', async () => {
  const spanMetrics = collectorPromName(collectorConfig().connectors.spanmetrics.namespace);
  const queries = dashboardQueries().filter((q) => !q.expr.includes(spanMetrics));
  assert.ok(queries.length >= 8);
  for (const { panel, expr } of queries) {
    // Outgoing calls: Apollo and Sophia call downstream; Hermes only fails to.
    const expected = expr.includes('http_client_') ? ['apollo', 'sophia'] : SERVICES;
    await series(concreteQuery(expr, { service: SERVICES.join('|'), rateInterval: '1m' }), expected).catch(
      (error: Error) => {
        throw new Error(`panel ${panel}: ${error.message}`);
      },
    );
  }
});
