// parseConfig: where each signal's collector is probed (a plain TCP connect before the exporter
// loads), as the exporter itself would connect, and no probe when a proxy may carry the connection.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/config.js';

const probes = (env: Record<string, string>) => {
  const { config } = parseConfig({ OTEL_SERVICE_NAME: 'svc', ...env });
  return { traces: config.traces?.probe, metrics: config.metrics?.probe };
};

test('gRPC: the host and port of the endpoint, 443 without a port (grpc-js dials 443 then)', () => {
  assert.deepEqual(probes({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317' }).traces, {
    host: 'collector',
    port: 4317,
  });
  assert.deepEqual(probes({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector' }).traces, {
    host: 'collector',
    port: 443,
  });
  // The URL drops a scheme's default port, so grpc-js is handed no port and dials 443.
  assert.deepEqual(probes({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:80' }).traces?.port, 443);
  assert.deepEqual(probes({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' }).traces, {
    host: 'collector',
    port: 4317,
  });
  assert.deepEqual(probes({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://[::1]:4317' }).traces, {
    host: '::1',
    port: 4317,
  });
});

test('OTLP/HTTP: the scheme default port when none is given; TLS endpoints are probed over TCP alike', () => {
  const http = { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' };
  assert.deepEqual(probes({ ...http, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector' }).traces, {
    host: 'collector',
    port: 80,
  });
  assert.deepEqual(probes({ ...http, OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector/otlp' }).metrics, {
    host: 'collector',
    port: 443,
  });
  assert.deepEqual(
    probes({ ...http, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example:4318/v1/traces' }).traces,
    { host: 'traces.example', port: 4318 },
  );
});

test('per-signal endpoints are probed each at its own address', () => {
  assert.deepEqual(
    probes({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4317',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://metrics:14317',
    }),
    { traces: { host: 'traces', port: 4317 }, metrics: { host: 'metrics', port: 14317 } },
  );
});

test('with a proxy variable set, nothing is probed: a direct connect would not tell', () => {
  for (const name of ['grpc_proxy', 'https_proxy', 'http_proxy', 'HTTPS_PROXY', 'HTTP_PROXY']) {
    const { traces, metrics } = probes({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
      [name]: 'http://proxy:3128',
    });
    assert.deepEqual({ traces, metrics }, { traces: undefined, metrics: undefined }, name);
  }
  const { warnings } = parseConfig({
    OTEL_SERVICE_NAME: 'svc',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
    http_proxy: 'not a url',
  });
  assert.deepEqual(warnings, [], 'the proxy variables are not ours to check');
});
