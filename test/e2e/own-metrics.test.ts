// A service's own metrics (getMeter) made at import time, before the metrics SDK loads (it loads
// after start-up), still reach the collector: from a script that ends at once, with or without a
// span, and from a service stopped by SIGTERM before the SDK loaded. Fixture: own-metrics.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exportTo, type Receiver, receiver } from '../helpers/otlp.js';
import { runFixture, startFixture } from '../helpers/run-fixture.js';

let r: Receiver;
before(async () => {
  r = await receiver();
});
after(() => r.close());

for (const span of ['1', '0']) {
  test(`counts made before the metrics SDK loaded are delivered at exit (${span === '1' ? 'with' : 'without'} a span)`, async () => {
    const service = `own-metrics-${span}`;
    const run = await runFixture({
      script: 'own-metrics.mjs',
      env: { ...exportTo(r, service), SPAN: span },
      timeoutMs: 10_000,
    });
    assert.equal(run.code, 0, run.output);
    const mine = r.metrics.filter((m) => m.resource['service.name'] === service);
    const placed = mine.find((m) => m.name === 'orders.placed');
    assert.ok(placed, `orders.placed arrived\n${run.output}`);
    assert.equal(placed.scope.name, 'orders');
    assert.deepEqual(
      placed.dataPoints.map((p) => [p.attributes.region, Number(p.value)]),
      [['eu', 5]],
    );
    const queue = mine.find((m) => m.name === 'orders.queue');
    assert.deepEqual(
      queue?.dataPoints.map((p) => Number(p.value)),
      [7],
    );
    assert.equal(run.stderr, '', 'the agent says nothing when all goes well');
  });
}

test('SIGTERM before the metrics SDK loaded delivers what was counted, under the attributes of the moment', async () => {
  const service = 'own-metrics-sigterm';
  const app = startFixture({
    script: 'own-metrics.mjs',
    env: { ...exportTo(r, service), SPAN: '0', STAY: '1' },
  });
  await app.ready;
  // At once: the SDK would load 1 s after start.
  const exit = await app.stop('SIGTERM');
  assert.equal(exit.signal, 'SIGTERM', app.output());
  const placed = r.metrics.find((m) => m.resource['service.name'] === service && m.name === 'orders.placed');
  assert.ok(placed, `orders.placed arrived\n${app.output()}`);
  assert.deepEqual(placed.dataPoints.map((p) => [p.attributes.region, Number(p.value)]).sort(), [
    ['eu', 5],
    ['us', 1],
  ]);
});
