// Worker threads inherit `--import`, but the agent runs on the main thread only: a worker behaves
// and prints exactly as without the agent, and the main thread's spans export. Fixture: worker-app.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exportTo, KIND, type Receiver, receiver, spansOf } from '../helpers/otlp.js';
import { runFixture, supervise } from '../helpers/run-fixture.js';

let r: Receiver;
before(async () => {
  r = await receiver();
});
after(() => r.close());

function workerLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('worker:'));
}

test('an app with a worker thread runs as without the agent, and the main thread exports', async () => {
  const env = exportTo(r, 'worker-app');
  const [bare, agent] = await Promise.all([
    runFixture({ script: 'worker-app.mjs', register: false, env, timeoutMs: 15_000 }),
    runFixture({ script: 'worker-app.mjs', env, timeoutMs: 15_000 }),
  ]);
  await supervise([{ output: () => bare.output }, { output: () => agent.output }], async () => {
    assert.deepEqual({ code: bare.code, signal: bare.signal }, { code: 0, signal: null });
    assert.deepEqual({ code: agent.code, signal: agent.signal }, { code: 0, signal: null });
    assert.equal(workerLines(bare.stdout).length, 5, 'the worker printed its lines');
    assert.deepEqual(workerLines(agent.stdout), workerLines(bare.stdout), "the worker's output is unchanged");
    assert.ok(workerLines(agent.stdout).includes('worker: agent=false'), 'no agent in the worker');
    assert.equal(agent.stderr, '', 'nothing on stderr');

    const last = agent.stdout.split('\n').find((l) => l.startsWith('{'));
    assert.ok(last);
    const report = JSON.parse(last) as { main: string; worker: { sum: number }; pid: number };
    assert.deepEqual({ main: report.main, sum: report.worker.sum }, { main: 'main', sum: 55 });

    const spans = spansOf(r, 'worker-app');
    const main = spans.find((s) => s.name === 'main.work');
    const server = spans.find((s) => s.kind === KIND.server && s.attributes['url.path'] === '/in-main');
    assert.ok(main, "the main thread's manual span is exported");
    assert.ok(server, "the main thread's server span is exported");
    assert.equal(main.resource['process.pid'], report.pid);
    assert.equal(server.traceId, main.traceId, 'the request made in main.work is traced through');
    assert.deepEqual(
      spans.filter((s) => s.name === 'worker.job' || s.attributes['url.path'] === '/in-worker'),
      [],
      'nothing is traced in the worker',
    );
  });
});
