// ExportGuard's time-driven core on node:test's mock clock: the export deadline, the back-off that
// doubles to its maximum and resets on success, exports in flight failing with one outage as one
// back-off step, and a fresh exporter after 10 s of failures. The exporter is a stand-in whose
// answers the test gives; the guard and its reporter are the real ones.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { type Exporter, ExportGuard } from '../../src/export/guard.js';
import { ExportReporter } from '../../src/export/reporter.js';

/** Lets promise callbacks run (setImmediate is not mocked). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

interface Harness {
  guard: ExportGuard<number[]>;
  lines: string[];
  loads: () => number;
  shutdowns: () => number;
  /** Answers of exports in progress, oldest first. */
  waiting: ((result: ExportResult) => void)[];
  results: ExportResultCode[];
  send(items: number[]): void;
}

function harness(): Harness {
  const lines: string[] = [];
  const waiting: ((result: ExportResult) => void)[] = [];
  const results: ExportResultCode[] = [];
  let loads = 0;
  let shutdowns = 0;
  const exporter = (): Exporter<number[]> => ({
    export: (_items, done) => waiting.push(done),
    shutdown: async () => {
      shutdowns++;
    },
  });
  const guard = new ExportGuard<number[]>({
    load: async () => {
      loads++;
      return exporter();
    },
    reporter: new ExportReporter({
      signal: 'traces',
      unit: 'spans',
      endpoint: 'http://127.0.0.1:4317',
      log: (line) => lines.push(line),
    }),
    count: (items) => items.length,
    timeoutMs: 500,
    initialBackoffMs: 1000,
    maxBackoffMs: 4000,
  });
  return {
    guard,
    lines,
    waiting,
    results,
    loads: () => loads,
    shutdowns: () => shutdowns,
    send: (items) => guard.export(items, (result) => results.push(result.code)),
  };
}

const ok: ExportResult = { code: ExportResultCode.SUCCESS };
const unavailable: ExportResult = { code: ExportResultCode.FAILED, error: new Error('14 UNAVAILABLE: no') };

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'] }));
afterEach(() => mock.timers.reset());

test('an export that does not answer fails at its deadline, with the reason, and starts the back-off', async () => {
  const h = harness();
  h.send([1, 2]);
  await settle();
  assert.equal(h.waiting.length, 1);
  mock.timers.tick(499);
  assert.deepEqual(h.results, []);
  mock.timers.tick(1);
  assert.deepEqual(h.results, [ExportResultCode.FAILED]);
  assert.match(h.lines[0] ?? '', /export timed out after 500 ms/);
  assert.ok(h.guard.isDown());
  // A late answer changes nothing.
  h.waiting[0]?.(ok);
  assert.deepEqual(h.results, [ExportResultCode.FAILED]);
});

test('while down, exports are skipped and counted without reaching the exporter; the back-off doubles to its maximum', async () => {
  const h = harness();
  const failOnce = async (): Promise<void> => {
    h.send([1]);
    await settle();
    h.waiting.shift()?.(unavailable);
  };
  await failOnce();
  assert.ok(h.guard.isDown());
  h.send([1, 2, 3]);
  assert.equal(h.waiting.length, 0, 'the skipped export never reached the exporter');
  const downFor: number[] = [];
  for (let i = 0; i < 4; i++) {
    let ms = 0;
    while (h.guard.isDown()) {
      mock.timers.tick(100);
      ms += 100;
    }
    downFor.push(ms);
    await failOnce();
  }
  assert.deepEqual(downFor, [1000, 2000, 4000, 4000]);
  assert.equal(h.lines.length, 1, 'one warning for the whole outage');
});

test('a success ends the outage, says so with the count, and resets the back-off', async () => {
  const h = harness();
  h.send([1]);
  await settle();
  h.waiting.shift()?.(unavailable);
  h.send([1, 2]);
  mock.timers.tick(1000);
  h.send([1]);
  await settle();
  h.waiting.shift()?.(ok);
  assert.match(h.lines[1] ?? '', /works again; 3 spans were dropped/);
  h.send([1]);
  await settle();
  h.waiting.shift()?.(unavailable);
  let ms = 0;
  while (h.guard.isDown()) {
    mock.timers.tick(100);
    ms += 100;
  }
  assert.equal(ms, 1000, 'the back-off started again from its initial value');
});

test('exports in flight when one fails fail with it: one outage, one back-off step', async () => {
  const h = harness();
  h.send([1]);
  h.send([2]);
  h.send([3]);
  await settle();
  assert.equal(h.waiting.length, 3);
  for (const done of h.waiting.splice(0)) done(unavailable);
  let ms = 0;
  while (h.guard.isDown()) {
    mock.timers.tick(100);
    ms += 100;
  }
  assert.equal(ms, 1000);
  assert.equal(h.guard.inFlightItems, 0);
});

test('after 10 s of failures the next export gets a fresh exporter, and the old one is closed', async () => {
  const h = harness();
  h.send([1]);
  await settle();
  assert.equal(h.loads(), 1);
  h.waiting.shift()?.(unavailable);
  for (let elapsed = 0; elapsed <= 16_000; elapsed += 1000) {
    mock.timers.tick(1000);
    if (h.guard.isDown()) continue;
    h.send([1]);
    await settle();
    h.waiting.shift()?.(unavailable);
  }
  await settle();
  assert.equal(h.loads(), 2, 'one fresh exporter');
  assert.equal(h.shutdowns(), 1, 'the old one closed');
});
