// A service's own metrics (getMeter) made at import time, before the metrics SDK loads (it loads
// after start-up), still reach the collector, also from a script that ends at once and made no
// span. Fixture: own-metrics.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exportTo, type Receiver, receiver } from '../helpers/otlp.js';
import { runFixture } from '../helpers/run-fixture.js';

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
