// The deferred meter provider against the real metrics SDK: stand-ins made before the SDK is
// attached take its instruments, early measurements are replayed into them, observable callbacks
// move over, and a full buffer attaches the SDK at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ObservableResult } from '@opentelemetry/api';
import { MeterProvider, type MetricData, MetricReader } from '@opentelemetry/sdk-metrics';
import { DeferredMeterProvider, MAX_BUFFERED } from '../../src/metrics/deferred/provider.js';

class ManualReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

function sdk(): { provider: MeterProvider; read: () => Promise<Map<string, MetricData>> } {
  const reader = new ManualReader();
  const provider = new MeterProvider({ readers: [reader] });
  const read = async () => {
    const { resourceMetrics } = await reader.collect();
    const byName = new Map<string, MetricData>();
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) byName.set(`${scope.scope.name}/${metric.descriptor.name}`, metric);
    }
    return byName;
  };
  return { provider, read };
}

function values(metric: MetricData | undefined): unknown[] {
  assert.ok(metric, 'metric missing');
  return metric.dataPoints.map((p) => p.value);
}

test('instruments made before the SDK record into it, early measurements included', async () => {
  const deferred = new DeferredMeterProvider(() => assert.fail('the buffer is not full'));
  const meter = deferred.getMeter('orders', '1.0.0');
  const placed = meter.createCounter('orders.placed');
  const inFlight = meter.createUpDownCounter('orders.in_flight');
  const latency = meter.createHistogram('orders.latency', { unit: 'ms' });
  const size = meter.createGauge('orders.queue');
  placed.add(3, { region: 'eu' });
  inFlight.add(2);
  inFlight.add(-1);
  latency.record(12);
  size.record(7);
  assert.equal(deferred.undelivered, 5);
  assert.equal(deferred.attached, false);

  const { provider, read } = sdk();
  deferred.attach(provider);
  assert.equal(deferred.undelivered, 0);
  placed.add(2, { region: 'eu' });
  latency.record(30);
  const metrics = await read();
  assert.deepEqual(values(metrics.get('orders/orders.placed')), [5]);
  assert.deepEqual(metrics.get('orders/orders.placed')?.dataPoints[0]?.attributes, { region: 'eu' });
  assert.deepEqual(values(metrics.get('orders/orders.in_flight')), [1]);
  assert.deepEqual(values(metrics.get('orders/orders.queue')), [7]);
  const histogram = metrics.get('orders/orders.latency')?.dataPoints[0]?.value as {
    count: number;
    sum: number;
  };
  assert.equal(histogram.count, 2);
  assert.equal(histogram.sum, 42);
  assert.equal(metrics.get('orders/orders.latency')?.descriptor.unit, 'ms');
});

test('observable callbacks added before or after the SDK is attached are called; removed ones are not', async () => {
  const deferred = new DeferredMeterProvider(() => undefined);
  const meter = deferred.getMeter('runtime');
  const heap = meter.createObservableGauge('heap');
  const ticks = meter.createObservableCounter('ticks');
  const queue = meter.createObservableUpDownCounter('queue');
  const dropped = (result: ObservableResult) => result.observe(99, { which: 'late' });
  heap.addCallback((result) => result.observe(10));
  heap.addCallback(dropped);
  heap.removeCallback(dropped);
  let batchCalls = 0;
  const batch = (result: { observe(o: typeof ticks, v: number): void }) => {
    batchCalls++;
    result.observe(ticks, 4);
    result.observe(queue, 6);
  };
  meter.addBatchObservableCallback(batch, [ticks, queue]);

  const { provider, read } = sdk();
  deferred.attach(provider);
  const metrics = await read();
  assert.deepEqual(values(metrics.get('runtime/heap')), [10]);
  assert.deepEqual(values(metrics.get('runtime/ticks')), [4]);
  assert.deepEqual(values(metrics.get('runtime/queue')), [6]);

  // After attaching, the stand-ins pass callbacks straight on.
  heap.addCallback(dropped);
  meter.removeBatchObservableCallback(batch, [ticks, queue]);
  const later = await read();
  assert.deepEqual(values(later.get('runtime/heap')).sort(), [10, 99]);
  assert.equal(batchCalls, 1);
});

test('a batch callback removed before the SDK is attached is never called', async () => {
  const deferred = new DeferredMeterProvider(() => undefined);
  const meter = deferred.getMeter('x');
  const gauge = meter.createObservableGauge('g');
  const callback = () => assert.fail('removed callback called');
  meter.addBatchObservableCallback(callback, [gauge]);
  meter.removeBatchObservableCallback(callback, [gauge]);
  const { provider, read } = sdk();
  deferred.attach(provider);
  assert.equal((await read()).get('x/g')?.dataPoints.length ?? 0, 0);
});

test('once attached, getMeter returns the SDK meter itself and the same scope gives the same meter before', () => {
  const deferred = new DeferredMeterProvider(() => undefined);
  assert.equal(deferred.getMeter('a', '1'), deferred.getMeter('a', '1'));
  assert.notEqual(deferred.getMeter('a', '1'), deferred.getMeter('a', '2'));
  const { provider } = sdk();
  deferred.attach(provider);
  assert.equal(deferred.getMeter('b'), provider.getMeter('b'));
});

test('a full buffer attaches the SDK at once and nothing is lost', async () => {
  const { provider, read } = sdk();
  let loads = 0;
  const deferred: DeferredMeterProvider = new DeferredMeterProvider(() => {
    loads++;
    deferred.attach(provider);
  });
  const counter = deferred.getMeter('flood').createCounter('hits');
  for (let i = 0; i < MAX_BUFFERED + 10; i++) counter.add(1);
  assert.equal(loads, 1);
  assert.equal(deferred.attached, true);
  assert.deepEqual(values((await read()).get('flood/hits')), [MAX_BUFFERED + 10]);
});

test('when the SDK cannot be attached, the buffer stays bounded; once disabled nothing is kept', () => {
  let loads = 0;
  const deferred: DeferredMeterProvider = new DeferredMeterProvider(() => {
    loads++;
    if (loads === 1) deferred.disable();
  });
  const counter = deferred.getMeter('flood').createCounter('hits');
  for (let i = 0; i < MAX_BUFFERED + 100; i++) counter.add(1);
  assert.equal(loads, 1);
  assert.equal(deferred.undelivered, 0);
  counter.add(1);
  assert.equal(deferred.undelivered, 0);
});

test('a reused attributes object changed after recording keeps each early measurement in its own series', async () => {
  const deferred = new DeferredMeterProvider(() => undefined);
  const counter = deferred.getMeter('reuse').createCounter('hits');
  const attributes = { status: 200 };
  counter.add(1, attributes);
  attributes.status = 500;
  counter.add(1, attributes);
  const { provider, read } = sdk();
  deferred.attach(provider);
  const points = (await read()).get('reuse/hits')?.dataPoints ?? [];
  assert.deepEqual(points.map((p) => [p.attributes.status, p.value]).sort(), [
    [200, 1],
    [500, 1],
  ]);
});

test("a batch callback on one meter may observe another meter's instruments", async () => {
  const deferred = new DeferredMeterProvider(() => undefined);
  const a = deferred.getMeter('a');
  const gauge = deferred.getMeter('b').createObservableGauge('g');
  a.addBatchObservableCallback((result) => result.observe(gauge, 3), [gauge]);
  const { provider, read } = sdk();
  deferred.attach(provider);
  assert.deepEqual(values((await read()).get('b/g')), [3]);
});

test('removing a batch callback before the SDK is attached removes only the entry with those observables', async () => {
  const deferred = new DeferredMeterProvider(() => undefined);
  const meter = deferred.getMeter('x');
  const first = meter.createObservableGauge('first');
  const second = meter.createObservableGauge('second');
  const callback = (result: { observe(o: typeof first, v: number): void }) => {
    result.observe(first, 1);
    result.observe(second, 2);
  };
  meter.addBatchObservableCallback(callback, [first]);
  meter.addBatchObservableCallback(callback, [second]);
  meter.removeBatchObservableCallback(callback, [second]);
  const { provider, read } = sdk();
  deferred.attach(provider);
  const metrics = await read();
  assert.deepEqual(values(metrics.get('x/first')), [1]);
  assert.equal(metrics.get('x/second')?.dataPoints.length ?? 0, 0);
});

test('once disabled, meters and instruments are no-ops and nothing accumulates', () => {
  const deferred = new DeferredMeterProvider(() => undefined);
  const early = deferred.getMeter('early');
  deferred.disable();
  const late = deferred.getMeter('late');
  assert.equal(late, deferred.getMeter('other'), 'one shared no-op meter');
  for (let i = 0; i < 100; i++) {
    early.createCounter(`c${i}`).add(1);
    early.createObservableGauge(`g${i}`).addCallback(() => undefined);
    early.addBatchObservableCallback(() => undefined, []);
  }
  assert.equal(deferred.undelivered, 0);
  // Attaching after that does nothing.
  deferred.attach(sdk().provider);
  assert.equal(deferred.attached, false);
});

test('forceFlush loads the SDK when measurements wait for it, then flushes it', async () => {
  const { provider, read } = sdk();
  let flushed = 0;
  const flushing = Object.assign(Object.create(provider) as MeterProvider, {
    forceFlush: async () => {
      flushed++;
    },
  });
  const deferred: DeferredMeterProvider = new DeferredMeterProvider(() => deferred.attach(flushing));
  deferred.getMeter('f').createCounter('c').add(4);
  await deferred.forceFlush();
  assert.equal(deferred.attached, true);
  assert.equal(flushed, 1);
  assert.deepEqual(values((await read()).get('f/c')), [4]);
});
