// Unit tests of the receiver's decoding: bytes made by the official OTLP serializers (the ones every
// OTLP exporter uses) from real SDK data, in protobuf and JSON, must decode to the same plain shape.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  type HrTime,
  ROOT_CONTEXT,
  SeverityNumber,
  SpanKind,
  SpanStatusCode,
  trace,
  ValueType,
} from '@opentelemetry/api';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  AggregationType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { decodeBatch } from '../../src/receiver/otlp/decode.js';
import { otlpSchema } from '../../src/receiver/otlp/schema.js';
import { OtlpDecodeError } from '../../src/receiver/otlp/values.js';
import type { ReceivedBatch, ReceivedLog, ReceivedMetric, ReceivedSpan } from '../../src/receiver/types.js';

const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'decode-test', 'deployment.count': 3 });
const nanos = ([s, ns]: HrTime): bigint => BigInt(s) * 1_000_000_000n + BigInt(ns);

/** Decodes official protobuf and JSON encodings of the same data and checks they agree. */
function decodeBoth<S extends ReceivedBatch['signal']>(
  signal: S,
  proto?: Uint8Array,
  json?: Uint8Array,
): Extract<ReceivedBatch, { signal: S }> {
  assert.ok(proto && json, 'the official serializer produced no bytes');
  const fromProto = decodeBatch(signal, proto, 'http/protobuf');
  const fromJson = decodeBatch(signal, json, 'http/json');
  assert.deepEqual(fromJson.items, fromProto.items, 'OTLP/JSON and OTLP/protobuf decode differently');
  return fromProto;
}

async function recordSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('decode-scope', '1.2.3');
  const root = tracer.startSpan('GET /users/:id', {
    kind: SpanKind.SERVER,
    attributes: {
      'http.route': '/users/:id',
      'http.status_code': 200,
      ratio: 0.25,
      cached: false,
      tags: ['a', 'b'],
      sizes: [1, 2, 3],
    },
  });
  const other = tracer.startSpan('other', { kind: SpanKind.CONSUMER });
  const child = tracer.startSpan(
    'SELECT users',
    { kind: SpanKind.CLIENT, links: [{ context: other.spanContext(), attributes: { why: 'batch' } }] },
    trace.setSpan(ROOT_CONTEXT, root),
  );
  child.addEvent('retry', { attempt: 2 });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'connection reset' });
  root.setStatus({ code: SpanStatusCode.OK });
  for (const span of [child, other, root]) span.end();
  await provider.forceFlush();
  // Read before shutdown(): shutting down the in-memory exporter empties it.
  const spans = exporter.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

describe('decoding traces from the official serializers', () => {
  let sdkSpans: Awaited<ReturnType<typeof recordSpans>> = [];
  let spans: ReceivedSpan[] = [];
  before(async () => {
    sdkSpans = await recordSpans();
    spans = decodeBoth(
      'traces',
      ProtobufTraceSerializer.serializeRequest(sdkSpans),
      JsonTraceSerializer.serializeRequest(sdkSpans),
    ).items;
  });
  const byName = (name: string) => {
    const span = spans.find((s) => s.name === name);
    assert.ok(span, `no span named ${name} in ${spans.map((s) => s.name).join(', ')}`);
    return span;
  };

  test('ids, parents, kinds and times match the SDK spans', () => {
    assert.equal(spans.length, 3);
    for (const sdk of sdkSpans) {
      const span = byName(sdk.name);
      assert.equal(span.traceId, sdk.spanContext().traceId);
      assert.equal(span.spanId, sdk.spanContext().spanId);
      assert.equal(span.parentSpanId, sdk.parentSpanContext?.spanId ?? '');
      assert.equal(span.kind, sdk.kind + 1, 'OTLP kinds are the API kinds plus one');
      assert.equal(span.startTimeUnixNano, nanos(sdk.startTime));
      assert.equal(span.endTimeUnixNano, nanos(sdk.endTime));
      assert.equal(span.durationMs, Number(nanos(sdk.duration)) / 1e6);
      assert.equal(span.flags & 0xff, 1, 'sampled');
    }
    assert.equal(byName('SELECT users').parentSpanId, byName('GET /users/:id').spanId);
    assert.deepEqual(
      spans.map((s) => [s.name, s.kind]),
      [
        ['SELECT users', 3],
        ['other', 5],
        ['GET /users/:id', 2],
      ],
    );
  });

  test('attributes keep their types', () => {
    assert.deepEqual(byName('GET /users/:id').attributes, {
      'http.route': '/users/:id',
      'http.status_code': 200,
      ratio: 0.25,
      cached: false,
      tags: ['a', 'b'],
      sizes: [1, 2, 3],
    });
  });

  test('status, events, links, resource and scope', () => {
    const child = byName('SELECT users');
    assert.deepEqual(child.status, { code: 2, message: 'connection reset' });
    assert.deepEqual(byName('GET /users/:id').status, { code: 1, message: '' });
    assert.equal(child.events.length, 1);
    assert.equal(child.events[0]?.name, 'retry');
    assert.deepEqual(child.events[0]?.attributes, { attempt: 2 });
    assert.ok((child.events[0]?.timeUnixNano ?? 0n) >= child.startTimeUnixNano);
    assert.deepEqual(child.links, [
      {
        traceId: byName('other').traceId,
        spanId: byName('other').spanId,
        traceState: '',
        attributes: { why: 'batch' },
      },
    ]);
    assert.equal(child.resource[ATTR_SERVICE_NAME], 'decode-test');
    assert.equal(child.resource['deployment.count'], 3);
    assert.deepEqual(child.scope, { name: 'decode-scope', version: '1.2.3', attributes: {} });
  });
});

async function recordMetrics() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({
    resource,
    readers: [reader],
    views: [{ instrumentName: 'exp.latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('metrics-scope', '0.1.0');
  const requests = meter.createCounter('requests', {
    description: 'Requests served',
    valueType: ValueType.INT,
  });
  requests.add(3, { route: '/a' });
  requests.add(2, { route: '/b' });
  meter.createUpDownCounter('queue.depth').add(-4.5);
  meter.createGauge('temperature', { unit: 'Cel' }).record(21.5, { room: 'lab' });
  meter.createObservableGauge('heap.used').addCallback((result) => result.observe(1024));
  const duration = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: [0.1, 0.5, 1] },
  });
  for (const value of [0.05, 0.3, 0.3, 2]) duration.record(value, { method: 'GET' });
  const exp = meter.createHistogram('exp.latency');
  for (const value of [1, 2, 4]) exp.record(value);
  await provider.forceFlush();
  const [first] = exporter.getMetrics();
  await provider.shutdown();
  assert.ok(first, 'the SDK exported no metrics');
  return first;
}

describe('decoding metrics from the official serializers', () => {
  let metrics: ReceivedMetric[] = [];
  before(async () => {
    const sdkMetrics = await recordMetrics();
    metrics = decodeBoth(
      'metrics',
      ProtobufMetricsSerializer.serializeRequest(sdkMetrics),
      JsonMetricsSerializer.serializeRequest(sdkMetrics),
    ).items;
  });
  const byName = (name: string) => {
    const metric = metrics.find((m) => m.name === name);
    assert.ok(metric, `no metric named ${name} in ${metrics.map((m) => m.name).join(', ')}`);
    return metric;
  };

  test('a monotonic cumulative sum of ints, one point per attribute set', () => {
    const m = byName('requests');
    assert.equal(m.type, 'sum');
    assert.equal(m.description, 'Requests served');
    assert.equal(m.isMonotonic, true);
    assert.equal(m.aggregationTemporality, 2);
    assert.deepEqual(
      m.dataPoints.map((p) => [p.attributes.route, p.value]),
      [
        ['/a', 3],
        ['/b', 2],
      ],
    );
    assert.ok((m.dataPoints[0]?.timeUnixNano ?? 0n) > 0n);
    assert.equal(m.resource[ATTR_SERVICE_NAME], 'decode-test');
    assert.deepEqual(m.scope, { name: 'metrics-scope', version: '0.1.0', attributes: {} });
  });

  test('a non-monotonic sum and gauges', () => {
    assert.equal(byName('queue.depth').isMonotonic, false);
    assert.equal(byName('queue.depth').dataPoints[0]?.value, -4.5);
    const temperature = byName('temperature');
    assert.equal(temperature.type, 'gauge');
    assert.equal(temperature.unit, 'Cel');
    assert.deepEqual(temperature.dataPoints[0]?.attributes, { room: 'lab' });
    assert.equal(temperature.dataPoints[0]?.value, 21.5);
    assert.equal(byName('heap.used').dataPoints[0]?.value, 1024);
  });

  test('an explicit-bucket histogram: bounds, bucket counts, count, sum, min, max', () => {
    const m = byName('http.server.request.duration');
    assert.equal(m.type, 'histogram');
    assert.equal(m.unit, 's');
    const [point] = m.dataPoints;
    assert.deepEqual(point?.explicitBounds, [0.1, 0.5, 1]);
    assert.deepEqual(point?.bucketCounts, [1, 2, 0, 1]);
    assert.equal(point?.count, 4);
    assert.ok(Math.abs((point?.sum ?? 0) - 2.65) < 1e-9);
    assert.equal(point?.min, 0.05);
    assert.equal(point?.max, 2);
    assert.deepEqual(point?.attributes, { method: 'GET' });
  });

  test('an exponential histogram', () => {
    const m = byName('exp.latency');
    assert.equal(m.type, 'exponentialHistogram');
    const [point] = m.dataPoints;
    assert.equal(point?.count, 3);
    assert.equal(point?.sum, 7);
    assert.equal(point?.min, 1);
    assert.equal(point?.max, 4);
    assert.equal(typeof point?.scale, 'number');
    assert.equal(point?.zeroCount, 0);
    const buckets = point?.positive?.bucketCounts ?? [];
    assert.equal(
      buckets.reduce((a, b) => a + b, 0),
      3,
    );
  });
});

async function recordLogs() {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('logs-scope', '2.0.0');
  const spanContext = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 };
  logger.emit({
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: 'disk almost full',
    attributes: { 'disk.free': 0.05, mount: '/var' },
    context: trace.setSpanContext(ROOT_CONTEXT, spanContext),
  });
  logger.emit({
    eventName: 'user.login',
    severityNumber: SeverityNumber.INFO,
    body: { user: 'ada', roles: ['admin', 7], raw: new Uint8Array([0xde, 0xad]), nested: { ok: true } },
  });
  await provider.forceFlush();
  const records = exporter.getFinishedLogRecords();
  await provider.shutdown();
  return records;
}

describe('decoding logs from the official serializers', () => {
  let sdkLogs: Awaited<ReturnType<typeof recordLogs>> = [];
  let logs: ReceivedLog[] = [];
  before(async () => {
    sdkLogs = await recordLogs();
    logs = decodeBoth(
      'logs',
      ProtobufLogsSerializer.serializeRequest(sdkLogs),
      JsonLogsSerializer.serializeRequest(sdkLogs),
    ).items;
  });

  test('severity, body, attributes, span context, times', () => {
    assert.equal(logs.length, 2);
    const [warn, login] = logs;
    assert.equal(warn?.severityNumber, 13);
    assert.equal(warn?.severityText, 'WARN');
    assert.equal(warn?.body, 'disk almost full');
    assert.deepEqual(warn?.attributes, { 'disk.free': 0.05, mount: '/var' });
    assert.equal(warn?.traceId, 'a'.repeat(32));
    assert.equal(warn?.spanId, 'b'.repeat(16));
    assert.equal(warn?.flags, 1);
    assert.equal(warn?.timeUnixNano, nanos(sdkLogs[0]?.hrTime ?? [0, 0]));
    assert.ok((warn?.observedTimeUnixNano ?? 0n) > 0n);
    assert.equal(warn?.resource[ATTR_SERVICE_NAME], 'decode-test');
    assert.deepEqual(warn?.scope, { name: 'logs-scope', version: '2.0.0', attributes: {} });
    assert.equal(login?.traceId, '');
    assert.equal(login?.eventName, 'user.login');
  });

  test('a structured body: kvlist, mixed array, bytes as hex', () => {
    assert.deepEqual(logs[1]?.body, { user: 'ada', roles: ['admin', 7], raw: 'dead', nested: { ok: true } });
  });
});

describe('decoding by hand-built requests', () => {
  const anyValues = (values: Record<string, unknown>) => ({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: '0102030405060708090a0b0c0d0e0f10',
                spanId: '0102030405060708',
                name: 'hand',
                kind: 'SPAN_KIND_PRODUCER',
                startTimeUnixNano: '1000000000',
                endTimeUnixNano: 1_002_500_000,
                attributes: Object.entries(values).map(([key, value]) => ({ key, value })),
                status: { code: 'STATUS_CODE_ERROR' },
              },
            ],
          },
        ],
      },
    ],
  });
  const json = (request: unknown) => Buffer.from(JSON.stringify(request));

  test('every AnyValue kind, via OTLP/JSON and via protobuf', () => {
    const request = anyValues({
      big: { intValue: '9007199254740993' },
      negative: { intValue: '-42' },
      nan: { doubleValue: 'NaN' },
      inf: { doubleValue: 'Infinity' },
      bytes: { bytesValue: Buffer.from([1, 255]).toString('base64') },
      list: {
        kvlistValue: { values: [{ key: 'k', value: { arrayValue: { values: [{ boolValue: true }, {}] } } }] },
      },
      empty: {},
      // Computed, so it is an own key (as JSON.parse makes it) rather than the literal's prototype.
      ['__proto__']: { stringValue: 'still data' },
    });
    const expected = {
      big: 9007199254740993n,
      negative: -42,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      bytes: '01ff',
      list: { k: [true, undefined] },
      empty: undefined,
    };
    const { request: type } = otlpSchema().traces;
    // protobufjs' fromObject reads bytes strings as base64, so give it the ids as raw bytes.
    const span0 = request.resourceSpans[0]?.scopeSpans[0]?.spans[0];
    assert.ok(span0);
    const forProto = structuredClone(request);
    Object.assign(forProto.resourceSpans[0]?.scopeSpans[0]?.spans[0] ?? {}, {
      traceId: Buffer.from(span0.traceId, 'hex'),
      spanId: Buffer.from(span0.spanId, 'hex'),
    });
    const fromJson = decodeBatch('traces', json(request), 'http/json');
    const fromProto = decodeBatch('traces', type.encode(type.fromObject(forProto)).finish(), 'grpc');
    assert.deepEqual(fromProto.items, fromJson.items);
    const [span] = fromJson.items;
    assert.ok(span);
    const { __proto__: proto, ...rest } = span.attributes;
    assert.deepEqual(rest, expected);
    assert.equal(proto, 'still data');
    assert.equal(Object.getPrototypeOf(span.attributes), Object.prototype, 'the prototype is untouched');
    assert.equal(span.traceId, '0102030405060708090a0b0c0d0e0f10');
    assert.equal(span.kind, 4);
    assert.deepEqual(span.status, { code: 2, message: '' });
    assert.equal(span.durationMs, 2.5);
    assert.equal(span.parentSpanId, '');
  });

  test('a summary metric (no JS SDK produces one), round-tripped through our protobuf schema', () => {
    const { request: type } = otlpSchema().metrics;
    const message = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'rpc.latency',
                  summary: {
                    dataPoints: [
                      {
                        count: 10,
                        sum: 12.5,
                        quantileValues: [
                          { quantile: 0.5, value: 1 },
                          { quantile: 0.99, value: 4 },
                        ],
                      },
                    ],
                  },
                },
                { name: 'no data at all' },
              ],
            },
          ],
        },
      ],
    };
    const bytes = type.encode(type.fromObject(message)).finish();
    for (const batch of [
      decodeBatch('metrics', bytes, 'grpc'),
      decodeBatch('metrics', Buffer.from(JSON.stringify(message)), 'http/json'),
    ]) {
      assert.equal(batch.items.length, 1, 'a metric without data is skipped');
      const [metric] = batch.items;
      assert.equal(metric?.type, 'summary');
      assert.deepEqual(metric?.dataPoints[0]?.quantileValues, [
        { quantile: 0.5, value: 1 },
        { quantile: 0.99, value: 4 },
      ]);
      assert.equal(metric?.dataPoints[0]?.count, 10);
      assert.equal(metric?.dataPoints[0]?.sum, 12.5);
    }
  });

  test('malformed input throws OtlpDecodeError with a reason', () => {
    const cases: [string, Uint8Array, 'grpc' | 'http/json'][] = [
      ['truncated length-delimited field', Buffer.from([0x0a, 0x05, 0x01]), 'grpc'],
      // Field 2 is unknown, so protobufjs must skip it, and wire type 7 does not exist.
      ['invalid wire type', Buffer.from([0x17, 0x00]), 'grpc'],
      ['not JSON', Buffer.from('{"resourceSpans": ['), 'http/json'],
      ['JSON array', Buffer.from('[]'), 'http/json'],
      [
        'bad 64-bit int',
        json({ resourceSpans: [{ scopeSpans: [{ spans: [{ startTimeUnixNano: '12abc' }] }] }] }),
        'http/json',
      ],
    ];
    for (const [what, body, transport] of cases) {
      assert.throws(
        () => decodeBatch('traces', body, transport),
        (error: Error) =>
          error instanceof OtlpDecodeError &&
          /^invalid OTLP( protobuf|\/JSON) traces request: ./.test(error.message),
        what,
      );
    }
  });

  test('an empty body is a valid empty request', () => {
    assert.deepEqual(decodeBatch('logs', new Uint8Array(0), 'grpc').items, []);
  });
});
