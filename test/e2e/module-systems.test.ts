// The one --import flag traces CommonJS apps and TypeScript apps run with tsx, in each form users
// type, as it does plain ESM ones (export-grpc.test.ts): server, client and manual spans in one trace.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  exportTo,
  KIND,
  type ReceivedSpan,
  type Receiver,
  receiver,
  spansOf,
  waitForSpan,
} from '../helpers/otlp.js';
import {
  type Fixture,
  type FixtureOptions,
  portOf,
  REGISTER,
  startFixture,
  supervise,
} from '../helpers/run-fixture.js';

/** tsx's CLI as `node_modules/.bin/tsx` runs it, relative to test/fixtures (startFixture's base). */
const TSX_CLI = '../../node_modules/tsx/dist/cli.mjs';

let r: Receiver;
let downstream: Fixture;
let downPort: number;
before(async () => {
  r = await receiver();
  downstream = startFixture({ script: 'http-service.mjs', env: exportTo(r, 'modules-downstream') });
  downPort = await portOf(downstream);
});
after(async () => {
  await downstream?.stop();
  await r.close();
});

interface Expected {
  readonly service: string;
  readonly serverName: string;
  readonly route: string | undefined;
  readonly clientScope: string;
  readonly manual: string;
}

/**
 * Starts the app, calls GET /items/42 (which calls the downstream service) and /health, and checks
 * the trace it exported; returns the app's server span.
 */
async function checkTrace(options: FixtureOptions, expected: Expected): Promise<ReceivedSpan> {
  const app = startFixture({ ...options, env: { ...exportTo(r, expected.service), ...options.env } });
  return await supervise(
    app,
    async () => {
      const port = await portOf(app);
      const ready = await app.ready;
      assert.equal(await (await fetch(`http://127.0.0.1:${port}/health`)).text(), 'ok');
      const next = `http://127.0.0.1:${downPort}/hello`;
      const res = await fetch(`http://127.0.0.1:${port}/items/42?next=${encodeURIComponent(next)}`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /42.*hello/);

      const service = expected.service;
      const server = await waitForSpan(r, service, (s) => s.kind === KIND.server);
      const client = await waitForSpan(r, service, (s) => s.kind === KIND.client);
      const manual = await waitForSpan(r, service, (s) => s.name === expected.manual);
      const downServer = await waitForSpan(
        r,
        'modules-downstream',
        (s) => s.kind === KIND.server && s.traceId === server.traceId,
      );
      await app.stop();

      assert.equal(server.name, expected.serverName);
      assert.equal(server.parentSpanId, '', 'the server span is the root');
      assert.equal(server.attributes['http.route'], expected.route);
      assert.equal(server.attributes['url.path'], '/items/42');
      assert.equal(server.attributes['http.response.status_code'], 200);

      assert.equal(client.scope.name, expected.clientScope);
      assert.equal(client.traceId, server.traceId);
      assert.equal(client.attributes['url.full'], next);
      assert.equal(client.attributes['http.response.status_code'], 200);
      assert.equal(downServer.parentSpanId, client.spanId, 'the trace crosses into the downstream service');

      assert.equal(manual.kind, KIND.internal);
      assert.equal(manual.traceId, server.traceId);
      assert.equal(manual.attributes['work.id'], '42');

      assert.deepEqual(
        spansOf(r, service)
          .filter((s) => s.traceId !== server.traceId)
          .map((s) => s.name),
        [],
        'every span belongs to the /items trace (/health makes none)',
      );
      assert.equal(server.resource['service.name'], service);
      assert.equal(server.resource['telemetry.distro.name'], '@logos/otel');
      assert.equal(server.resource['process.pid'], ready.pid ?? app.child.pid);
      return server;
    },
    { show: [downstream] },
  );
}

/** The parent span id of the span named `name` in `service`. */
function parentOf(service: string, name: string): string | undefined {
  return spansOf(r, service).find((s) => s.name === name)?.parentSpanId;
}

const TS_EXPECTED = {
  serverName: 'GET /items/:id',
  route: '/items/:id',
  clientScope: '@opentelemetry/instrumentation-undici',
  manual: 'ts.work',
} as const;

/** In the Express app the fetch and the manual span hang under Express's request handler span. */
function assertExpressNesting(service: string, server: ReceivedSpan): void {
  const spans = spansOf(r, service);
  const handler = spans.find((s) => s.name === 'request handler');
  assert.equal(handler?.scope.name, '@opentelemetry/instrumentation-express');
  assert.equal(handler?.parentSpanId, server.spanId);
  assert.equal(spans.find((s) => s.kind === KIND.client)?.parentSpanId, handler?.spanId);
  assert.equal(parentOf(service, 'ts.work'), handler?.spanId);
}

// Each app is its own process with its own service name: they run side by side.
describe('one --import flag, every module system', { concurrency: true }, () => {
  test('CommonJS: require("node:http") server and http.get client, withSpan from require("@logos/otel")', async () => {
    const server = await checkTrace(
      { script: 'cjs-app.cjs' },
      {
        service: 'modules-cjs',
        serverName: 'GET',
        route: undefined,
        clientScope: '@opentelemetry/instrumentation-http',
        manual: 'cjs.work',
      },
    );
    const client = spansOf(r, 'modules-cjs').find((s) => s.kind === KIND.client);
    assert.equal(client?.parentSpanId, server.spanId, 'http.get is a child of the server span');
    assert.equal(parentOf('modules-cjs', 'cjs.work'), server.spanId);
  });

  test('TypeScript: node --import @logos/otel/register --import tsx ts-app.ts', async () => {
    const service = 'modules-ts-import';
    const server = await checkTrace(
      { script: 'ts-app.ts', nodeArgs: ['--import', 'tsx'] },
      { service, ...TS_EXPECTED },
    );
    assertExpressNesting(service, server);
  });

  test('TypeScript: NODE_OPTIONS="--import @logos/otel/register" tsx ts-app.ts', async () => {
    const service = 'modules-ts-node-options';
    const server = await checkTrace(
      {
        script: TSX_CLI,
        args: ['ts-app.ts'],
        register: false,
        env: { NODE_OPTIONS: `--import ${REGISTER}` },
      },
      { service, ...TS_EXPECTED },
    );
    assertExpressNesting(service, server);
  });

  test('TypeScript: node --import @logos/otel/register <tsx CLI> ts-app.ts (startFixture tsx)', async () => {
    // tsx's CLI runs the app in a child process it spawns without its own node flags.
    const service = 'modules-ts-cli-flag';
    const server = await checkTrace({ script: 'ts-app.ts', tsx: true }, { service, ...TS_EXPECTED });
    assertExpressNesting(service, server);
  });

  test('TypeScript: tsx --import @logos/otel/register ts-app.ts', async () => {
    const service = 'modules-ts-tsx-flag';
    const server = await checkTrace(
      { script: TSX_CLI, args: ['--import', REGISTER, 'ts-app.ts'], register: false },
      { service, ...TS_EXPECTED },
    );
    assertExpressNesting(service, server);
  });

  test('NODE_OPTIONS with tsx: only the app process reports, not the tsx CLI that launches it', async () => {
    // NODE_OPTIONS reaches every node process, tsx's launcher too; a second agent there would report
    // a second, idle instance of the service (its runtime metrics) under the same service name.
    const service = 'modules-ts-launcher';
    // The pids of each metrics export of the service, as they arrive.
    const exports: unknown[][] = [];
    const stopListening = r.onBatch((batch) => {
      if (batch.signal !== 'metrics') return;
      const mine = batch.items.filter((m) => m.resource['service.name'] === service);
      if (mine.length > 0) exports.push([...new Set(mine.map((m) => m.resource['process.pid']))]);
    });
    const app = startFixture({
      script: TSX_CLI,
      args: ['ts-app.ts'],
      register: false,
      env: { ...exportTo(r, service), NODE_OPTIONS: `--import ${REGISTER}` },
    });
    await supervise(app, async () => {
      const { pid } = await app.ready;
      const fromService = () => r.metrics.filter((m) => m.resource['service.name'] === service);
      // The app's second export comes one interval after its first: a launcher's agent, started
      // first, has reported by then.
      await r.waitFor(() => exports.filter((pids) => pids.includes(pid)).length >= 2, 5_000);
      const pids = new Set(fromService().map((m) => m.resource['process.pid']));
      assert.deepEqual([...pids], [pid], `the launcher is pid ${app.child.pid}`);
    }).finally(stopListening);
  });
});
