// Zero harm: each fixture in test/fixtures/harm/ prints what an app can observe of its framework
// (return values, errors, hooks, plugin trees, streams, response bodies). Under the agent, without an
// endpoint, with one that refuses connections and with a live receiver, that must be what it is bare,
// and the agent must print nothing about it; `traced` proves the instrumented path really ran.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closedPort, exportTo, type Receiver, receiver, waitForSpan } from '../helpers/otlp.js';
import { runFixture } from '../helpers/run-fixture.js';

interface Observed {
  readonly same: unknown;
  readonly traced: boolean;
}

const FIXTURES = [
  'http',
  'fastify',
  'fastify-subscriber',
  'express',
  'koa',
  'pino',
  'winston',
  'api',
] as const;

async function observe(
  script: string,
  options: { register: boolean; env?: Record<string, string> },
): Promise<Observed & { stderr: string }> {
  const run = await runFixture({ script: `harm/${script}.mjs`, ...options, timeoutMs: 30_000 });
  assert.equal(run.code, 0, run.output);
  const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
  assert.ok(line, run.output);
  return { ...(JSON.parse(line) as Observed), stderr: run.stderr };
}

let r: Receiver;
let refused: string;
before(async () => {
  r = await receiver();
  refused = `http://127.0.0.1:${await closedPort()}`;
});
after(async () => {
  await r.close();
});

describe('an app behaves the same under the agent as bare', { concurrency: 2 }, () => {
  for (const name of FIXTURES) {
    test(name, async () => {
      const bare = await observe(name, { register: false });
      assert.equal(bare.traced, false, 'bare, nothing is traced');
      assert.equal(bare.stderr, '');

      const silent = await observe(name, { register: true });
      assert.equal(silent.traced, true, 'the instrumented path ran');
      assert.deepEqual(silent.same, bare.same, 'no endpoint');
      assert.equal(silent.stderr, '', 'nothing is printed without an endpoint');

      const down = await observe(name, {
        register: true,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: refused, OTEL_SERVICE_NAME: `harm-${name}-down` },
      });
      assert.deepEqual(down.same, bare.same, 'collector down');
      // The one line the agent may print here is its own, about the collector.
      for (const l of down.stderr.split('\n').filter((x) => x !== '')) {
        assert.match(l, /^@logos\/otel: .*(export|collector)/i, down.stderr);
      }

      const service = `harm-${name}-live`;
      const live = await observe(name, { register: true, env: exportTo(r, service) });
      assert.deepEqual(live.same, bare.same, 'exporting');
      assert.equal(live.stderr, '', 'nothing is printed while exporting');
      await waitForSpan(r, service, () => true);
    });
  }
});
