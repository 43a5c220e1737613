// The export worker never keeps a process alive on its own: an idle one lets the process end as
// it would without it, while an export in flight holds the process until it is answered (as the
// network exporters' own sockets did), bounded by the export timeout. Fixture:
// export-worker-lifetime.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blackHole } from '../helpers/black-hole.js';
import { faultCollector } from '../helpers/fault-collector.js';
import { runFixture } from '../helpers/run-fixture.js';

test('an idle worker lets the process end by itself', async () => {
  const collector = await faultCollector();
  try {
    const run = await runFixture({
      script: 'export-worker-lifetime.ts',
      tsx: true,
      register: false,
      env: { WORKER_OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, LIFETIME_MODE: 'idle' },
      timeoutMs: 10_000,
    });
    assert.deepEqual({ code: run.code, signal: run.signal }, { code: 0, signal: null }, run.output);
    assert.equal(run.stdout, 'ready\n');
  } finally {
    await collector.close();
  }
});

test('an export in flight holds the process until the collector answers', async () => {
  const collector = await faultCollector({ mode: { kind: 'slow', delayMs: 300 } });
  try {
    const run = await runFixture({
      script: 'export-worker-lifetime.ts',
      tsx: true,
      register: false,
      env: { WORKER_OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, LIFETIME_MODE: 'inflight' },
      timeoutMs: 10_000,
    });
    assert.deepEqual({ code: run.code, signal: run.signal }, { code: 0, signal: null }, run.output);
    assert.equal(run.stdout, 'ready\nexported\n');
    assert.deepEqual(
      collector.spansOf('lifetime').map((span) => span.name),
      ['in.flight'],
    );
  } finally {
    await collector.close();
  }
});

test('a hung collector holds the process no longer than the export timeout', async () => {
  const hole = await blackHole();
  try {
    const started = Date.now();
    const run = await runFixture({
      script: 'export-worker-lifetime.ts',
      tsx: true,
      register: false,
      env: {
        WORKER_OTEL_EXPORTER_OTLP_ENDPOINT: hole.endpoint,
        WORKER_OTEL_EXPORTER_OTLP_TIMEOUT: '500',
        LIFETIME_MODE: 'inflight',
      },
      timeoutMs: 10_000,
    });
    assert.deepEqual({ code: run.code, signal: run.signal }, { code: 0, signal: null }, run.output);
    assert.match(run.stdout, /^ready\nfailed: 4 DEADLINE_EXCEEDED: /);
    assert.ok(run.at - started < 5000, `the process took ${run.at - started} ms`);
  } finally {
    await hole.close();
  }
});
