// A collector that refuses connections costs a process a TCP connect or two: the agent dials the
// endpoint before it loads the OTLP exporter (gRPC and protobuf) and, for metrics exported only
// over OTLP, the metrics SDK, so a short script loads neither, and a service loads them, and
// exports, once the collector is there. Fixtures: short-script.mjs, http-service.mjs,
// loaded-modules.cjs.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { type Receiver, startReceiver } from '../../src/receiver/index.js';
import { closedPort, spansOf } from '../helpers/otlp.js';
import { portOf, runFixture, startFixture, supervise } from '../helpers/run-fixture.js';

const SPY = { nodeArgs: ['--require', './loaded-modules.cjs'] };

test('a script whose collector refuses connections loads neither gRPC nor the metrics SDK, warns once per signal and exits cleanly', async () => {
  const port = await closedPort();
  const run = await runFixture({
    script: 'short-script.mjs',
    ...SPY,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_SERVICE_NAME: 'refused',
      // gRPC, protobuf, and the metrics SDK, which waits for a collector that answers.
      SPY_MODULES: '/node_modules/@grpc/grpc-js/,/node_modules/protobufjs/,/dist/metrics/meter-provider.js',
      SPANS: '3',
      EXIT_CODE: '3',
    },
    timeoutMs: 15_000,
  });
  assert.deepEqual({ code: run.code, signal: run.signal }, { code: 3, signal: null }, run.output);
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  assert.deepEqual(
    lines.filter((l) => l.startsWith('LOADED ')),
    [],
    `neither the exporter nor the metrics SDK was loaded\n${run.output}`,
  );
  for (const signal of ['traces', 'metrics']) {
    const warnings = lines.filter((l) => l.includes(`cannot export ${signal}`));
    assert.equal(warnings.length, 1, run.output);
    assert.match(
      warnings[0] ?? '',
      new RegExp(
        `^@logos/otel: cannot export ${signal} to http://127\\.0\\.0\\.1:${port} \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\);`,
      ),
    );
  }
  assert.ok(
    lines.includes(
      `@logos/otel: traces export to http://127.0.0.1:${port} failed until exit: 3 spans dropped in all`,
    ),
    run.output,
  );
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
});

test('a service whose collector refuses connections loads the exporter and exports once the collector starts', async () => {
  const port = await closedPort();
  const service = 'refused-then-up';
  const app = startFixture({
    script: 'http-service.mjs',
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_SERVICE_NAME: service,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    },
    timeoutMs: 30_000,
  });
  let receiver: Receiver | undefined;
  const work = (r: Receiver) => spansOf(r, service).filter((s) => s.name === 'fixture.work').length;
  try {
    await supervise(
      app,
      async () => {
        const appPort = await portOf(app);
        const hello = async (): Promise<void> => {
          const res = await fetch(`http://127.0.0.1:${appPort}/hello`);
          assert.equal(`${res.status} ${await res.text()}`, '200 hello ', app.output());
        };
        do await hello();
        while (!app.stderr.includes('cannot export traces'));
        assert.match(app.stderr, /cannot export traces to \S+ \(connect ECONNREFUSED /);

        const r = await startReceiver({ host: '127.0.0.1', grpcPort: port, httpPort: false });
        receiver = r;
        // Spans made while the back-off lasts are dropped; those after it are exported. Within the
        // back-off (1 s, then 2 s), well before the exporter would be renewed after 10 s of failures.
        const deadline = Date.now() + 8000;
        while (work(r) === 0) {
          assert.ok(Date.now() < deadline, `no span arrived\n${app.output()}`);
          await hello();
          await r.waitFor(() => work(r) > 0, 500).catch(() => undefined);
        }
        // The line follows the export's answer, which the receiver may count first.
        const recovered = /traces export to \S+ works again; \d+ spans were dropped while it failed/;
        while (!recovered.test(app.stderr)) await once(app.child.stderr as NodeJS.ReadableStream, 'data');
        // From now on nothing is lost, also at the exit flush.
        const delivered = work(r);
        for (let i = 0; i < 5; i++) await hello();
        const exit = await app.stop();
        assert.deepEqual(
          { code: exit.code, signal: exit.signal },
          { code: null, signal: 'SIGTERM' },
          app.output(),
        );
        await r.waitFor(() => work(r) >= delivered + 5, 5000);
        assert.equal(app.stderr.match(/cannot export traces/g)?.length, 1, app.output());
      },
      { stop: 'SIGKILL' },
    );
  } finally {
    await receiver?.close();
  }
});
