// The receiver fed by the official OpenTelemetry log exporters (gRPC and HTTP/JSON), in-process over
// 127.0.0.1. Records come from a real LoggerProvider, one inside an active span.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ROOT_CONTEXT, SeverityNumber, trace } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter as GrpcExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { type Receiver, startReceiver } from '../../src/receiver/index.js';

const spanContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
};

async function emitLogs(exporter: LogRecordExporter, service: string) {
  const results: ExportResult[] = [];
  const wrapped: LogRecordExporter = {
    export: (records, done) =>
      exporter.export(records, (result) => {
        results.push(result);
        done(result);
      }),
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
  };
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }),
    processors: [new BatchLogRecordProcessor({ exporter: wrapped })],
  });
  const logger = provider.getLogger('receiver-logs-test', '1.0.0');
  logger.emit({
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: 'payment declined',
    attributes: { 'payment.id': 'p-1', amount: 12.5, retries: 3 },
    context: trace.setSpanContext(ROOT_CONTEXT, spanContext),
  });
  logger.emit({ severityNumber: SeverityNumber.DEBUG, body: { step: 'validate', ok: true } });
  await provider.forceFlush();
  await provider.shutdown();
  assert.ok(results.length > 0, 'the exporter was never called');
  for (const result of results) {
    assert.equal(result.code, ExportResultCode.SUCCESS, `export failed: ${String(result.error)}`);
  }
}

describe('official log exporters -> receiver', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.close());

  const cases: [string, () => LogRecordExporter][] = [
    ['grpc', () => new GrpcExporter({ url: receiver.grpcEndpoint })],
    ['http/json', () => new JsonExporter({ url: `${receiver.httpEndpoint}/v1/logs` })],
  ];

  for (const [name, makeExporter] of cases) {
    test(`${name}: severity, body, attributes, trace context, resource, scope`, async () => {
      const service = `logs-${name}`;
      await emitLogs(makeExporter(), service);
      const mine = () => receiver.logs.filter((l) => l.resource[ATTR_SERVICE_NAME] === service);
      await receiver.waitFor(() => mine().length === 2, 2000);
      const [error, debug] = mine();
      assert.equal(error?.severityNumber, 17);
      assert.equal(error?.severityText, 'ERROR');
      assert.equal(error?.body, 'payment declined');
      assert.deepEqual(error?.attributes, { 'payment.id': 'p-1', amount: 12.5, retries: 3 });
      assert.equal(error?.traceId, spanContext.traceId);
      assert.equal(error?.spanId, spanContext.spanId);
      assert.ok((error?.timeUnixNano ?? 0n) > 1_600_000_000_000_000_000n);
      assert.deepEqual(error?.scope, { name: 'receiver-logs-test', version: '1.0.0', attributes: {} });
      assert.equal(debug?.severityNumber, 5);
      assert.deepEqual(debug?.body, { step: 'validate', ok: true });
      assert.equal(debug?.traceId, '');
    });
  }
});
