// @logos/otel/testing captures a service's spans in-process, with and without the register loaded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFixture } from '../helpers/run-fixture.js';

for (const register of [true, false]) {
  test(`captureSpans works ${register ? 'with' : 'without'} the register`, async () => {
    const run = await runFixture({
      script: 'testing-kit.mjs',
      register,
      env: { OTEL_SERVICE_NAME: 'sophia' },
    });
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(JSON.parse(run.stdout), {
      names: ['sophia.simulate', 'sophia.plan'],
      goal: 'tidy',
      service: 'sophia',
      nested: true,
    });
    assert.equal(run.stderr, '');
  });
}
