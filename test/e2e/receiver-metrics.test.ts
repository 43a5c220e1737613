// The receiver fed by the official OpenTelemetry metric exporters (gRPC and HTTP/protobuf), in-process
// over 127.0.0.1. Data points come from a real MeterProvider with a PeriodicExportingMetricReader.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ValueType } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { type ReceivedMetric, type Receiver, startReceiver } from '../../src/receiver/index.js';

/** Records a counter, an up-down counter, a gauge and two histograms, then exports once. */
async function emitMetrics(exporter: PushMetricExporter, service: string) {
  const results: ExportResult[] = [];
  const wrapped: PushMetricExporter = {
    export: (metrics, done) =>
      exporter.export(metrics, (result) => {
        results.push(result);
        done(result);
      }),
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
    selectAggregationTemporality: exporter.selectAggregationTemporality?.bind(exporter),
  };
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }),
    readers: [new PeriodicExportingMetricReader({ exporter: wrapped, exportIntervalMillis: 60_000 })],
    views: [{ instrumentName: 'payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('receiver-metrics-test', '3.2.1');
  const jobs = meter.createCounter('jobs.completed', { valueType: ValueType.INT, unit: '{job}' });
  jobs.add(5, { queue: 'email' });
  jobs.add(1, { queue: 'sms' });
  meter.createUpDownCounter('connections.open').add(-2);
  meter
    .createObservableGauge('cpu.utilization', { unit: '1' })
    .addCallback((r) => r.observe(0.75, { core: 0 }));
  const latency = meter.createHistogram('rpc.duration', {
    unit: 'ms',
    advice: { explicitBucketBoundaries: [10, 100] },
  });
  for (const ms of [5, 50, 60, 500, 1000]) latency.record(ms, { rpc: 'Get' });
  const size = meter.createHistogram('payload.size', { unit: 'By' });
  for (const bytes of [100, 200, 400, 800]) size.record(bytes);
  await provider.forceFlush();
  await provider.shutdown();
  assert.ok(results.length > 0, 'the exporter was never called');
  for (const result of results) {
    assert.equal(result.code, ExportResultCode.SUCCESS, `export failed: ${String(result.error)}`);
  }
}

describe('official metric exporters -> receiver', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.close());

  const cases: [string, () => PushMetricExporter][] = [
    ['grpc', () => new GrpcExporter({ url: receiver.grpcEndpoint })],
    ['http/protobuf', () => new ProtoExporter({ url: `${receiver.httpEndpoint}/v1/metrics` })],
  ];

  for (const [name, makeExporter] of cases) {
    test(`${name}: sums, gauge, histogram buckets, exponential histogram, resource`, async () => {
      const service = `metrics-${name}`;
      await emitMetrics(makeExporter(), service);
      const mine = () => receiver.metrics.filter((m) => m.resource[ATTR_SERVICE_NAME] === service);
      await receiver.waitFor(() => mine().length >= 5, 2000);
      const byName = (metricName: string): ReceivedMetric => {
        const found = mine().find((m) => m.name === metricName);
        assert.ok(found, `no ${metricName}; got ${mine().map((m) => m.name)}`);
        return found;
      };

      const jobs = byName('jobs.completed');
      assert.equal(jobs.type, 'sum');
      assert.equal(jobs.unit, '{job}');
      assert.equal(jobs.isMonotonic, true);
      assert.equal(jobs.aggregationTemporality, 2, 'cumulative by default');
      assert.deepEqual(jobs.dataPoints.map((p) => [p.attributes.queue, p.value]).sort(), [
        ['email', 5],
        ['sms', 1],
      ]);
      assert.deepEqual(jobs.scope, { name: 'receiver-metrics-test', version: '3.2.1', attributes: {} });

      const open = byName('connections.open');
      assert.equal(open.isMonotonic, false);
      assert.equal(open.dataPoints[0]?.value, -2);

      const cpu = byName('cpu.utilization');
      assert.equal(cpu.type, 'gauge');
      assert.deepEqual(cpu.dataPoints[0]?.attributes, { core: 0 });
      assert.equal(cpu.dataPoints[0]?.value, 0.75);

      const rpc = byName('rpc.duration');
      assert.equal(rpc.type, 'histogram');
      const [point] = rpc.dataPoints;
      assert.deepEqual(point?.explicitBounds, [10, 100]);
      assert.deepEqual(point?.bucketCounts, [1, 2, 2]);
      assert.equal(point?.count, 5);
      assert.equal(point?.sum, 1615);
      assert.equal(point?.min, 5);
      assert.equal(point?.max, 1000);
      assert.deepEqual(point?.attributes, { rpc: 'Get' });
      assert.ok((point?.timeUnixNano ?? 0n) >= (point?.startTimeUnixNano ?? 0n));

      const size = byName('payload.size');
      assert.equal(size.type, 'exponentialHistogram');
      const [exp] = size.dataPoints;
      assert.equal(exp?.count, 4);
      assert.equal(exp?.sum, 1500);
      assert.equal(
        exp?.positive?.bucketCounts.reduce((a, b) => a + b, 0),
        4,
      );
      assert.deepEqual(exp?.negative?.bucketCounts ?? [], []);
    });
  }
});
