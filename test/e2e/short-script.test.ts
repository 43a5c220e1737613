// A script that simply ends: its spans are delivered on the way out, and it exits promptly after
// its last work, also when the collector is down (upstream's register waits ~9 s for a dead one).
// Fixture: short-script.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { blackHole } from '../helpers/black-hole.js';
import { closedPort, type Receiver, receiver, spansOf } from '../helpers/otlp.js';
import { runFixture } from '../helpers/run-fixture.js';

let r: Receiver;
before(async () => {
  r = await receiver();
});
after(() => r.close());

/** What the script printed: how many spans it made, when its last work ended, its pid. */
function report(stdout: string): { spans: number; lastWorkAt: number; pid: number } {
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  assert.ok(line, `the script printed its report\n${stdout}`);
  return JSON.parse(line) as { spans: number; lastWorkAt: number; pid: number };
}

// The batch delay is left at its default (5 s): only the exit flush can deliver the spans in time.
test('a script that ends exits at once with all its spans delivered', async () => {
  const run = await runFixture({
    script: 'short-script.mjs',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: r.grpcEndpoint, OTEL_SERVICE_NAME: 'short-up', SPANS: '20' },
    timeoutMs: 10_000,
  });
  const made = report(run.stdout);
  const ms = run.at - made.lastWorkAt;
  console.log(`# collector up: exit ${ms} ms after the last work`);
  assert.deepEqual({ code: run.code, signal: run.signal }, { code: 0, signal: null }, run.output);
  const spans = spansOf(r, 'short-up').filter((s) => s.name === 'short.work');
  assert.equal(spans.length, made.spans, run.output);
  assert.deepEqual(
    spans.map((s) => s.attributes['work.index']).sort((a, b) => Number(a) - Number(b)),
    Array.from({ length: made.spans }, (_, i) => i),
  );
  assert.equal(spans[0]?.resource['process.pid'], made.pid);
  assert.ok(ms < 1500, `exited ${ms} ms after its last work\n${run.output}`);
  assert.equal(run.stderr, '', 'the agent says nothing when all goes well');
});

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  test(`${protocol}: a script done before the export worker started sends its exit flush from its own thread`, async () => {
    const service = `short-here-${protocol.replace('/', '-')}`;
    const run = await runFixture({
      script: 'short-script.mjs',
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? r.grpcEndpoint : r.httpEndpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_SERVICE_NAME: service,
        OTEL_LOG_LEVEL: 'debug',
        SPANS: '5',
      },
      timeoutMs: 10_000,
    });
    const made = report(run.stdout);
    assert.deepEqual({ code: run.code, signal: run.signal }, { code: 0, signal: null }, run.output);
    assert.match(
      run.stderr,
      /\[debug\] export: the exit flush sends from the service thread \(the export worker had not started\)/,
      run.output,
    );
    const spans = spansOf(r, service).filter((s) => s.name === 'short.work');
    assert.equal(spans.length, made.spans, run.output);
  });
}

test('with the collector down the script still exits at once, with one warning and no stack trace', async () => {
  const port = await closedPort();
  const run = await runFixture({
    script: 'short-script.mjs',
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_SERVICE_NAME: 'short-down',
      EXIT_CODE: '4',
    },
    timeoutMs: 15_000,
  });
  const made = report(run.stdout);
  const ms = run.at - made.lastWorkAt;
  console.log(`# collector down: exit ${ms} ms after the last work (upstream's register: ~9000 ms)`);
  assert.deepEqual(
    { code: run.code, signal: run.signal },
    { code: 4, signal: null },
    `the app's exit code\n${run.output}`,
  );
  assert.ok(ms < 1500, `exited ${ms} ms after its last work\n${run.output}`);
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  assert.ok(lines.filter((l) => l.includes('cannot export traces')).length <= 1, run.output);
  assert.ok(lines.filter((l) => l.includes('cannot export metrics')).length <= 1, run.output);
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
  // Each signal may say once that it cannot export, and once at exit what that cost; nothing else.
  assert.deepEqual(
    lines.filter(
      (l) =>
        !/^@logos\/otel: cannot export (traces|metrics) to /.test(l) &&
        !/^@logos\/otel: (traces|metrics) export to \S+ failed until exit: \d+ (spans|metric exports) dropped in all$/.test(
          l,
        ),
    ),
    [],
    run.output,
  );
});

test('a collector that never answers: a script that ends with an export in flight exits within the time limit', async () => {
  const hole = await blackHole();
  try {
    const run = await runFixture({
      script: 'short-script.mjs',
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: hole.endpoint,
        OTEL_SERVICE_NAME: 'short-hang',
        // Batches leave at once, so an export is waiting on the collector when the script ends.
        OTEL_BSP_SCHEDULE_DELAY: '0',
        LOGOS_OTEL_SHUTDOWN_TIMEOUT: '500',
        EXIT_CODE: '4',
      },
      timeoutMs: 6000,
    });
    const made = report(run.stdout);
    const ms = run.at - made.lastWorkAt;
    console.log(`# collector never answers, 500 ms limit: exit ${ms} ms after the last work`);
    assert.deepEqual(
      { code: run.code, signal: run.signal },
      { code: 4, signal: null },
      `the app's exit code\n${run.output}`,
    );
    assert.ok(ms < 2000, `exited ${ms} ms after its last work\n${run.output}`);
    assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
  } finally {
    await hole.close();
  }
});
