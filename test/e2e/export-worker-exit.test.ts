// The hand-off at exit: serialized spans given to the export worker in the 'exit' event of a real
// process, after process.exit() or an uncaught exception (no event-loop turn left), reach the
// receiver, because flushSync blocks the main thread until the worker has sent them; gRPC never
// loads on the main thread, also with the agent loaded. Fixture: export-worker-exit.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Receiver, receiver, spansOf } from '../helpers/otlp.js';
import { runFixture } from '../helpers/run-fixture.js';

let r: Receiver;
before(async () => {
  r = await receiver();
});
after(() => r.close());

const EXITS = [
  { mode: 'exit', protocol: 'grpc', agent: false },
  { mode: 'exit', protocol: 'http/protobuf', agent: false },
  { mode: 'throw', protocol: 'grpc', agent: false },
  { mode: 'throw', protocol: 'http/protobuf', agent: false },
  // The agent on the main thread (exporting its own spans over OTLP/HTTP) neither runs in the
  // worker nor traces its calls, and gRPC stays off the main thread.
  { mode: 'exit', protocol: 'grpc', agent: true },
  // The worker not even started before the 'exit' event: the hand-off starts it.
  { mode: 'exit', protocol: 'grpc', agent: false, startAtExit: true },
] as const;

for (const exit of EXITS) {
  const { mode, protocol, agent } = exit;
  const startAtExit = 'startAtExit' in exit;
  const after = mode === 'exit' ? 'process.exit()' : 'an uncaught exception';
  test(`${protocol}${agent ? ', agent loaded' : ''}${startAtExit ? ', worker started at exit' : ''}: a span handed over in the 'exit' event after ${after} reaches the receiver`, async () => {
    const service = `exit-${mode}-${protocol.replace('/', '-')}${agent ? '-agent' : ''}${startAtExit ? '-cold' : ''}`;
    const run = await runFixture({
      script: 'export-worker-exit.ts',
      tsx: true,
      register: agent,
      env: {
        WORKER_OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? r.grpcEndpoint : r.httpEndpoint,
        WORKER_OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        WORKER_OTEL_SERVICE_NAME: service,
        EXIT_MODE: mode,
        START_AT_EXIT: String(startAtExit),
        ...(agent
          ? {
              OTEL_EXPORTER_OTLP_ENDPOINT: r.httpEndpoint,
              OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
              OTEL_SERVICE_NAME: `${service}-main`,
            }
          : {}),
      },
      timeoutMs: 15_000,
    });
    assert.equal(run.code, mode === 'exit' ? 7 : 1, run.output);
    const line = run.stderr.split('\n').find((l) => l.startsWith('{"result"'));
    assert.ok(line !== undefined, run.output);
    const report = JSON.parse(line) as { result: { finished: boolean; sent: number }; loadedGrpc: boolean };
    assert.deepEqual(report.result, { finished: true, sent: 1, failed: 0 }, run.output);
    assert.equal(report.loadedGrpc, false, 'gRPC was not loaded on the main thread');
    if (mode === 'throw') assert.match(run.stderr, /Error: the app crashed/);
    await r.waitFor(() => spansOf(r, service).length === 1, 5000);
    assert.equal(spansOf(r, service)[0]?.name, `last.before.${mode}`);
    if (agent) {
      const traced = r.spans.filter((span) => span.name.includes('TraceService'));
      assert.deepEqual(traced, [], "the worker's gRPC call was not traced");
    }
  });
}

test("a request sent from the service's thread first (an exit flush before the worker), then a hand-off at process.exit(): both arrive, the worker started by the hand-off", async () => {
  const service = 'exit-from-here';
  const run = await runFixture({
    script: 'export-worker-exit.ts',
    tsx: true,
    env: {
      WORKER_OTEL_EXPORTER_OTLP_ENDPOINT: r.grpcEndpoint,
      WORKER_OTEL_SERVICE_NAME: service,
      EXIT_MODE: 'exit',
      START_AT_EXIT: 'true',
      SEND_FROM_HERE: 'true',
    },
    timeoutMs: 15_000,
  });
  assert.equal(run.code, 7, run.output);
  const line = run.stderr.split('\n').find((l) => l.startsWith('{"result"'));
  assert.ok(line !== undefined, run.output);
  const report = JSON.parse(line) as { result: { finished: boolean; sent: number }; loadedGrpc: boolean };
  assert.deepEqual(report.result, { finished: true, sent: 1, failed: 0 }, run.output);
  assert.equal(report.loadedGrpc, false, 'no gRPC library on the main thread');
  await r.waitFor(() => spansOf(r, service).length === 2, 5000);
  assert.deepEqual(
    spansOf(r, service)
      .map((s) => s.name)
      .sort(),
    ['last.before.exit', 'sent.from.here'],
  );
});
