// Bad input for every variable in the variables table (src/config/table.ts), so a new variable is
// covered as soon as it is in the table: each malformed value gives exactly one warning, naming
// that variable, and no warning about any other. And every entry is read at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Env, parseConfig } from '../../src/config/config.js';
import {
  configVariables,
  namesOf,
  SIGNALS,
  signalName,
  specOf,
  VARIABLES,
  type VariableKind,
  type VariableName,
  type VariableSpec,
} from '../../src/config/table.js';

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

/** A value that is read without complaint and is not the default, to see that a variable is read at all. */
function otherThanDefault(spec: VariableSpec): string {
  switch (spec.kind) {
    case 'bool':
      return String(!spec.default);
    case 'int':
    case 'number':
      return String(spec.default === spec.min ? spec.max : spec.min);
    case 'enum':
      return spec.values.find((value) => value !== spec.default) ?? '';
    case 'list':
      return spec.values?.find((value) => !spec.default.includes(value)) ?? '/other';
    case 'url':
      return 'http://other:4317';
    case 'pairs':
      return 'k=v';
    default:
      return '/x';
  }
}

/**
 * An environment in which `name` (the table's `entry`, or one signal's form of it) is read: the
 * entry's readWhen, with a per-signal entry's own variables in that signal's form.
 */
function baseFor(entry: VariableName, name: string): Record<string, string> {
  const signal = SIGNALS.find((s) => name === signalName(entry, s));
  const base: Record<string, string> = { OTEL_SERVICE_NAME: 'svc' };
  for (const [variable, value] of Object.entries(specOf(entry).readWhen ?? {})) {
    const perSignal = signal !== undefined && specOf(variable as VariableName).perSignal === true;
    base[perSignal ? signalName(variable, signal) : variable] = value;
  }
  return base;
}

const entries = Object.keys(VARIABLES) as VariableName[];

// A guard against losing a variable users rely on; a new one needs no line here.
test('the table holds the long-standing variables', () => {
  const names = configVariables();
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

test('per-signal entries are OTLP exporter variables (their signal forms insert TRACES_ or METRICS_)', () => {
  for (const entry of entries)
    if (specOf(entry).perSignal) assert.match(entry, /^OTEL_EXPORTER_OTLP_[A-Z_]+$/, entry);
});

for (const entry of entries) {
  const { kind } = specOf(entry);
  for (const name of namesOf(entry)) {
    test(`${name} (${kind}) is read: a value of it changes the config or the warnings`, () => {
      const base = baseFor(entry, name);
      const without = parseConfig(base, {});
      const withIt = parseConfig({ ...base, [name]: otherThanDefault(specOf(entry)) }, {});
      assert.notDeepEqual(withIt, without);
    });
    for (const value of BAD[kind]) {
      test(`${name} (${kind}) = ${JSON.stringify(value)}: one warning naming it, a fallback, no throw`, () => {
        const base = baseFor(entry, name);
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
        // A single value that cannot be used is as if unset (lists and key=value lists keep their good part).
        if (kind !== 'list' && kind !== 'pairs') assert.deepEqual(config, parseConfig(base).config);
      });
    }
  }
}
