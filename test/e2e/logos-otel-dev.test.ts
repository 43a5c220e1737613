// `logos-otel dev` as a user runs it (the compiled bin): it receives a service's OTLP export and
// prints each finished trace as a tree, or as JSON with --json, and stops cleanly on Ctrl-C.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { portOf, ROOT, startFixture, supervise } from '../helpers/run-fixture.js';

const CLI = join(ROOT, 'dist', 'cli.js');

async function startDev(args: string[]) {
  const dev = startFixture({
    script: CLI,
    register: false,
    args: ['dev', '--grpc-port', '0', '--http-port', '0', ...args],
  });
  const line = await dev.line(/receiving OTLP on gRPC (http:\/\/\S+)/, {
    stream: 'stderr',
    timeoutMs: 10_000,
  });
  const endpoint = /receiving OTLP on gRPC (http:\/\/\S+)/.exec(line)?.[1] as string;
  return { dev, endpoint };
}

test('prints each finished trace as a tree with bars, durations and attributes', async () => {
  const { dev, endpoint } = await startDev(['--quiet-ms', '300']);
  const app = startFixture({
    script: 'http-service.mjs',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'shop', OTEL_BSP_SCHEDULE_DELAY: '50' },
  });
  await supervise([app, dev], async () => {
    const port = await portOf(app);
    await (
      await fetch(
        `http://127.0.0.1:${port}/hello?next=${encodeURIComponent(`http://127.0.0.1:${port}/hello`)}`,
      )
    ).text();
    await dev.line(/^trace [0-9a-f]{32} .* 5 spans {2}services: shop$/m, { timeoutMs: 10_000 });
    const lines = dev.stdout.split('\n');
    const tree = lines.slice(
      lines.findIndex((l) => l.startsWith('trace ')) + 1,
      lines.findIndex((l) => l.startsWith('trace ')) + 6,
    );
    assert.match(tree[0] ?? '', /^ {2}shop {2}GET +\|█+\| +[\d.]+ms server +http\.request\.method=GET/);
    assert.match(
      tree[1] ?? '',
      /^ {2}shop {4}GET .*client/,
      'the client call is indented under the server span',
    );
    assert.ok(tree.some((l) => /fixture\.work .*work\.kind=hello/.test(l)));
    dev.child.kill('SIGINT');
    assert.equal((await dev.exited).code, 0);
  });
});

test('--json prints one JSON object per trace', async () => {
  const { dev, endpoint } = await startDev(['--json', '--quiet-ms', '300']);
  const app = startFixture({
    script: 'http-service.mjs',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'shop', OTEL_BSP_SCHEDULE_DELAY: '50' },
  });
  await supervise([app, dev], async () => {
    const port = await portOf(app);
    await (await fetch(`http://127.0.0.1:${port}/hello`)).text();
    await dev.line(/^\{"traceId":/m, { timeoutMs: 10_000 });
    const trace = JSON.parse(dev.stdout.split('\n').find((l) => l.startsWith('{')) ?? '{}') as {
      traceId: string;
      spans: { name: string; traceId: string; startTimeUnixNano: string }[];
    };
    assert.match(trace.traceId, /^[0-9a-f]{32}$/);
    assert.deepEqual(trace.spans.map((s) => s.name).sort(), ['GET', 'fixture.work']);
    assert.ok(trace.spans.every((s) => s.traceId === trace.traceId));
    assert.match(trace.spans[0]?.startTimeUnixNano ?? '', /^\d+$/, 'nanosecond times as strings');
  });
});

test('a bad flag is one clear line and exit code 2', async () => {
  const run = startFixture({ script: CLI, register: false, args: ['dev', '--grpc-port', 'lots'] });
  const exit = await run.exited;
  assert.equal(exit.code, 2);
  assert.equal(
    run.stderr.trim(),
    "logos-otel: --grpc-port must be a port number (0 for any free port) or 'off', not 'lots'",
  );
});

test('with the register in NODE_OPTIONS and the endpoint at itself, dev does not trace its own receiver', async () => {
  // The shell a user starts services from often exports both: dev then loads the agent too.
  const free = createServer().listen(0, '127.0.0.1');
  await once(free, 'listening');
  const grpcPort = (free.address() as AddressInfo).port;
  await new Promise((resolve) => free.close(resolve));
  const endpoint = `http://127.0.0.1:${grpcPort}`;
  const dev = startFixture({
    script: CLI,
    register: false,
    args: ['dev', '--grpc-port', String(grpcPort), '--http-port', '0', '--quiet-ms', '200'],
    env: {
      NODE_OPTIONS: '--import @logos/otel/register',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_SERVICE_NAME: 'dev-itself',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_METRIC_EXPORT_INTERVAL: '200',
    },
  });
  // The app's one span is sent once dev listens: a collector that refuses the first export loses it.
  await dev.line(/receiving OTLP/, { stream: 'stderr', timeoutMs: 10_000 });
  const app = startFixture({
    script: 'http-service.mjs',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'shop', OTEL_BSP_SCHEDULE_DELAY: '50' },
  });
  await supervise([app, dev], async () => {
    const port = await portOf(app);
    await (await fetch(`http://127.0.0.1:${port}/hello`)).text();
    await dev.line(/services: shop$/m, { timeoutMs: 10_000 });
    // The app's trace took longer than several of the dev agent's metric intervals.
    assert.doesNotMatch(dev.stdout, /dev-itself|collector\.(trace|metrics)\.v1/, dev.output());
  });
});
