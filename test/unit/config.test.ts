// parseConfig: defaults, every variable read, and a clear warning plus a safe fallback for bad values.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT, parseConfig } from '../../src/config/config.js';

const quiet = (env: Record<string, string>) => {
  const { config, warnings } = parseConfig(env, { name: 'app', version: '1.2.3' });
  return { config, warnings, messages: warnings.map((w) => w.message) };
};

describe('defaults', () => {
  test('no environment: instrumented, nothing exported, nothing to say', () => {
    const { config, warnings } = quiet({});
    assert.deepEqual(warnings, []);
    assert.equal(config.disabled, false);
    assert.equal(config.traces, undefined);
    assert.equal(config.metrics, undefined);
    assert.equal(config.console, false);
    assert.equal(config.serviceName, 'app');
    assert.equal(config.resourceAttributes['service.version'], '1.2.3');
    assert.equal(config.sampler, 'parentbased_always_on');
    assert.deepEqual(config.propagators, ['tracecontext', 'baggage']);
    assert.ok(config.instrumentations.includes('http'));
    assert.ok(!config.instrumentations.includes('fs'), 'fs is off by default');
    assert.ok(!config.instrumentations.includes('dns'));
    assert.ok(!config.instrumentations.includes('net'));
    assert.deepEqual(config.ignorePaths, ['/health', '/healthz', '/ready', '/metrics']);
    assert.equal(config.spanLimits.attributeValueLengthLimit, DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT);
    assert.equal(config.bsp.maxQueueSize, 2048);
    assert.equal(config.metricIntervalMs, 60_000);
    assert.ok(Object.isFrozen(config));
  });

  test('the config is frozen and parseConfig does not touch the env object', () => {
    const env = Object.freeze({ OTEL_SERVICE_NAME: 'x' });
    const { config } = parseConfig(env);
    assert.throws(() => {
      (config as { serviceName: string }).serviceName = 'y';
    });
  });

  test('no service name anywhere: a warning only when something is exported', () => {
    assert.deepEqual(parseConfig({}, {}).warnings, []);
    const { config, warnings } = parseConfig({ OTEL_EXPORT_CONSOLE: 'true' }, {});
    assert.equal(config.serviceName, 'unknown_service:node');
    assert.match(warnings[0]?.message ?? '', /OTEL_SERVICE_NAME is not set/);
  });
});

describe('export endpoints', () => {
  test('OTEL_EXPORTER_OTLP_ENDPOINT turns on gRPC export of traces and metrics', () => {
    const { config, warnings } = quiet({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317' });
    assert.deepEqual(warnings, []);
    assert.equal(config.traces?.endpoint, 'http://collector:4317');
    assert.equal(config.traces?.protocol, 'grpc');
    assert.equal(config.traces?.insecure, true);
    assert.equal(config.metrics?.endpoint, 'http://collector:4317');
  });

  test('per-signal endpoints win, and one signal can be exported alone', () => {
    const { config } = quiet({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example:443' });
    assert.equal(config.traces?.endpoint, 'https://traces.example');
    assert.equal(config.traces?.insecure, false);
    assert.equal(config.metrics, undefined);
  });

  test('OTLP/HTTP appends the signal path to the base endpoint only', () => {
    const { config } = quiet({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://m:4318/custom',
    });
    assert.equal(config.traces?.endpoint, 'http://c:4318/v1/traces');
    assert.equal(config.metrics?.endpoint, 'http://m:4318/custom');
  });

  test('a malformed endpoint is one warning and no export, never a crash', () => {
    const { config, messages } = quiet({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://[::1' });
    assert.equal(config.traces, undefined);
    assert.equal(config.metrics, undefined);
    assert.equal(messages.length, 1);
    assert.match(
      messages[0] ?? '',
      /^OTEL_EXPORTER_OTLP_ENDPOINT='http:\/\/\[::1' is not a valid http\(s\) URL; using no endpoint/,
    );
  });

  test('a scheme-less endpoint is read as plain-text host:port, with a warning', () => {
    const { config, messages } = quiet({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' });
    assert.equal(config.traces?.endpoint, 'http://collector:4317');
    assert.match(messages[0] ?? '', /has no scheme/);
  });

  test('credentials in the endpoint never appear in a warning or the display form', () => {
    const { config, messages } = quiet({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:hunter2@c:4317',
      OTEL_EXPORTER_OTLP_TIMEOUT: 'x',
    });
    assert.ok(!config.traces?.displayEndpoint.includes('hunter2'));
    assert.ok(!messages.join('\n').includes('hunter2'));
    const bad = quiet({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://user:hunter2@c' });
    assert.ok(!bad.messages.join('\n').includes('hunter2'), bad.messages.join('\n'));
    const schemeless = quiet({ OTEL_EXPORTER_OTLP_ENDPOINT: 'user:hunter2@collector:4317' });
    assert.ok(!schemeless.messages.join('\n').includes('hunter2'), schemeless.messages.join('\n'));
  });

  test('headers are parsed and their values never printed', () => {
    const { config, messages } = quiet({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20s3cret,x-tenant=a,broken-entry-s3cret',
    });
    assert.deepEqual({ ...config.traces?.headers }, { authorization: 'Bearer s3cret', 'x-tenant': 'a' });
    assert.equal(messages.length, 1);
    assert.match(messages[0] ?? '', /OTEL_EXPORTER_OTLP_HEADERS entries 3 are not key=value/);
    assert.ok(!messages[0]?.includes('s3cret'));
  });

  test('TLS files, timeout and compression are read per signal', () => {
    const { config } = quiet({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c:4317',
      OTEL_EXPORTER_OTLP_CERTIFICATE: '/ca.pem',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '1500',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
    });
    assert.equal(config.traces?.tls.caFile, '/ca.pem');
    assert.equal(config.traces?.timeoutMs, 1500);
    assert.equal(config.metrics?.timeoutMs, 2000, 'the default 10 s is capped by the 2 s exit limit');
    assert.equal(config.traces?.compression, 'gzip');
  });

  test('OTEL_TRACES_EXPORTER=none keeps traces in-process; console prints them', () => {
    assert.equal(
      quiet({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_TRACES_EXPORTER: 'none' }).config.traces,
      undefined,
    );
    assert.equal(quiet({ OTEL_TRACES_EXPORTER: 'console' }).config.console, true);
    assert.equal(quiet({ OTEL_EXPORT_CONSOLE: 'TRUE' }).config.console, true);
  });

  test('OTEL_METRICS_EXPORTER=prometheus serves /metrics on 9464 by default', () => {
    const { config } = quiet({ OTEL_METRICS_EXPORTER: 'prometheus' });
    assert.deepEqual(config.prometheus, { host: '0.0.0.0', port: 9464 });
    assert.equal(config.metrics, undefined);
  });
});

describe('resource and service name', () => {
  test('OTEL_SERVICE_NAME wins over OTEL_RESOURCE_ATTRIBUTES and package.json', () => {
    const { config } = quiet({
      OTEL_SERVICE_NAME: 'sophia',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=other,team=core',
    });
    assert.equal(config.serviceName, 'sophia');
    assert.equal(config.resourceAttributes.team, 'core');
    assert.equal(
      config.resourceAttributes['service.version'],
      undefined,
      'the version of another package is not borrowed',
    );
  });

  test('deployment.environment is recorded under both names', () => {
    const { config } = quiet({ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod' });
    assert.equal(config.resourceAttributes['deployment.environment.name'], 'prod');
    assert.equal(config.resourceAttributes['deployment.environment'], 'prod');
  });

  test('percent-encoded values are decoded; bad entries are reported', () => {
    const { config, messages } = quiet({ OTEL_RESOURCE_ATTRIBUTES: 'a=b%2Cc,novalue,%E0=x' });
    assert.equal(config.resourceAttributes.a, 'b,c');
    assert.equal(messages.length, 1);
    assert.match(messages[0] ?? '', /OTEL_RESOURCE_ATTRIBUTES has entries that are not key=value/);
  });
});

describe('bad values fall back with one warning naming the variable', () => {
  const cases: [string, string, (c: ReturnType<typeof quiet>['config']) => unknown, unknown][] = [
    ['OTEL_TRACES_SAMPLER', 'sometimes', (c) => c.sampler, 'parentbased_always_on'],
    ['OTEL_TRACES_SAMPLER_ARG', 'abc', (c) => c.samplerRatio, 1],
    ['OTEL_BSP_MAX_QUEUE_SIZE', '-5', (c) => c.bsp.maxQueueSize, 2048],
    ['OTEL_BSP_SCHEDULE_DELAY', '1e3', (c) => c.bsp.scheduledDelayMs, 5000],
    ['LOGOS_OTEL_BSP_MAX_QUEUE_BYTES', '12', (c) => c.bsp.maxQueueBytes, 8 * 1024 * 1024],
    ['LOGOS_OTEL_TRACER', 'fast', (c) => c.tracer, 'lean'],
    ['OTEL_METRIC_EXPORT_INTERVAL', '99999999999999999999', (c) => c.metricIntervalMs, 60_000],
    ['OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'lots', (c) => c.spanLimits.attributeValueLengthLimit, 4096],
    ['OTEL_LOG_LEVEL', 'loud', (c) => c.logLevel, 'warn'],
    ['OTEL_SDK_DISABLED', 'yes please', (c) => c.disabled, false],
    ['OTEL_EXPORT_CONSOLE', 'maybe', (c) => c.console, false],
  ];
  for (const [variable, value, pick, fallback] of cases) {
    test(`${variable}=${value}`, () => {
      const env: Record<string, string> = { [variable]: value };
      if (variable === 'OTEL_TRACES_SAMPLER_ARG') env.OTEL_TRACES_SAMPLER = 'traceidratio';
      const { config, warnings } = quiet(env);
      assert.equal(pick(config), fallback);
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      assert.equal(warnings[0]?.variable, variable);
      assert.match(warnings[0]?.message ?? '', new RegExp(`^${variable}=`));
      assert.match(warnings[0]?.message ?? '', /; using /);
    });
  }

  test('unknown instrumentation and propagator names are reported and ignored', () => {
    const { config, messages } = quiet({
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,@opentelemetry/instrumentation-express,warp-drive',
      OTEL_PROPAGATORS: 'tracecontext,carrier-pigeon',
    });
    assert.deepEqual(config.instrumentations, ['http', 'express']);
    assert.equal(config.instrumentationsExplicit, true);
    assert.deepEqual(config.propagators, ['tracecontext']);
    assert.equal(messages.length, 2);
    assert.match(messages.join('\n'), /warp-drive/);
    assert.match(messages.join('\n'), /carrier-pigeon/);
  });

  test('disabled instrumentations are removed from the defaults', () => {
    const { config } = quiet({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'undici,fastify' });
    assert.ok(!config.instrumentations.includes('undici'));
    assert.ok(!config.instrumentations.includes('fastify'));
    assert.ok(config.instrumentations.includes('http'));
  });

  test('batch size above the queue size is capped with a warning', () => {
    const { config, messages } = quiet({
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '500',
    });
    assert.equal(config.bsp.maxExportBatchSize, 100);
    assert.equal(messages.length, 1);
  });

  test('blank and whitespace values count as unset; control characters are shown escaped', () => {
    assert.deepEqual(quiet({ OTEL_TRACES_SAMPLER: '   ', OTEL_SERVICE_NAME: '' }).warnings, []);
    const { messages } = quiet({ OTEL_TRACES_SAMPLER: 'on\u0007' });
    assert.match(messages[0] ?? '', /on\\x07/);
  });

  test('non-UTF-8 bytes (decoded by Node as U+FFFD) make an endpoint invalid', () => {
    const { config, messages } = quiet({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c\uFFFD:4317' });
    assert.equal(config.traces, undefined);
    assert.equal(messages.length, 1);
  });
});

describe('export time limits', () => {
  test('an export never outlasts the exit limit: a longer OTEL_EXPORTER_OTLP_TIMEOUT is capped with a warning', () => {
    const { config, messages } = quiet({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317',
      OTEL_EXPORTER_OTLP_TIMEOUT: '30000',
      LOGOS_OTEL_SHUTDOWN_TIMEOUT: '1500',
    });
    assert.equal(config.traces?.timeoutMs, 1500);
    assert.equal(messages.length, 1);
    assert.match(
      messages[0] ?? '',
      /OTEL_EXPORTER_OTLP_TIMEOUT=30000 is above LOGOS_OTEL_SHUTDOWN_TIMEOUT=1500; using 1500/,
    );
  });

  test('the default export timeout is capped silently', () => {
    const { config, warnings } = quiet({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317' });
    assert.equal(config.traces?.timeoutMs, 2000);
    assert.deepEqual(warnings, []);
  });
});
