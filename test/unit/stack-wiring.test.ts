// The stack's wiring, parsed: collector pipelines use defined components, every endpoint and scrape
// target names a compose service and a port it really listens on, Grafana's datasources and
// dashboard agree with Prometheus, Tempo and the collector's span metrics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import {
  collectorConfig,
  collectorPromName,
  compose,
  containerPorts,
  type Doc,
  dashboard,
  dashboardQueries,
  grafanaDashboardProviders,
  grafanaDatasources,
  hostPort,
  listenPort,
  prometheusConfig,
  promqlMetricNames,
  seriesNames,
  tempoConfig,
  tracesToMetricsQueries,
} from '../helpers/stack-files.js';

const services: Record<string, Doc> = compose().services;
const STACKS = ['jaeger', 'tempo'] as const;
const componentType = (id: string) => id.split('/')[0] as string;

/** The compose service named by `host:port`, which must listen on that port. */
function assertServicePort(endpoint: string, what: string): Doc {
  const { host, port } = hostPort(endpoint);
  const service = services[host];
  assert.ok(service, `${what}: ${host} is not a compose service`);
  assert.ok(containerPorts(service).has(port), `${what}: ${host} does not listen on ${port}`);
  return service;
}

for (const stack of STACKS) {
  const config = collectorConfig(stack);

  test(`collector (${stack}): every pipeline names defined components, and every component is used`, () => {
    const used = new Set<string>();
    for (const [name, pipeline] of Object.entries<Doc>(config.service.pipelines)) {
      for (const kind of ['receivers', 'processors', 'exporters'] as const) {
        for (const id of pipeline[kind] ?? []) {
          const connector = kind !== 'processors' && config.connectors?.[id] !== undefined;
          assert.ok(config[kind]?.[id] !== undefined || connector, `${name}: ${kind} ${id} is not defined`);
          used.add(`${connector ? 'connectors' : kind}:${id}`);
        }
      }
      assert.ok(pipeline.receivers?.length && pipeline.exporters?.length, `${name}: empty pipeline`);
      assert.equal(pipeline.processors?.[0], 'memory_limiter', `${name}: memory_limiter must come first`);
      assert.ok(pipeline.processors.includes('batch'), `${name}: no batch processor`);
    }
    for (const kind of ['receivers', 'processors', 'exporters', 'connectors'])
      for (const id of Object.keys(config[kind] ?? {}))
        assert.ok(used.has(`${kind}:${id}`), `${kind} ${id} unused`);
    for (const id of Object.keys(config.connectors ?? {})) {
      const pipelines = Object.values<Doc>(config.service.pipelines);
      assert.ok(
        pipelines.some((p) => p.exporters.includes(id)) && pipelines.some((p) => p.receivers.includes(id)),
      );
    }
    assert.deepEqual(config.service.extensions, ['health_check']);
    assert.ok(config.extensions.health_check);
  });

  test(`collector (${stack}): traces go to the stack's backends, metrics to the Prometheus exporter`, () => {
    const { traces, metrics } = config.service.pipelines;
    const backends = traces.exporters.filter((id: string) => componentType(id) === 'otlp').sort();
    assert.deepEqual(backends, stack === 'jaeger' ? ['otlp/jaeger'] : ['otlp/jaeger', 'otlp/tempo']);
    assert.ok(traces.exporters.includes('spanmetrics') && metrics.receivers.includes('spanmetrics'));
    assert.deepEqual(metrics.exporters, ['prometheus']);
    assert.deepEqual(traces.receivers, ['otlp']);
    assert.ok(metrics.receivers.includes('otlp'));
  });

  test(`collector (${stack}): exporter endpoints name a service of the stack and a port it listens on`, () => {
    for (const [id, exporter] of Object.entries<Doc>(config.exporters)) {
      if (componentType(id) !== 'otlp') continue;
      const target = assertServicePort(exporter.endpoint, `${stack} ${id}`);
      assert.equal(exporter.tls?.insecure, true, `${id}: plain gRPC inside the network`);
      // A profile-only backend may only be named by the config that profile selects.
      for (const profile of target.profiles ?? [])
        assert.equal(profile, stack, `${id} needs profile ${profile}`);
    }
    assert.ok(
      containerPorts(services.tempo).has(
        listenPort(tempoConfig().distributor.receivers.otlp.protocols.grpc.endpoint),
      ),
    );
  });

  test(`collector (${stack}): what it listens on is what compose publishes, and the reverse`, () => {
    const listening = new Set([
      listenPort(config.receivers.otlp.protocols.grpc.endpoint),
      listenPort(config.receivers.otlp.protocols.http.endpoint),
      listenPort(config.exporters.prometheus.endpoint),
      listenPort(config.service.telemetry.metrics.address),
      listenPort(config.extensions.health_check.endpoint),
    ]);
    assert.deepEqual([...listening].sort(), [...containerPorts(services['otel-collector'])].sort());
    for (const address of [
      config.receivers.otlp.protocols.grpc.endpoint,
      config.exporters.prometheus.endpoint,
      config.extensions.health_check.endpoint,
    ])
      assert.match(address, /^0\.0\.0\.0:/, `${address}: reachable from other containers`);
  });
}

test('the Tempo collector config is the default one plus the otlp/tempo exporter, nothing else', () => {
  const tempo = structuredClone(collectorConfig('tempo'));
  delete tempo.exporters['otlp/tempo'];
  const traces = tempo.service.pipelines.traces;
  traces.exporters = traces.exporters.filter((id: string) => id !== 'otlp/tempo');
  assert.ok(isDeepStrictEqual(tempo, collectorConfig('jaeger')), 'the two collector configs drifted apart');
});

test('the Prometheus exporter keeps the names the agent writes and the job label from service.name', () => {
  const exporter = collectorConfig().exporters.prometheus;
  assert.equal(exporter.add_metric_suffixes, false, 'the dashboard and /metrics use names without suffixes');
  assert.equal(exporter.namespace ?? '', '', 'a namespace would prefix every name');
  assert.equal(exporter.resource_to_telemetry_conversion?.enabled ?? false, false);
});

test('every Prometheus target names a default-stack service and a port it listens on', () => {
  const jobs: Doc[] = prometheusConfig().scrape_configs;
  const collector = collectorConfig();
  const byPort = new Map<number, string>();
  for (const job of jobs) {
    for (const target of job.static_configs.flatMap((c: Doc) => c.targets)) {
      const service = assertServicePort(target, `job ${job.job_name}`);
      assert.equal(service.profiles, undefined, `${target}: scraped in both stacks, so in the default one`);
      if (hostPort(target).host === 'otel-collector') byPort.set(hostPort(target).port, job.job_name);
    }
  }
  const servicesJob = byPort.get(listenPort(collector.exporters.prometheus.endpoint));
  const ownJob = byPort.get(listenPort(collector.service.telemetry.metrics.address));
  assert.ok(servicesJob && ownJob, 'both collector ports are scraped');
  const honor = jobs.find((j) => j.job_name === servicesJob)?.honor_labels;
  assert.equal(honor, true, 'without honor_labels the service name lands in exported_job');
});

test("Grafana's datasources point at services and ports that serve them; uids referenced exist", () => {
  const { datasources } = grafanaDatasources();
  const urls = Object.fromEntries(datasources.map((d: Doc) => [d.type, d.url]));
  assert.deepEqual(Object.keys(urls).sort(), ['prometheus', 'tempo']);
  for (const url of Object.values<string>(urls)) assertServicePort(url, `datasource ${url}`);
  assert.equal(hostPort(urls.tempo).port, tempoConfig().server.http_listen_port);
  assert.equal(hostPort(urls.prometheus).port, 9090);
  const uids = new Set(datasources.map((d: Doc) => d.uid));
  const tempo = datasources.find((d: Doc) => d.type === 'tempo');
  assert.ok(uids.has(tempo.jsonData.tracesToMetrics.datasourceUid));
  assert.deepEqual(tempo.jsonData.tracesToMetrics.tags, [{ key: 'service.name', value: 'job' }]);
  const doc = dashboard();
  const referenced = [
    ...doc.templating.list.map((v: Doc) => v.datasource?.uid),
    ...doc.panels.flatMap((p: Doc) => [
      p.datasource?.uid,
      ...(p.targets ?? []).map((t: Doc) => t.datasource?.uid),
    ]),
  ].filter((uid) => uid !== undefined);
  assert.ok(referenced.length > 0);
  for (const uid of referenced) assert.ok(uids.has(uid), `the dashboard uses datasource uid ${uid}`);
});

test('Grafana loads the dashboard from the folder compose mounts, and it is the home dashboard', () => {
  const grafana = services.grafana;
  const [provider] = grafanaDashboardProviders().providers;
  const mount = grafana.volumes.find((v: string) => v.startsWith('./infra/grafana/dashboards:'));
  assert.equal(mount.split(':')[1], provider.options.path);
  const home = grafana.environment.find((e: string) =>
    e.startsWith('GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH='),
  );
  assert.equal(home.split('=')[1], `${provider.options.path}/logos-services.json`);
  assert.ok(grafana.volumes.includes('./infra/grafana/provisioning:/etc/grafana/provisioning:ro'));
});

test('the dashboard covers rate, errors, latency percentiles, operation spans and the Node runtime', () => {
  const queries = dashboardQueries();
  const titles = new Set(queries.map((q) => q.panel));
  for (const panel of dashboard().panels.filter((p: Doc) => p.type !== 'row'))
    assert.ok(panel.targets?.length, `${panel.title}: no query`);
  const all = queries.map((q) => q.expr).join('\n');
  for (const needle of [
    'http_server_request_duration_count',
    'http_response_status_code=~"5.."',
    'histogram_quantile(0.5,',
    'histogram_quantile(0.95,',
    'histogram_quantile(0.99,',
    'http_server_request_duration_bucket',
    'traces_span_metrics_duration_bucket',
    'nodejs_eventloop_delay_p99',
    'v8js_memory_heap_used',
  ])
    assert.ok(all.includes(needle), `no query uses ${needle}`);
  assert.ok(titles.size >= 8);
  for (const { panel, expr } of queries) {
    assert.ok(promqlMetricNames(expr).length > 0, `${panel}: selects no metric`);
    assert.ok(expr.includes('job=~"$service"'), `${panel}: not filtered by the service variable`);
  }
  const variable = dashboard().templating.list.find((v: Doc) => v.name === 'service');
  assert.match(variable.definition, /^label_values\(http_server_request_duration_count, job\)$/);
});

test("the span-metric names in Grafana are those the collector's spanmetrics connector produces", () => {
  const { namespace, histogram } = collectorConfig().connectors.spanmetrics;
  assert.equal(histogram.unit, 's', 'seconds, like the HTTP duration histograms');
  const produced = new Set([
    ...seriesNames(collectorPromName(`${namespace}.calls`), 'sum'),
    ...seriesNames(collectorPromName(`${namespace}.duration`), 'histogram'),
  ]);
  const prefix = collectorPromName(namespace);
  const used = [...dashboardQueries().map((q) => q.expr), ...tracesToMetricsQueries()]
    .flatMap(promqlMetricNames)
    .filter((name) => name.startsWith(prefix));
  assert.ok(used.length >= 2);
  for (const name of used) assert.ok(produced.has(name), `${name} is not one of ${[...produced].join(', ')}`);
});
