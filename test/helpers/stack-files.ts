// The observability stack's files (docker-compose.otel.yml, infra/**) parsed, with the bits of their
// semantics the stack tests need: ports, the metric names a PromQL query selects, the collector's
// OTLP-to-Prometheus name translation. Used by test/unit/stack-*.test.ts and test/e2e/stack-*.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './run-fixture.js';

export const COMPOSE_FILE = join(ROOT, 'docker-compose.otel.yml');
export const INFRA = join(ROOT, 'infra');

// The YAML is data of unknown shape until a test has looked at it: `any` keeps the tests short,
// and every test asserts the shape it relies on.
// biome-ignore lint/suspicious/noExplicitAny: parsed configuration files
export type Doc = any;

export function readYaml(path: string): Doc {
  return parse(readFileSync(path, 'utf8'));
}

export function readJson(path: string): Doc {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export const compose = (): Doc => readYaml(COMPOSE_FILE);
export const collectorConfig = (stack: 'jaeger' | 'tempo' = 'jaeger'): Doc =>
  readYaml(
    join(INFRA, stack === 'jaeger' ? 'otel-collector-config.yaml' : 'otel-collector-config.tempo.yaml'),
  );
export const prometheusConfig = (): Doc => readYaml(join(INFRA, 'prometheus.yml'));
export const tempoConfig = (): Doc => readYaml(join(INFRA, 'tempo.yaml'));
export const grafanaDatasources = (): Doc =>
  readYaml(join(INFRA, 'grafana', 'provisioning', 'datasources', 'datasources.yaml'));
export const grafanaDashboardProviders = (): Doc =>
  readYaml(join(INFRA, 'grafana', 'provisioning', 'dashboards', 'dashboards.yaml'));
export const DASHBOARD_FILE = join(INFRA, 'grafana', 'dashboards', 'logos-services.json');
export const dashboard = (): Doc => readJson(DASHBOARD_FILE);

/** `"4317:4317"`, `"127.0.0.1:3001:3000/tcp"` or the long form -> host and container port. */
export function parsePort(entry: unknown): { host: number | undefined; container: number } {
  if (typeof entry === 'object' && entry !== null) {
    const long = entry as { target: number | string; published?: number | string };
    return {
      host: long.published === undefined ? undefined : Number(long.published),
      container: Number(long.target),
    };
  }
  const parts = String(entry)
    .replace(/\/(tcp|udp)$/, '')
    .split(':');
  const container = Number(parts.at(-1));
  return { host: parts.length > 1 ? Number(parts.at(-2)) : undefined, container };
}

/** The ports a compose service listens on inside its network: `ports` targets and `expose`. */
export function containerPorts(service: Doc): Set<number> {
  const ports = new Set<number>();
  for (const entry of service.ports ?? []) ports.add(parsePort(entry).container);
  for (const entry of service.expose ?? []) ports.add(Number(String(entry).replace(/\/(tcp|udp)$/, '')));
  return ports;
}

/** `jaeger:4317`, `http://prometheus:9090/x`, `0.0.0.0:8889` -> host and port. */
export function hostPort(endpoint: string): { host: string; port: number } {
  const url = new URL(/^[a-z]+:\/\//.test(endpoint) ? endpoint : `tcp://${endpoint}`);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { host: url.hostname, port };
}

/** The port of a listen address such as `0.0.0.0:4317` or `:8888`. */
export function listenPort(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

/** Every `expr` of every panel (rows included), with the panel's title. */
export function dashboardQueries(doc: Doc = dashboard()): { panel: string; expr: string }[] {
  const queries: { panel: string; expr: string }[] = [];
  const visit = (panels: Doc[]): void => {
    for (const panel of panels ?? []) {
      for (const target of panel.targets ?? []) queries.push({ panel: panel.title, expr: target.expr });
      visit(panel.panels);
    }
  };
  visit(doc.panels);
  return queries;
}

/** The PromQL of the Tempo datasource's trace-to-metrics links. */
export function tracesToMetricsQueries(doc: Doc = grafanaDatasources()): string[] {
  const tempo = doc.datasources.find((d: Doc) => d.type === 'tempo');
  // Provisioning files write a literal `$` as `$$`.
  return (tempo?.jsonData?.tracesToMetrics?.queries ?? []).map((q: Doc) =>
    String(q.query).replaceAll('$$', '$'),
  );
}

/**
 * The metric names a PromQL expression selects. Every query of the stack writes its selectors as
 * `name{...}`; a bare name is not found here, but it is when the e2e tests run every query against a
 * real Prometheus and expect data.
 */
export function promqlMetricNames(expr: string): string[] {
  return [...new Set([...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)].map((m) => m[1] as string))];
}

/** A query made concrete for Prometheus: Grafana's variables replaced by values. */
export function concreteQuery(
  expr: string,
  values: { service?: string; rateInterval?: string } = {},
): string {
  return expr
    .replaceAll('$__rate_interval', values.rateInterval ?? '1m')
    .replaceAll('$service', values.service ?? '.+')
    .replaceAll('$__tags', `job="${values.service ?? 'sophia'}"`);
}

/**
 * An OTLP metric name as the collector-contrib 0.91 Prometheus exporter writes it with
 * `add_metric_suffixes: false` (pkg/translator/prometheus BuildCompliantName without suffixes):
 * runs of characters outside [a-zA-Z0-9_:] become one `_`, leading and trailing ones are dropped,
 * the namespace is prepended. Histograms then get _bucket/_count/_sum from the Prometheus client.
 */
export function collectorPromName(otlpName: string, namespace = ''): string {
  const base = otlpName
    .split(/[^a-zA-Z0-9_:]+/)
    .filter(Boolean)
    .join('_');
  if (namespace !== '') return `${namespace}_${base}`;
  return /^[0-9]/.test(base) ? `_${base}` : base;
}

/** The Prometheus series names of one metric: histograms have three. */
export function seriesNames(name: string, type: string): string[] {
  return type === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name];
}
