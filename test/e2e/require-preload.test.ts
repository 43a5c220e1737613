// `node -r @logos/otel/register` traces CommonJS apps, ts-node-style require() preload chains (which
// no --import lets run) and apps behind tsx's CLI, with the agent started before the app's first
// line. Fixtures: cjs-app.cjs, cjs-project/ through ts-node and through ts-require-hook.cjs, ts-app.ts.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { exportTo, KIND, type ReceivedSpan, type Receiver, receiver, spansOf } from '../helpers/otlp.js';
import { type FixtureOptions, portOf, REGISTER, startFixture, supervise } from '../helpers/run-fixture.js';

/** tsx's CLI as `node_modules/.bin/tsx` runs it, relative to test/fixtures (startFixture's base). */
const TSX_CLI = '../../node_modules/tsx/dist/cli.mjs';
const MACHINE_ID = ['/etc/machine-id', '/var/lib/dbus/machine-id'].find((path) => existsSync(path));

let r: Receiver;
before(async () => {
  r = await receiver();
});
after(async () => {
  await r.close();
});

/**
 * Starts the app as `service`, calls GET `path`, checks the answer, and returns the server span it
 * exported, once only the app's own process (the pid it printed, else the child) has reported.
 */
async function serverSpan(
  service: string,
  options: FixtureOptions,
  path: string,
  answer: RegExp,
): Promise<ReceivedSpan> {
  const app = startFixture({ register: false, ...options, env: { ...exportTo(r, service), ...options.env } });
  return await supervise(app, async () => {
    const port = await portOf(app);
    const ready = await app.ready;
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), answer);
    await r.waitFor(() => spansOf(r, service).some((s) => s.kind === KIND.server), 10_000);
    const server = spansOf(r, service).find((s) => s.kind === KIND.server) as ReceivedSpan;
    assert.equal(server.attributes['url.path'], path);
    assert.equal(server.attributes['http.response.status_code'], 200);
    assert.equal(server.resource['service.name'], service);
    assert.equal(server.resource['process.pid'], ready.pid ?? app.child.pid);
    // Started without waiting for it, the resource is still complete in every export.
    if (MACHINE_ID !== undefined)
      assert.equal(server.resource['host.id'], readFileSync(MACHINE_ID, 'utf8').trim());
    assert.equal(app.stderr, '', 'the agent prints nothing');
    return server;
  });
}

describe('-r @logos/otel/register', { concurrency: true }, () => {
  test('node -r @logos/otel/register app.cjs: server span and the manual span inside it', async () => {
    const service = 'require-cjs';
    const server = await serverSpan(
      service,
      { script: 'cjs-app.cjs', nodeArgs: ['-r', REGISTER] },
      '/items/7',
      /item 7/,
    );
    const work = spansOf(r, service).find((s) => s.name === 'cjs.work');
    assert.equal(work?.parentSpanId, server.spanId);
    assert.equal(work?.attributes['work.id'], '7');
  });

  test('NODE_OPTIONS="-r @logos/otel/register" node app.cjs', async () => {
    await serverSpan(
      'require-node-options',
      { script: 'cjs-app.cjs', env: { NODE_OPTIONS: `-r ${REGISTER}` } },
      '/items/8',
      /item 8/,
    );
  });

  test('a ts-node-style preload chain: node -r <TypeScript require hook> -r @logos/otel/register server.ts', async () => {
    // The project needs Node's CommonJS loader (__dirname, a directory import, an enum compiled by
    // the hook); any --import would hand the entry to the ESM loader, which ignores the hook.
    await serverSpan(
      'require-ts-hook',
      { script: 'cjs-project/server.ts', nodeArgs: ['-r', './ts-require-hook.cjs', '-r', REGISTER] },
      '/items/9',
      /^hello 9$/,
    );
  });

  test('ts-node itself: node -r ts-node/register/transpile-only -r @logos/otel/register server.ts', async () => {
    await serverSpan(
      'require-ts-node',
      {
        script: 'cjs-project/server.ts',
        nodeArgs: ['-r', 'ts-node/register/transpile-only', '-r', REGISTER],
      },
      '/items/11',
      /^hello 11$/,
    );
  });

  test('node -r @logos/otel/register <tsx CLI> app.ts: the flag is passed on to the app tsx starts', async () => {
    // tsx's CLI runs the app in a child process without its own node flags; the span comes from
    // that child (the pid ts-app.ts prints).
    await serverSpan(
      'require-tsx',
      { script: TSX_CLI, args: ['ts-app.ts'], nodeArgs: ['-r', REGISTER] },
      '/items/10',
      /"id":"10"/,
    );
  });
});
