// The lean tracer's ids and clock (src/traces/lean-tracer/ids.ts, time.ts): well-formed, distinct ids
// across pool refills, and span times that agree with the wall clock and carry nanoseconds over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { newSpanId, newTraceId } from '../../src/traces/lean-tracer/ids.js';
import {
  givenTime,
  monoNow,
  monoSince,
  plusDuration,
  wallTimeOf,
} from '../../src/traces/lean-tracer/time.js';

test('ids are lowercase hex of the right length and do not repeat across pool refills', () => {
  const seen = new Set<string>();
  // 8 KiB per pool: 2000 root spans' ids take several refills.
  for (let i = 0; i < 2000; i++) {
    const traceId = newTraceId();
    const spanId = newSpanId();
    assert.match(traceId, /^[0-9a-f]{32}$/);
    assert.match(spanId, /^[0-9a-f]{16}$/);
    assert.ok(!seen.has(traceId) && !seen.has(spanId));
    seen.add(traceId);
    seen.add(spanId);
  }
});

test('a span start read off the monotonic clock is the wall clock within a few ms', () => {
  const before = Date.now();
  const start = wallTimeOf(monoNow());
  const after = Date.now();
  const ms = hrTimeToMilliseconds(start);
  assert.ok(ms >= before - 1 && ms <= after + 1, `${ms} not in [${before}, ${after}]`);
  assert.ok(Number.isInteger(start[1]) && start[1] >= 0 && start[1] < 1e9);
});

test('durations and sums carry nanoseconds into seconds', () => {
  assert.deepEqual(monoSince([10, 900_000_000], [12, 100_000_000]), [1, 200_000_000]);
  assert.deepEqual(plusDuration([5, 900_000_000], [1, 200_000_000]), [7, 100_000_000]);
  assert.deepEqual(plusDuration([5, 100], [0, 200]), [5, 300]);
});

test('given times: epoch ms, a Date and an HrTime as the SDK reads them; anything else is not a time', () => {
  assert.deepEqual(givenTime(1_767_225_600_123), [1_767_225_600, 123_000_000]);
  assert.deepEqual(givenTime(new Date(1_767_225_600_123)), [1_767_225_600, 123_000_000]);
  const hr: [number, number] = [1, 2];
  assert.equal(givenTime(hr), hr);
  // A performance timestamp (ms since timeOrigin) lands near the wall clock.
  const perf = givenTime(performance.now());
  assert.ok(perf && Math.abs(hrTimeToMilliseconds(perf) - Date.now()) < 50);
  assert.equal(givenTime('soon' as unknown as number), undefined);
});
