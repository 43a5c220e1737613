// BatchProcessor with a real ExportGuard and ExportReporter in front of a recording exporter: when
// batches go (size, schedule delay), what the queue refuses (full by spans or by bytes, collector
// down, a span that cannot be encoded) and that each refusal is counted, and the exit hand-off
// (drain, exportSync). Time is node:test's mock clock; spans are minimal ReadableSpan stand-ins.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { TraceFlags } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { type Exporter, ExportGuard } from '../../src/export/guard.js';
import { ExportReporter } from '../../src/export/reporter.js';
import { type BatchOptions, BatchProcessor } from '../../src/traces/batch-processor.js';

interface Item {
  readonly name: string;
  readonly size: number;
}

/** Lets promise callbacks run (setImmediate is not mocked). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function span(name: string, sampled = true): ReadableSpan {
  const traceFlags = sampled ? TraceFlags.SAMPLED : TraceFlags.NONE;
  return {
    name,
    spanContext: () => ({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags }),
  } as never;
}

interface Harness {
  batch: BatchProcessor<Item>;
  guard: ExportGuard<Item[]>;
  exported: string[][];
  lines: string[];
  /** What the exporter answers next. */
  result: ExportResultCode;
  syncCalls: string[][];
}

function harness(options: Partial<BatchOptions> & { size?: number; throwOn?: string } = {}): Harness {
  const exported: string[][] = [];
  const syncCalls: string[][] = [];
  const lines: string[] = [];
  const exporter: Exporter<Item[]> = {
    export: (items, done: (r: ExportResult) => void) => {
      if (items.length > 0) exported.push(items.map((i) => i.name));
      done({
        code: h.result,
        error: h.result === ExportResultCode.SUCCESS ? undefined : new Error('14 UNAVAILABLE'),
      });
    },
    exportSync: (batches) => {
      for (const items of batches) syncCalls.push(items.map((i) => i.name));
      return true;
    },
    shutdown: async () => undefined,
  };
  const reporter = new ExportReporter({
    signal: 'traces',
    unit: 'spans',
    endpoint: 'http://127.0.0.1:4317',
    log: (line) => lines.push(line),
  });
  const guard = new ExportGuard<Item[]>({
    load: async () => exporter,
    reporter,
    count: (items) => items.length,
    empty: () => [],
    timeoutMs: 1000,
  });
  const batch = new BatchProcessor<Item>(
    guard,
    reporter,
    {
      maxQueueSize: options.maxQueueSize ?? 100,
      maxExportBatchSize: options.maxExportBatchSize ?? 10,
      scheduledDelayMs: options.scheduledDelayMs ?? 5000,
      maxQueueBytes: options.maxQueueBytes ?? 1_000_000,
    },
    {
      encode: (s) => {
        if (s.name === options.throwOn) throw new Error('cannot encode');
        return { name: s.name, size: options.size ?? 100 };
      },
      size: (item) => item.size,
    },
  );
  const h: Harness = {
    batch,
    guard,
    exported,
    lines,
    result: ExportResultCode.SUCCESS,
    syncCalls,
  };
  return h;
}

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'] }));
afterEach(() => mock.timers.reset());

test('spans wait for the schedule delay, then go in one batch', async () => {
  const h = harness();
  h.batch.onEnd(span('a'));
  h.batch.onEnd(span('b'));
  assert.equal(h.batch.queued, 2);
  mock.timers.tick(4999);
  await settle();
  assert.deepEqual(h.exported, []);
  mock.timers.tick(1);
  await settle();
  await settle();
  assert.deepEqual(h.exported, [['a', 'b']]);
  assert.equal(h.batch.undelivered, 0);
});

test('a full batch goes at once, without waiting for the delay', async () => {
  const h = harness({ maxExportBatchSize: 3 });
  for (const name of ['a', 'b', 'c']) h.batch.onEnd(span(name));
  await settle();
  await settle();
  assert.deepEqual(h.exported, [['a', 'b', 'c']]);
});

test('unsampled spans are not queued', () => {
  const h = harness();
  h.batch.onEnd(span('a', false));
  assert.equal(h.batch.queued, 0);
});

test('a queue full by spans drops and counts the next span, with one warning', () => {
  const h = harness({ maxQueueSize: 2 });
  for (const name of ['a', 'b', 'c', 'd']) h.batch.onEnd(span(name));
  assert.equal(h.batch.queued, 2);
  assert.equal(h.lines.length, 1);
  assert.match(h.lines[0] ?? '', /the span queue is full/);
});

test('a queue full by bytes drops and counts the span that does not fit', () => {
  const h = harness({ maxQueueBytes: 250, size: 100 });
  for (const name of ['a', 'b', 'c']) h.batch.onEnd(span(name));
  assert.equal(h.batch.queued, 2);
  assert.match(h.lines[0] ?? '', /the span queue is full/);
});

test('bytes leave the bound when their batch goes', async () => {
  const h = harness({ maxQueueBytes: 250, size: 100, maxExportBatchSize: 2 });
  h.batch.onEnd(span('a'));
  h.batch.onEnd(span('b'));
  await settle();
  await settle();
  h.batch.onEnd(span('c'));
  h.batch.onEnd(span('d'));
  assert.equal(h.lines.length, 0, h.lines.join('\n'));
});

test('a span that cannot be encoded is dropped and counted; the others go on', async () => {
  const h = harness({ throwOn: 'bad' });
  h.batch.onEnd(span('bad'));
  h.batch.onEnd(span('good'));
  assert.equal(h.batch.queued, 1);
  assert.match(h.lines[0] ?? '', /could not be encoded/);
});

test('while the collector is known down, spans are dropped without being encoded', async () => {
  const h = harness({ throwOn: 'x', maxExportBatchSize: 1 });
  h.result = ExportResultCode.FAILED;
  h.batch.onEnd(span('a'));
  await settle();
  await settle();
  assert.ok(h.guard.isDown());
  h.batch.onEnd(span('x'));
  assert.equal(h.batch.queued, 0);
  assert.equal(
    h.lines.filter((l) => /could not be encoded/.test(l)).length,
    0,
    'the encoder was not called while down',
  );
  mock.timers.tick(1000);
  assert.ok(!h.guard.isDown(), 'the back-off is over');
});

test('forceFlush sends everything queued and waits for it', async () => {
  const h = harness({ maxExportBatchSize: 2 });
  h.batch.onEnd(span('a'));
  await settle();
  const flushed = h.batch.forceFlush();
  await flushed;
  assert.deepEqual(h.exported, [['a']]);
});

test('at exit, what is queued is handed to the exporter synchronously, once it is loaded', async () => {
  const h = harness();
  h.guard.preload();
  await settle();
  h.batch.onEnd(span('a'));
  h.batch.onEnd(span('b'));
  assert.equal(h.guard.exportAtExit(h.batch.drain(), 500), true);
  assert.deepEqual(h.syncCalls, [['a', 'b']]);
  assert.equal(h.batch.queued, 0);
  assert.deepEqual(h.lines, []);
});

test('at exit with no exporter loaded, what is queued is counted as lost', () => {
  const h = harness();
  h.batch.onEnd(span('a'));
  assert.equal(h.guard.exportAtExit(h.batch.drain(), 500), false);
  assert.deepEqual(h.syncCalls, []);
  assert.match(h.lines[0] ?? '', /cannot export traces/);
});

test('at exit, a batch a flush has taken but not yet handed to the exporter goes with the hand-off', async () => {
  const h = harness();
  h.guard.preload();
  await settle();
  h.batch.onEnd(span('a'));
  h.batch.onEnd(span('b'));
  // A signal handler's flush, then process.exit() in the same turn: the batch left the queue, and
  // its export waits for a promise turn that never comes.
  void h.batch.forceFlush();
  assert.equal(h.batch.queued, 0);
  assert.equal(h.guard.exportAtExit(h.batch.drain(), 500), true);
  assert.deepEqual(h.syncCalls, [['a', 'b']]);
  await settle();
  assert.deepEqual(h.exported, [], 'not sent a second time');
});
