// Unit tests of the receiver's bounded store: limits, snapshots, onBatch and waitFor. No network.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_LIMITS, resolveLimits } from '../../src/receiver/server/limits.js';
import { TelemetryStore } from '../../src/receiver/store.js';
import type { ReceivedBatch, ReceivedMetric, ReceivedSpan } from '../../src/receiver/types.js';

const scope = { name: 'test', version: '', attributes: {} };

function span(name: string): ReceivedSpan {
  return {
    traceId: '1'.repeat(32),
    spanId: '2'.repeat(16),
    parentSpanId: '',
    traceState: '',
    flags: 1,
    name,
    kind: 1,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 1_000_000n,
    durationMs: 1,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: '' },
    resource: {},
    scope,
  };
}

function metric(name: string, points: number): ReceivedMetric {
  return {
    name,
    description: '',
    unit: '',
    type: 'gauge',
    aggregationTemporality: 0,
    isMonotonic: false,
    resource: {},
    scope,
    dataPoints: Array.from({ length: points }, (_, i) => ({
      attributes: { i },
      startTimeUnixNano: 0n,
      timeUnixNano: 0n,
      flags: 0,
      exemplars: [],
      value: i,
    })),
  };
}

const spans = (names: string[], bytes = names.length * 100): ReceivedBatch => ({
  signal: 'traces',
  transport: 'grpc',
  bytes,
  items: names.map(span),
});

const store = (limits: Parameters<typeof resolveLimits>[0] = {}) => new TelemetryStore(resolveLimits(limits));

describe('TelemetryStore limits', () => {
  test('keeps the newest maxSpans spans and counts the dropped ones', () => {
    const s = store({ maxSpans: 3 });
    s.add(spans(['a', 'b']));
    s.add(spans(['c', 'd', 'e']));
    assert.deepEqual(
      s.spans.map((x) => x.name),
      ['c', 'd', 'e'],
    );
    assert.equal(s.dropped.spans, 2);
  });

  test('stays bounded under sustained load', () => {
    const s = store({ maxSpans: 1000 });
    for (let i = 0; i < 500; i++) s.add(spans(Array.from({ length: 100 }, (_, j) => `s${i}-${j}`)));
    assert.equal(s.spans.length, 1000);
    assert.equal(s.spans.at(-1)?.name, 's499-99');
    assert.equal(s.spans[0]?.name, 's490-0');
    assert.equal(s.dropped.spans, 49_000);
  });

  test('maxStoredBytes drops old items even when the count limit is not reached', () => {
    const s = store({ maxSpans: 1000, maxStoredBytes: 1000 });
    s.add(spans(['old1', 'old2'], 800));
    s.add(spans(['new'], 400));
    assert.deepEqual(
      s.spans.map((x) => x.name),
      ['old2', 'new'],
    );
  });

  test('metrics are bounded by data points; one huge metric keeps its newest points', () => {
    const s = store({ maxMetricPoints: 10 });
    s.add({ signal: 'metrics', transport: 'grpc', bytes: 10, items: [metric('m1', 6), metric('m2', 6)] });
    assert.deepEqual(
      s.metrics.map((m) => m.name),
      ['m2'],
    );
    s.add({ signal: 'metrics', transport: 'grpc', bytes: 10, items: [metric('huge', 25)] });
    assert.equal(s.metrics.length, 1);
    assert.deepEqual(
      s.metrics[0]?.dataPoints.map((p) => p.value),
      Array.from({ length: 10 }, (_, i) => i + 15),
    );
    assert.equal(s.dropped.metricPoints, 6 + 6 + 15);
  });

  test('snapshots are frozen and only change when the store does', () => {
    const s = store();
    s.add(spans(['a']));
    const first = s.spans;
    assert.equal(s.spans, first);
    assert.ok(Object.isFrozen(first));
    s.add(spans(['b']));
    assert.notEqual(s.spans, first);
    assert.equal(first.length, 1);
  });

  test('clear() empties every signal and resets the dropped counters', () => {
    const s = store({ maxSpans: 1 });
    s.add(spans(['a', 'b']));
    s.add({ signal: 'logs', transport: 'http/json', bytes: 1, items: [] });
    s.clear();
    assert.equal(s.spans.length, 0);
    assert.deepEqual(s.dropped, { spans: 0, metricPoints: 0, logs: 0 });
  });
});

describe('resolveLimits', () => {
  test('fills in defaults and freezes', () => {
    const limits = resolveLimits({ maxSpans: 5 });
    assert.equal(limits.maxSpans, 5);
    assert.equal(limits.maxRequestBytes, DEFAULT_LIMITS.maxRequestBytes);
    assert.ok(Object.isFrozen(limits));
  });

  test('rejects bad values and unknown keys, naming them', () => {
    assert.throws(() => resolveLimits({ maxSpans: 0 }), /maxSpans must be a positive integer, got 0/);
    assert.throws(() => resolveLimits({ maxLogs: 1.5 }), /maxLogs/);
    assert.throws(() => resolveLimits({ maxSpan: 1 } as never), /unknown receiver limit "maxSpan"/);
  });
});

describe('TelemetryStore events', () => {
  test('onBatch sees each batch after it is stored, until unsubscribed', () => {
    const s = store();
    const seen: string[] = [];
    const off = s.onBatch((batch) => seen.push(`${batch.signal}:${batch.items.length}:${s.spans.length}`));
    s.add(spans(['a', 'b']));
    off();
    s.add(spans(['c']));
    assert.deepEqual(seen, ['traces:2:2']);
  });

  test('a throwing or rejecting listener becomes a warning and does not stop the others', async () => {
    const s = store();
    let reached = 0;
    s.onBatch(() => {
      throw new Error('printer bug');
    });
    s.onBatch(async () => {
      throw new Error('async printer bug');
    });
    s.onBatch(() => {
      reached += 1;
    });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      s.add(spans(['a']));
      // Warnings go out on process.nextTick, after the rejection's microtask: both precede setImmediate.
      await new Promise(setImmediate);
    } finally {
      process.off('warning', onWarning);
    }
    assert.equal(reached, 1);
    assert.equal(s.spans.length, 1);
    assert.deepEqual(warnings.sort(), [
      'receiver onBatch listener failed: Error: async printer bug',
      'receiver onBatch listener failed: Error: printer bug',
    ]);
  });
});

describe('TelemetryStore.waitFor', () => {
  test('resolves at once when the predicate already holds', async () => {
    const s = store();
    s.add(spans(['a']));
    await s.waitFor((x) => x.spans.length === 1, 10);
  });

  test('resolves when a later batch makes the predicate true', async () => {
    const s = store();
    const waiting = s.waitFor((x) => x.spans.some((sp) => sp.name === 'wanted'), 1000);
    s.add(spans(['other']));
    setImmediate(() => s.add(spans(['wanted'])));
    await waiting;
  });

  test('rejects on timeout saying what it waited for and what the store holds', async () => {
    const s = store();
    s.add(spans(['GET /health']));
    await assert.rejects(
      s.waitFor((x) => x.spans.length > 5, 20),
      (error: Error) => {
        assert.match(error.message, /timed out after 20ms/);
        // tsx may reprint the arrow function without spaces.
        assert.match(error.message, /x\.spans\.length\s*>\s*5/);
        assert.match(error.message, /store has 1 spans \(last: "GET \/health"\), 0 metrics, 0 logs/);
        return true;
      },
    );
  });

  test('rejects with the error a predicate throws', async () => {
    const s = store();
    await assert.rejects(
      s.waitFor(() => {
        throw new Error('bad predicate');
      }),
      /bad predicate/,
    );
  });

  test('cancelWaiters rejects pending waits at once', async () => {
    const s = store();
    const waiting = s.waitFor(() => false, 60_000);
    s.cancelWaiters('the receiver was closed');
    await assert.rejects(waiting, /waitFor cancelled: the receiver was closed/);
  });
});
