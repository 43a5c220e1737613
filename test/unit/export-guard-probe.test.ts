// ExportGuard with a probe: the exporter loads only once the collector answers a plain connect; a
// refused probe fails the export at once (one warning, the back-off), and the next attempt after
// the back-off probes again. Time is node:test's mock clock; the probe and exporter are stand-ins.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { type Exporter, ExportGuard } from '../../src/export/guard.js';
import { ExportReporter } from '../../src/export/reporter.js';

const REFUSED = 'connect ECONNREFUSED 127.0.0.1:4317';

/** Lets promise callbacks and I/O turns run (setImmediate is not mocked). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Harness {
  guard: ExportGuard<number[]>;
  lines: string[];
  probes: () => number;
  loads: () => number;
  exported: number[][];
  /** Whether the collector answers the next probes. */
  answering: boolean;
  /** Exports `items` and waits for the result. */
  send(items: number[]): Promise<ExportResult>;
}

function harness(options: { answering: boolean; failLoad?: boolean }): Harness {
  const lines: string[] = [];
  const exported: number[][] = [];
  let probes = 0;
  let loads = 0;
  const exporter: Exporter<number[]> = {
    export: (items, done) => {
      exported.push(items);
      done({ code: ExportResultCode.SUCCESS });
    },
    shutdown: async () => undefined,
  };
  const h: Harness = {
    answering: options.answering,
    lines,
    exported,
    probes: () => probes,
    loads: () => loads,
    guard: new ExportGuard<number[]>({
      probe: async () => {
        probes++;
        if (!h.answering) throw new Error(REFUSED);
      },
      load: async () => {
        loads++;
        if (options.failLoad) throw new Error('cannot read the CA certificate file /nope (ENOENT)');
        return exporter;
      },
      reporter: new ExportReporter({
        signal: 'traces',
        unit: 'spans',
        endpoint: 'http://127.0.0.1:4317',
        log: (line) => lines.push(line),
      }),
      count: (items) => items.length,
      empty: () => [],
      timeoutMs: 500,
    }),
    send: (items) =>
      new Promise<ExportResult>((resolve) => {
        h.guard.export(items, resolve);
      }),
  };
  return h;
}

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 }));
afterEach(() => mock.timers.reset());

test('a refused probe fails the export with its reason, loads nothing, and starts the back-off', async () => {
  const h = harness({ answering: false });
  const result = await h.send([1, 2]);
  assert.equal(result.code, ExportResultCode.FAILED);
  assert.deepEqual({ probes: h.probes(), loads: h.loads() }, { probes: 1, loads: 0 });
  assert.equal(h.lines.length, 1);
  assert.match(
    h.lines[0] ?? '',
    /^cannot export traces to http:\/\/127\.0\.0\.1:4317 \(connect ECONNREFUSED /,
  );
  assert.ok(h.guard.isDown(), 'known down: spans are dropped without being queued');
  mock.timers.tick(999);
  assert.ok(h.guard.isDown());
  assert.equal((await h.send([3])).code, ExportResultCode.FAILED, 'skipped during the back-off');
  assert.equal(h.probes(), 1, 'no probe during the back-off');
  mock.timers.tick(1);
  assert.ok(!h.guard.isDown());
  assert.equal(h.lines.length, 1, 'still one warning');
});

test('after the back-off the next export probes again; once the collector answers, the exporter loads once', async () => {
  const h = harness({ answering: false });
  await h.send([1]);
  mock.timers.tick(1000);
  assert.equal((await h.send([2])).code, ExportResultCode.FAILED);
  assert.deepEqual({ probes: h.probes(), loads: h.loads() }, { probes: 2, loads: 0 });
  // The back-off doubled: 2 s now.
  mock.timers.tick(1999);
  assert.ok(h.guard.isDown());
  mock.timers.tick(1);
  h.answering = true;
  assert.equal((await h.send([3, 4])).code, ExportResultCode.SUCCESS);
  assert.equal((await h.send([5])).code, ExportResultCode.SUCCESS);
  assert.deepEqual(h.exported, [[3, 4], [5]]);
  assert.deepEqual({ probes: h.probes(), loads: h.loads() }, { probes: 3, loads: 1 }, 'no probe once loaded');
  assert.match(h.lines.at(-1) ?? '', /works again; 2 spans were dropped while it failed$/);
});

test('the warm-up probes first: with the collector there, the empty export goes out', async () => {
  const h = harness({ answering: true });
  h.guard.warmUp();
  await settle();
  assert.deepEqual(h.exported, [[]]);
  assert.deepEqual({ probes: h.probes(), loads: h.loads() }, { probes: 1, loads: 1 });
  assert.deepEqual(h.lines, []);
});

test('preload says nothing and loads nothing when the probe is refused, and loads when it answers', async () => {
  const h = harness({ answering: false });
  h.guard.preload();
  await settle();
  assert.deepEqual(
    { probes: h.probes(), loads: h.loads(), down: h.guard.isDown() },
    {
      probes: 1,
      loads: 0,
      down: false,
    },
  );
  assert.deepEqual(h.lines, [], 'an idle service is not told about the collector');
  h.answering = true;
  h.guard.preload();
  await settle();
  assert.deepEqual({ probes: h.probes(), loads: h.loads() }, { probes: 2, loads: 1 });
  assert.deepEqual(h.exported, [], 'preload sends nothing');
});

test('a probe that answers after shutdown loads nothing', async () => {
  const h = harness({ answering: true });
  const result = h.send([1]);
  await h.guard.shutdown();
  assert.equal((await result).code, ExportResultCode.FAILED);
  assert.equal(h.loads(), 0);
});

test('a failed load is not retried: it would fail the same way', async () => {
  const h = harness({ answering: true, failLoad: true });
  const first = await h.send([1]);
  assert.match(first.error?.message ?? '', /cannot read the CA certificate file/);
  mock.timers.tick(1000);
  await h.send([2]);
  assert.deepEqual({ probes: h.probes(), loads: h.loads() }, { probes: 1, loads: 1 });
});
