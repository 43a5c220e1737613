// SIGTERM and SIGINT: the agent flushes every finished span within a hard time limit, then the
// process ends as it would have without the agent: killed by the signal when the app has no handler
// of its own, with the app's exit code when it has one. Fixture: signal-server.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { blackHole } from '../helpers/black-hole.js';
import { closedPort, exportTo, KIND, type Receiver, receiver, spansOf } from '../helpers/otlp.js';
import { type Exit, type Fixture, portOf, startFixture, supervise } from '../helpers/run-fixture.js';

// Nothing leaves on the batch timer before the signal: only the shutdown flush can deliver the spans.
const HOLD = { OTEL_BSP_SCHEDULE_DELAY: '60000', OTEL_METRICS_EXPORTER: 'none' };

let r: Receiver;
before(async () => {
  r = await receiver();
});
after(() => r.close());

/** Sends `count` requests (half one by one, half at once); returns how many the app says it served. */
async function load(port: number, count: number): Promise<number> {
  const get = async (): Promise<number> => {
    const res = await fetch(`http://127.0.0.1:${port}/work`);
    assert.equal(res.status, 200);
    return Number(await res.text());
  };
  const served: number[] = [];
  for (let i = 0; i < count / 2; i++) served.push(await get());
  served.push(...(await Promise.all(Array.from({ length: count - served.length }, get))));
  return Math.max(...served);
}

interface Run {
  readonly fixture: Fixture;
  readonly exit: Exit;
  readonly served: number;
  /** From the signal to the exit. */
  readonly ms: number;
}

/** Starts signal-server.mjs, serves `requests`, sends `signal` and waits for the exit. */
async function runUntilSignal(
  signal: NodeJS.Signals,
  env: Record<string, string>,
  requests = 10,
): Promise<Run> {
  // Killed (SIGKILL) after 6 s: a process held that long fails its test anyway.
  const fixture = startFixture({ script: 'signal-server.mjs', env, timeoutMs: 6000 });
  return await supervise(
    fixture,
    async () => {
      const served = await load(await portOf(fixture), requests);
      const sentAt = Date.now();
      const exit = await fixture.stop(signal);
      return { fixture, exit, served, ms: exit.at - sentAt };
    },
    { stop: 'SIGKILL' },
  );
}

/** Asserts that `service` delivered one server and one `fixture.request` span per served request. */
function assertAllDelivered(service: string, run: Run): void {
  const spans = spansOf(r, service);
  const server = spans.filter((s) => s.kind === KIND.server && s.attributes['url.path'] === '/work');
  const work = spans.filter((s) => s.name === 'fixture.request');
  assert.equal(run.served, 10, run.fixture.output());
  assert.equal(server.length, run.served, `server spans\n${run.fixture.output()}`);
  assert.equal(work.length, run.served, `fixture.request spans\n${run.fixture.output()}`);
  assert.equal(new Set(spans.map((s) => s.spanId)).size, spans.length, 'no span is sent twice');
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} without an app handler: every finished span is delivered, then the process dies of ${signal}`, async () => {
    const service = `no-handler-${signal}`;
    const run = await runUntilSignal(signal, { ...exportTo(r, service), ...HOLD });
    console.log(`# ${signal}, no app handler: exit ${run.ms} ms after the signal`);
    assert.deepEqual(
      { code: run.exit.code, signal: run.exit.signal },
      { code: null, signal },
      run.fixture.output(),
    );
    assertAllDelivered(service, run);
    assert.equal(run.fixture.stderr, '', 'the agent says nothing when all goes well');
  });

  test(`${signal} with an app handler that closes the server: the app's exit code, all spans delivered`, async () => {
    const service = `close-handler-${signal}`;
    const env = { ...exportTo(r, service), ...HOLD, APP_SIGNAL_HANDLER: 'close', APP_EXIT_CODE: '3' };
    const run = await runUntilSignal(signal, env);
    console.log(`# ${signal}, app closes the server: exit ${run.ms} ms after the signal`);
    assert.deepEqual(
      { code: run.exit.code, signal: run.exit.signal },
      { code: 3, signal: null },
      run.fixture.output(),
    );
    assert.match(run.fixture.stdout, new RegExp(`"closed":"${signal}"`), 'the app handler ran');
    assertAllDelivered(service, run);
    const shutdownSpan = spansOf(r, service).find((s) => s.name === 'fixture.shutdown');
    assert.equal(shutdownSpan?.attributes.signal, signal, 'the span made in the handler is delivered too');
  });
}

test('an app SIGTERM handler that calls process.exit(0) at once: the process exits 0 at once', async () => {
  const service = 'exit-handler';
  const env = { ...exportTo(r, service), ...HOLD, APP_SIGNAL_HANDLER: 'exit', APP_EXIT_CODE: '0' };
  const run = await runUntilSignal('SIGTERM', env);
  // A synchronous process.exit() leaves no turn of the event loop for an export: the queued spans
  // are handed to the export worker in the 'exit' event, which sends them while the exit waits.
  await r
    .waitFor(() => spansOf(r, service).filter((s) => s.name === 'fixture.request').length >= 10, 5000)
    .catch(() => undefined);
  const delivered = spansOf(r, service).filter((s) => s.name === 'fixture.request').length;
  console.log(
    `# process.exit(0) in the app handler: exit ${run.ms} ms after the signal, ${delivered}/10 spans`,
  );
  assert.deepEqual(
    { code: run.exit.code, signal: run.exit.signal },
    { code: 0, signal: null },
    run.fixture.output(),
  );
  assert.ok(run.ms < 3000, `exited ${run.ms} ms after the signal\n${run.fixture.output()}`);
  assert.equal(delivered, 10, `every ended span is delivered\n${run.fixture.output()}`);
});

test('collector down: SIGTERM still ends the process promptly, by the signal or with the app code', async () => {
  const port = await closedPort();
  const env = {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_SERVICE_NAME: 'down',
    ...HOLD,
  };
  const bare = await runUntilSignal('SIGTERM', env);
  const handled = await runUntilSignal('SIGTERM', {
    ...env,
    APP_SIGNAL_HANDLER: 'close',
    APP_EXIT_CODE: '3',
  });
  console.log(
    `# collector down: exit ${bare.ms} ms (no handler), ${handled.ms} ms (app handler) after SIGTERM`,
  );
  assert.deepEqual(
    { code: bare.exit.code, signal: bare.exit.signal },
    { code: null, signal: 'SIGTERM' },
    bare.fixture.output(),
  );
  assert.deepEqual(
    { code: handled.exit.code, signal: handled.exit.signal },
    { code: 3, signal: null },
    handled.fixture.output(),
  );
  assert.ok(bare.ms < 3000, `exited ${bare.ms} ms after SIGTERM\n${bare.fixture.output()}`);
  assert.ok(handled.ms < 3000, `exited ${handled.ms} ms after SIGTERM\n${handled.fixture.output()}`);
  for (const run of [bare, handled]) assert.doesNotMatch(run.fixture.stderr, /^\s+at /m, 'no stack trace');
});

test('a collector that never answers: the exit waits no longer than the shutdown time limit', async () => {
  const hole = await blackHole();
  try {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: hole.endpoint,
      OTEL_SERVICE_NAME: 'black-hole',
      LOGOS_OTEL_SHUTDOWN_TIMEOUT: '500',
      ...HOLD,
    };
    const bare = await runUntilSignal('SIGTERM', env);
    const handled = await runUntilSignal('SIGTERM', {
      ...env,
      APP_SIGNAL_HANDLER: 'close',
      APP_EXIT_CODE: '3',
    });
    console.log(
      `# collector never answers, 500 ms limit: exit ${bare.ms} ms (no handler), ${handled.ms} ms (app handler) after SIGTERM`,
    );
    assert.deepEqual(
      { code: bare.exit.code, signal: bare.exit.signal },
      { code: null, signal: 'SIGTERM' },
      bare.fixture.output(),
    );
    assert.ok(bare.ms < 2500, `exited ${bare.ms} ms after SIGTERM\n${bare.fixture.output()}`);
    assert.deepEqual(
      { code: handled.exit.code, signal: handled.exit.signal },
      { code: 3, signal: null },
      handled.fixture.output(),
    );
    assert.ok(handled.ms < 2500, `exited ${handled.ms} ms after SIGTERM\n${handled.fixture.output()}`);
  } finally {
    await hole.close();
  }
});
