// The dashboard's metric names against a real instrumented service, captured over OTLP (translated as
// the collector's Prometheus exporter does with add_metric_suffixes: false) and from the agent's own
// /metrics (OTEL_METRICS_EXPORTER=prometheus): both paths must have every name the queries select.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { closedPort, exportTo, KIND, type Receiver, receiver } from '../helpers/otlp.js';
import { type Fixture, portOf, startFixture } from '../helpers/run-fixture.js';
import {
  collectorConfig,
  collectorPromName,
  dashboardQueries,
  promqlMetricNames,
  seriesNames,
  tracesToMetricsQueries,
} from '../helpers/stack-files.js';

const SERVICE = 'sophia';
const REQUIRED = [
  'http.server.request.duration',
  'http.client.request.duration',
  'nodejs.eventloop.delay.p99',
  'nodejs.eventloop.utilization',
  'v8js.memory.heap.used',
];

let r: Receiver;
let app: Fixture;
/** Series names on the agent's /metrics, with the label names seen on each. */
const scraped = new Map<string, Set<string>>();

before(async () => {
  r = await receiver();
  const metricsPort = await closedPort();
  app = startFixture({
    script: 'http-service.mjs',
    env: {
      ...exportTo(r, SERVICE),
      OTEL_METRICS_EXPORTER: 'otlp,prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    },
  });
  const port = await portOf(app);
  const self = encodeURIComponent(`http://127.0.0.1:${port}/hello`);
  for (let i = 0; i < 5; i++) await (await fetch(`http://127.0.0.1:${port}/hello?next=${self}`)).text();
  const names = () => new Set(r.metrics.map((m) => m.name));
  await r
    .waitFor(() => REQUIRED.every((name) => names().has(name)), 15_000)
    .catch((error: Error) => {
      throw new Error(
        `${error.message}: missing ${REQUIRED.filter((n) => !names().has(n))}\n${app.output()}`,
      );
    });
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s/.exec(line);
    if (!match) continue;
    const labels = scraped.get(match[1] as string) ?? new Set<string>();
    for (const [, label] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g))
      labels.add(label as string);
    scraped.set(match[1] as string, labels);
  }
});

after(async () => {
  await app?.stop();
  await r?.close();
});

/** Series names the collector's Prometheus exporter makes of the captured OTLP metrics. */
function collectorSeries(): Map<string, { otlp: string; type: string; monotonic: boolean }> {
  const exporter = collectorConfig().exporters.prometheus;
  assert.equal(
    exporter.add_metric_suffixes,
    false,
    'collectorPromName models add_metric_suffixes: false only',
  );
  const series = new Map<string, { otlp: string; type: string; monotonic: boolean }>();
  for (const metric of r.metrics.filter((m) => m.resource['service.name'] === SERVICE))
    for (const name of seriesNames(collectorPromName(metric.name, exporter.namespace ?? ''), metric.type))
      series.set(name, { otlp: metric.name, type: metric.type, monotonic: metric.isMonotonic });
  return series;
}

test("the collector's names and the agent's /metrics agree, counters' _total apart", () => {
  // The collector's Prometheus exporter drops delta histograms: the agent must send cumulative ones.
  for (const metric of r.metrics.filter((m) => m.type === 'histogram' || m.type === 'sum'))
    assert.equal(metric.aggregationTemporality, 2, `${metric.name} is not cumulative`);
  const viaCollector = collectorSeries();
  assert.ok(viaCollector.size > 10);
  for (const [name, { otlp, monotonic }] of viaCollector) {
    // The agent's exporter always appends _total to a counter; the collector, told not to, does not.
    const direct = monotonic && !name.endsWith('_total') ? `${name}_total` : name;
    assert.ok(scraped.has(direct), `${otlp}: the collector writes ${name}, /metrics has no ${direct}`);
  }
});

test('every metric the dashboard and the trace-to-metrics links select is emitted, on both paths', () => {
  const { namespace } = collectorConfig().connectors.spanmetrics;
  const spanMetrics = collectorPromName(namespace);
  const viaCollector = collectorSeries();
  const used = [...dashboardQueries().map((q) => q.expr), ...tracesToMetricsQueries()].flatMap(
    promqlMetricNames,
  );
  const fromAgent = [...new Set(used)].filter((name) => !name.startsWith(spanMetrics));
  assert.ok(fromAgent.length >= 6, fromAgent.join(', '));
  for (const name of fromAgent) {
    assert.ok(
      viaCollector.has(name),
      `${name}: the collector would not write it (OTLP has ${[...viaCollector.keys()]})`,
    );
    assert.ok(scraped.has(name), `${name}: not on the agent's /metrics`);
  }
});

test('the labels the queries filter and group on are on the series', () => {
  const labels = (name: string) => scraped.get(name) ?? new Set<string>();
  for (const label of ['http_request_method', 'http_response_status_code', 'url_scheme'])
    assert.ok(labels('http_server_request_duration_count').has(label), label);
  assert.ok(labels('http_server_request_duration_bucket').has('le'));
  assert.ok(labels('v8js_memory_heap_used').has('v8js_heap_space_name'));
  assert.ok(labels('target_info').has('service_name'));
});

test('operation spans are INTERNAL, the kind the dashboard selects from the span metrics', async () => {
  const dashboardKinds = new Set(
    dashboardQueries().flatMap((q) => [...q.expr.matchAll(/span_kind="([A-Z_]+)"/g)].map((m) => m[1])),
  );
  assert.deepEqual([...dashboardKinds], ['SPAN_KIND_INTERNAL']);
  await r.waitFor(() => r.spans.some((s) => s.name === 'fixture.work'), 10_000);
  const work = r.spans.filter((s) => s.name === 'fixture.work');
  assert.ok(work.every((s) => s.kind === KIND.internal && s.resource['service.name'] === SERVICE));
});
