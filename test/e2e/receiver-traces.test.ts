// The receiver fed by the official OpenTelemetry trace exporters (gRPC, HTTP/JSON, HTTP/protobuf,
// with and without gzip), in-process over 127.0.0.1. Spans are made by a real TracerProvider.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { type ReceivedBatch, type Receiver, startReceiver } from '../../src/receiver/index.js';

/** Forwards to `exporter` and keeps every export result, so a failed export fails the test by name. */
function recording(exporter: SpanExporter) {
  const results: ExportResult[] = [];
  const wrapped: SpanExporter = {
    export: (spans, done) =>
      exporter.export(spans, (result) => {
        results.push(result);
        done(result);
      }),
    shutdown: () => exporter.shutdown(),
  };
  return { wrapped, results };
}

/** A server span with a client child (error, event) and a producer span linked to it, all exported. */
async function emitTrace(exporter: SpanExporter, service: string) {
  const { wrapped, results } = recording(exporter);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service, 'service.version': '9.9.9' }),
    spanProcessors: [new BatchSpanProcessor({ exporter: wrapped })],
  });
  const tracer = provider.getTracer('receiver-traces-test', '0.0.1');
  const root = tracer.startSpan('POST /orders', {
    kind: SpanKind.SERVER,
    attributes: {
      'http.request.method': 'POST',
      'http.response.status_code': 201,
      'order.total': 99.5,
      vip: true,
    },
  });
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  const client = tracer.startSpan(
    'INSERT orders',
    { kind: SpanKind.CLIENT, attributes: { 'db.rows': [1, 2] } },
    ctx,
  );
  client.addEvent('exception', { 'exception.message': 'deadlock' });
  client.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock' });
  client.end();
  const producer = tracer.startSpan(
    'orders publish',
    { kind: SpanKind.PRODUCER, links: [{ context: client.spanContext() }] },
    ctx,
  );
  producer.end();
  root.end();
  await provider.forceFlush();
  await provider.shutdown();
  assert.ok(results.length > 0, 'the exporter was never called');
  for (const result of results) {
    assert.equal(result.code, ExportResultCode.SUCCESS, `export failed: ${String(result.error)}`);
  }
  return {
    traceId: root.spanContext().traceId,
    rootId: root.spanContext().spanId,
    clientId: client.spanContext().spanId,
  };
}

describe('official trace exporters -> receiver', () => {
  let receiver: Receiver;
  const transports: ReceivedBatch['transport'][] = [];
  before(async () => {
    receiver = await startReceiver();
    receiver.onBatch((batch) => transports.push(batch.transport));
  });
  after(() => receiver.close());

  const cases: [string, ReceivedBatch['transport'], () => SpanExporter][] = [
    [
      'grpc',
      'grpc',
      () => new GrpcExporter({ url: receiver.grpcEndpoint, compression: CompressionAlgorithm.NONE }),
    ],
    [
      'grpc + gzip',
      'grpc',
      () => new GrpcExporter({ url: receiver.grpcEndpoint, compression: CompressionAlgorithm.GZIP }),
    ],
    ['http/json', 'http/json', () => new JsonExporter({ url: `${receiver.httpEndpoint}/v1/traces` })],
    [
      'http/protobuf',
      'http/protobuf',
      () => new ProtoExporter({ url: `${receiver.httpEndpoint}/v1/traces` }),
    ],
    [
      'http/protobuf + gzip',
      'http/protobuf',
      () =>
        new ProtoExporter({
          url: `${receiver.httpEndpoint}/v1/traces`,
          compression: CompressionAlgorithm.GZIP,
        }),
    ],
  ];

  for (const [name, transport, makeExporter] of cases) {
    test(`${name}: names, ids, parents, kinds, attributes, status, events, links, resource`, async () => {
      transports.length = 0;
      const service = `svc-${name}`;
      const ids = await emitTrace(makeExporter(), service);
      await receiver.waitFor((s) => s.spans.filter((sp) => sp.traceId === ids.traceId).length === 3, 2000);
      assert.ok(
        transports.includes(transport),
        `expected a ${transport} batch, got ${transports.join(', ')}`,
      );

      const spans = receiver.spans.filter((s) => s.traceId === ids.traceId);
      const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
      const root = byName['POST /orders'];
      const client = byName['INSERT orders'];
      const producer = byName['orders publish'];
      assert.ok(root && client && producer, `spans received: ${spans.map((s) => s.name).join(', ')}`);

      assert.equal(root.spanId, ids.rootId);
      assert.equal(root.parentSpanId, '');
      assert.equal(client.spanId, ids.clientId);
      assert.equal(client.parentSpanId, ids.rootId);
      assert.equal(producer.parentSpanId, ids.rootId);
      assert.deepEqual([root.kind, client.kind, producer.kind], [2, 3, 4]);

      assert.deepEqual(root.attributes, {
        'http.request.method': 'POST',
        'http.response.status_code': 201,
        'order.total': 99.5,
        vip: true,
      });
      assert.deepEqual(client.attributes, { 'db.rows': [1, 2] });
      assert.deepEqual(client.status, { code: 2, message: 'deadlock' });
      assert.deepEqual(root.status, { code: 0, message: '' });
      assert.deepEqual(
        client.events.map((e) => [e.name, e.attributes]),
        [['exception', { 'exception.message': 'deadlock' }]],
      );
      assert.deepEqual(
        producer.links.map((l) => [l.traceId, l.spanId]),
        [[ids.traceId, ids.clientId]],
      );

      assert.ok(root.endTimeUnixNano >= root.startTimeUnixNano);
      assert.ok(root.startTimeUnixNano > 1_600_000_000_000_000_000n, 'a Unix time in nanoseconds');
      assert.ok(root.durationMs >= 0 && root.durationMs < 10_000);
      assert.equal(root.resource[ATTR_SERVICE_NAME], service);
      assert.equal(root.resource['service.version'], '9.9.9');
      assert.deepEqual(root.scope, { name: 'receiver-traces-test', version: '0.0.1', attributes: {} });
    });
  }
});
