// The exporters load off the start-up path (a second after start, or at the first span) and, at
// the first span, each signal sends one empty export, so that the first real export (often the
// exit flush of a short script) finds the connection open, or the collector already known to be
// down. Those exports are never traced.
// Fixtures: http-service.mjs, short-script.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ReceivedBatch } from '../../src/receiver/types.js';
import { closedPort, type Receiver, receiver, spansOf } from '../helpers/otlp.js';
import { portOf, runFixture, startFixture } from '../helpers/run-fixture.js';

let r: Receiver;
before(async () => {
  r = await receiver();
});
after(() => r.close());

test('an exporting service connects with one empty, untraced export per signal at its first span, not before', async () => {
  const batches: { signal: string; items: number }[] = [];
  const stop = r.onBatch((batch: ReceivedBatch) => {
    batches.push({ signal: batch.signal, items: batch.items.length });
  });
  const service = startFixture({
    script: 'http-service.mjs',
    // Spans wait 2 s in the queue, so the empty exports clearly come first.
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: r.grpcEndpoint,
      OTEL_SERVICE_NAME: 'warm',
      OTEL_BSP_SCHEDULE_DELAY: '2000',
      // Says when each signal's exporter is loaded (1 s after start).
      OTEL_LOG_LEVEL: 'debug',
    },
  });
  try {
    const port = await portOf(service);
    // Past the moment both exporters are loaded: an idle service sends nothing.
    const loaded = /\[debug\] export: an exporter is loaded ahead of the first export/g;
    await service.line(() => (service.stderr.match(loaded) ?? []).length >= 2, {
      stream: 'stderr',
      timeoutMs: 10_000,
    });
    assert.equal(batches.length, 0, 'nothing is sent before the first span');

    assert.equal((await fetch(`http://127.0.0.1:${port}/hello`)).status, 200);
    await r.waitFor(
      () => batches.some((b) => b.signal === 'traces') && batches.some((b) => b.signal === 'metrics'),
    );
    assert.deepEqual(
      batches
        .map(({ signal, items }) => ({ signal, items }))
        .sort((a, b) => a.signal.localeCompare(b.signal)),
      [
        { signal: 'metrics', items: 0 },
        { signal: 'traces', items: 0 },
      ],
      'one empty export per signal (the metric interval is 60 s, the spans wait 2 s)',
    );
    await r.waitFor(() => spansOf(r, 'warm').length >= 2);
    assert.deepEqual(
      spansOf(r, 'warm')
        .map((s) => s.name)
        .sort(),
      ['GET', 'fixture.work'],
      'the request is traced, the empty exports are not',
    );
  } finally {
    stop();
    await service.stop();
  }
});

test('with the collector down, the failed empty export and the failed exit flush make one warning and one count', async () => {
  const port = await closedPort();
  const run = await runFixture({
    script: 'short-script.mjs',
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_SERVICE_NAME: 'warm-down',
      OTEL_METRICS_EXPORTER: 'none',
      SPANS: '3',
    },
    timeoutMs: 15_000,
  });
  assert.deepEqual({ code: run.code, signal: run.signal }, { code: 0, signal: null }, run.output);
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 2, run.output);
  assert.match(
    lines[0] ?? '',
    /^@logos\/otel: cannot export traces to http:\/\/127\.0\.0\.1:\d+ \(connect ECONNREFUSED /,
  );
  assert.match(lines[1] ?? '', /failed until exit: 3 spans dropped in all$/);
});
