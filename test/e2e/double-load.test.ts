// Loading the agent twice starts the SDK once: the register imported through NODE_OPTIONS and the
// command line, both entries (-r and --import), or two copies of the package still give one span
// per operation; a child process that inherits NODE_OPTIONS gets its own agent.
// Fixtures: http-service.mjs, spawn-child.mjs.
import assert from 'node:assert/strict';
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { exportTo, KIND, type Receiver, receiver, spansOf } from '../helpers/otlp.js';
import {
  type FixtureOptions,
  portOf,
  REGISTER,
  ROOT,
  runFixture,
  startFixture,
  supervise,
} from '../helpers/run-fixture.js';

// A second copy of the package inside the repo, so its imports resolve from the repo's node_modules.
const COPY = join(ROOT, 'test', `.tmp-copy-${process.pid}`);
const COPY_REGISTER = join(COPY, 'dist', 'register.js');

let r: Receiver;
before(async () => {
  r = await receiver();
  await mkdir(COPY, { recursive: true });
  await cp(join(ROOT, 'dist'), join(COPY, 'dist'), { recursive: true });
  await cp(join(ROOT, 'package.json'), join(COPY, 'package.json'));
});
after(async () => {
  await rm(COPY, { recursive: true, force: true });
  await r.close();
});

const REQUESTS = 3;

/**
 * Runs http-service.mjs with `options`, sends a few requests, stops it, and asserts one server span
 * and one `fixture.work` span per request, both in the receiver and on the console.
 */
async function assertOneSpanPerOperation(
  service: string,
  options: Omit<FixtureOptions, 'script'>,
): Promise<void> {
  const app = startFixture({
    script: 'http-service.mjs',
    ...options,
    env: { ...exportTo(r, service), OTEL_EXPORT_CONSOLE: 'true', ...options.env },
    timeoutMs: 15_000,
  });
  await supervise(
    app,
    async () => {
      const port = await portOf(app);
      for (let i = 0; i < REQUESTS; i++)
        assert.equal(await (await fetch(`http://127.0.0.1:${port}/hello`)).text(), 'hello ');
      const exit = await app.stop();
      assert.equal(exit.signal, 'SIGTERM');

      const spans = spansOf(r, service);
      const servers = spans.filter((s) => s.kind === KIND.server);
      const works = spans.filter((s) => s.name === 'fixture.work');
      assert.equal(servers.length, REQUESTS, 'one server span per request');
      assert.equal(works.length, REQUESTS, 'one fixture.work span per request');
      for (const server of servers) assert.equal(server.parentSpanId, '', 'no server span inside another');
      const serverIds = new Set(servers.map((s) => s.spanId));
      for (const work of works)
        assert.ok(serverIds.has(work.parentSpanId), 'fixture.work is a child of a server span');

      const consoleLines = app.stderr.split('\n').filter((l) => l.startsWith(`[otel] ${service} `));
      const consoleIds = consoleLines.map((l) => /\bspan=([0-9a-f]{16})\b/.exec(l)?.[1]);
      assert.equal(consoleLines.length, spans.length, 'one console line per span');
      assert.deepEqual(
        new Set(consoleIds),
        new Set(spans.map((s) => s.spanId)),
        'the console shows the exported spans',
      );
      assert.deepEqual(
        app.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('[otel] ')),
        [],
        'the agent prints nothing else',
      );
    },
    { stop: 'SIGKILL' },
  );
}

test('the register in NODE_OPTIONS and on the command line: one span per operation', async () => {
  await assertOneSpanPerOperation('twice-flag', { env: { NODE_OPTIONS: `--import ${REGISTER}` } });
});

test('the -r and --import entries together: one span per operation', async () => {
  await assertOneSpanPerOperation('require-and-import', { nodeArgs: ['-r', REGISTER] });
  await assertOneSpanPerOperation('import-and-require-options', {
    env: { NODE_OPTIONS: `-r ${REGISTER}` },
  });
});

test('two copies of the package: the copy alone works, and both together start the SDK once', async () => {
  await assertOneSpanPerOperation('copy-alone', { register: false, nodeArgs: ['--import', COPY_REGISTER] });
  await assertOneSpanPerOperation('two-copies', { nodeArgs: ['--import', COPY_REGISTER] });
  await assertOneSpanPerOperation('two-copies-reversed', {
    register: false,
    nodeArgs: ['--import', COPY_REGISTER, '--import', REGISTER],
  });
});

test('a child process that inherits NODE_OPTIONS gets its own agent', async () => {
  const run = await runFixture({
    script: 'spawn-child.mjs',
    register: false,
    env: { ...exportTo(r, 'parent-child'), NODE_OPTIONS: `--import ${REGISTER}` },
    timeoutMs: 15_000,
  });
  await supervise({ output: () => run.output }, async () => {
    assert.deepEqual({ code: run.code, signal: run.signal }, { code: 0, signal: null });
    const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
    assert.ok(line, 'the app printed its report');
    const report = JSON.parse(line) as {
      parentPid: number;
      childPid: number;
      code: number;
      child: { spans: number };
    };
    assert.equal(report.code, 0, 'the child exited 0');
    assert.notEqual(report.parentPid, report.childPid);

    const spans = spansOf(r, 'parent-child');
    const parent = spans.filter((s) => s.name === 'parent.work');
    const child = spans.filter((s) => s.name === 'short.work');
    assert.equal(parent.length, 1);
    assert.equal(parent[0]?.resource['process.pid'], report.parentPid);
    assert.equal(child.length, report.child.spans, "every one of the child's spans arrives");
    for (const span of child) assert.equal(span.resource['process.pid'], report.childPid, 'with its own pid');
    assert.equal(run.stderr, '');
  });
});
