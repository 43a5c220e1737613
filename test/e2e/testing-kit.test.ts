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

for (const register of [true, false]) {
  test(`the README's captureSpans example finds sophia.plan ${register ? 'with' : 'without'} the register`, async () => {
    // No OTEL_SERVICE_NAME: with the register the agent is named after package.json, and the
    // example must still work.
    const run = await runFixture({ script: 'testing-kit-readme.mjs', register });
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(JSON.parse(run.stdout), { names: ['sophia.plan'] });
    assert.equal(run.stderr, '');
  });
}
