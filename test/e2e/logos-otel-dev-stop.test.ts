// `logos-otel dev` never keeps its ports after it should be gone: SIGINT, SIGTERM and SIGHUP close
// the receiver and exit 0 promptly, and a parent killed outright (an npx with SIGKILL) takes it down.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Fixture, ROOT, startFixture, supervise } from '../helpers/run-fixture.js';

const CLI = join(ROOT, 'dist', 'cli.js');
const LINE = /receiving OTLP on gRPC http:\/\/127\.0\.0\.1:(\d+) and HTTP http:\/\/127\.0\.0\.1:(\d+)/;

async function ports(fixture: Fixture): Promise<number[]> {
  // src/cli/dev.ts handles signals before it prints this line: a signal may follow it at once.
  const line = await fixture.line(LINE, { stream: 'stderr', timeoutMs: 10_000 });
  const match = LINE.exec(line) as RegExpExecArray;
  return [Number(match[1]), Number(match[2])];
}

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Waits until nothing listens on any of `list`; false if something still does after `withinMs`. */
async function freed(list: number[], withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const open = await Promise.all(list.map(accepts));
    if (!open.some(Boolean)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  test(`${signal} closes the receiver and exits 0 promptly`, async () => {
    const dev = startFixture({
      script: CLI,
      register: false,
      args: ['dev', '--grpc-port', '0', '--http-port', '0'],
    });
    await supervise(
      dev,
      async () => {
        const list = await ports(dev);
        assert.deepEqual(await Promise.all(list.map(accepts)), [true, true]);
        const sent = Date.now();
        dev.child.kill(signal);
        const exit = await dev.exited;
        assert.equal(exit.code, 0, dev.output());
        assert.ok(exit.at - sent < 2000, `exited ${exit.at - sent} ms after ${signal}`);
        assert.ok(await freed(list, 1000), dev.output());
      },
      { stop: 'SIGKILL' },
    );
  });
}

for (const viaSh of [false, true]) {
  test(`when its parent is killed (SIGKILL, as for npx)${viaSh ? ' with sh -c between them, as npm runs bins' : ''}, the receiver frees its ports within seconds`, async () => {
    const parent = startFixture({
      script: 'cli-parent.mjs',
      register: false,
      args: [CLI, 'dev', '--grpc-port', '0', '--http-port', '0'],
      env: { VIA_SH: String(viaSh) },
    });
    let childPid: number | undefined;
    try {
      childPid = (await parent.ready).pid as number;
      const list = await ports(parent);
      parent.child.kill('SIGKILL');
      await parent.exited;
      assert.ok(await freed(list, 5000), `ports ${list.join(', ')} still taken\n${parent.output()}`);
      // Whatever tells the parent's death, the receiver process itself is gone too.
      const deadline = Date.now() + 2000;
      while (isAlive(childPid) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(isAlive(childPid), false);
    } finally {
      if (childPid !== undefined && isAlive(childPid)) process.kill(childPid, 'SIGKILL');
    }
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
