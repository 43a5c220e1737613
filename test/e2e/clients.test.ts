// Database and RPC clients are instrumented when the app uses them: pg, ioredis, redis and mongodb
// are patched (no database runs here), and a real gRPC call makes linked client and server spans.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exportTo, KIND, type Receiver, receiver, waitForSpan } from '../helpers/otlp.js';
import { runFixture } from '../helpers/run-fixture.js';

let r: Receiver;
before(async () => {
  r = await receiver();
});
after(() => r.close());

test('with the register: clients patched, gRPC traced across client and server', async () => {
  const run = await runFixture({ script: 'clients.cjs', env: exportTo(r, 'clients') });
  assert.equal(run.code, 0, run.output);
  const result = JSON.parse(run.stdout) as { patched: Record<string, boolean>; echo: string };
  assert.deepEqual(result, { patched: { pg: true, ioredis: true, redis: true, mongodb: true }, echo: 'hi' });
  const client = await waitForSpan(
    r,
    'clients',
    (s) => s.kind === KIND.client && s.attributes['rpc.system'] === 'grpc',
  );
  const server = await waitForSpan(
    r,
    'clients',
    (s) => s.kind === KIND.server && s.attributes['rpc.system'] === 'grpc',
  );
  assert.equal(client.name, 'grpc.logos.Echo/Echo');
  assert.equal(server.parentSpanId, client.spanId);
  assert.equal(server.traceId, client.traceId);
  assert.equal(server.attributes['rpc.grpc.status_code'], 0);
  assert.equal(run.stderr, '');
});

test('without the register nothing is patched (the check can tell the difference)', async () => {
  const run = await runFixture({ script: 'clients.cjs', register: false });
  assert.equal(run.code, 0, run.output);
  assert.deepEqual((JSON.parse(run.stdout) as { patched: unknown }).patched, {
    pg: false,
    ioredis: false,
    redis: false,
    mongodb: false,
  });
});

test('OTEL_NODE_DISABLED_INSTRUMENTATIONS leaves the named clients alone', async () => {
  const run = await runFixture({
    script: 'clients.cjs',
    env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg,mongodb' },
  });
  assert.equal(run.code, 0, run.output);
  assert.deepEqual((JSON.parse(run.stdout) as { patched: unknown }).patched, {
    pg: false,
    ioredis: true,
    redis: true,
    mongodb: false,
  });
});
