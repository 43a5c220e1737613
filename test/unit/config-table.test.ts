// Bad input for every variable the agent reads, generated from the config's own table
// (configVariables), so a new variable is covered as soon as it is read: each malformed value gives
// exactly one warning, naming that variable, and no warning about any other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configVariables, type Env, parseConfig, type VariableKind } from '../../src/config.js';

const BAD: Record<VariableKind, string[]> = {
  text: [],
  path: [],
  bool: ['maybe', 'yes please', '2', 'tru\uFFFDe'],
  int: ['abc', '-5', '1.5', '99999999999999999999', '0x10', '12\uFFFD'],
  number: ['abc', '-1', '2', 'NaN', '1e400'],
  enum: ['bogus', 'grpc!', '\u0007'],
  list: ['bogus-name', 'bogus-1,bogus-2'],
  url: ['http://[::1', 'ftp://user:hunter2@c', 'http://c\uFFFD:4317', 'http://c:4317 extra'],
  pairs: ['novalue', 'a=b,=empty-key'],
};

/** An environment in which `name` is read at all (export, ratio sampler, Prometheus turned on). */
function baseFor(name: string): Record<string, string> {
  const base: Record<string, string> = {
    OTEL_SERVICE_NAME: 'svc',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317',
    OTEL_TRACES_SAMPLER: 'traceidratio',
    OTEL_METRICS_EXPORTER: 'otlp,prometheus',
  };
  const perSignal = /^OTEL_EXPORTER_OTLP_(TRACES|METRICS)_/.exec(name);
  if (perSignal) base[`OTEL_EXPORTER_OTLP_${perSignal[1]}_ENDPOINT`] = 'http://c:4317';
  if (name.endsWith('_INSECURE')) {
    base[perSignal ? `OTEL_EXPORTER_OTLP_${perSignal[1]}_ENDPOINT` : 'OTEL_EXPORTER_OTLP_ENDPOINT'] =
      'c:4317';
  }
  delete base[name];
  return base;
}

const variables = [...configVariables()];

test('the table holds every documented variable', () => {
  const names = new Set(variables.map(([name]) => name));
  for (const name of [
    'OTEL_SERVICE_NAME',
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
    'OTEL_EXPORTER_OTLP_HEADERS',
    'OTEL_EXPORTER_OTLP_TIMEOUT',
    'OTEL_EXPORTER_OTLP_CERTIFICATE',
    'OTEL_TRACES_SAMPLER_ARG',
    'OTEL_PROPAGATORS',
    'OTEL_SDK_DISABLED',
    'OTEL_LOG_LEVEL',
    'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
    'OTEL_NODE_DISABLED_INSTRUMENTATIONS',
    'OTEL_METRIC_EXPORT_INTERVAL',
    'OTEL_BSP_MAX_QUEUE_SIZE',
    'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT',
    'OTEL_EXPORT_CONSOLE',
    'LOGOS_OTEL_SHUTDOWN_TIMEOUT',
  ]) {
    assert.ok(names.has(name), name);
  }
});

for (const [name, kind] of variables) {
  for (const value of BAD[kind]) {
    test(`${name} (${kind}) = ${JSON.stringify(value)}: one warning naming it, a fallback, no throw`, () => {
      const base = baseFor(name);
      const before = parseConfig(base).warnings.map((w) => w.message);
      const env: Env = { ...base, [name]: value };
      const { config, warnings } = parseConfig(env);
      assert.ok(Object.isFrozen(config));
      const mine = warnings.filter((w) => w.variable === name);
      assert.equal(mine.length, 1, JSON.stringify(warnings));
      assert.match(mine[0]?.message ?? '', new RegExp(name));
      const others = warnings.filter((w) => w.variable !== name).map((w) => w.message);
      assert.deepEqual(
        others.filter((m) => !before.includes(m)),
        [],
        'no warning about another variable',
      );
      assert.ok(!warnings.some((w) => w.message.includes('hunter2')), 'no secret in a warning');
    });
  }
}
