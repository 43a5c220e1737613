// installShutdown with a stand-in agent whose flush takes a while on node:test's mock clock: on
// SIGTERM/SIGINT a flush, then the synchronous hand-off and the final report, then death by the same
// signal (and not before the flush settles); a second signal dies at once; an app's own handler keeps
// the process alive; beforeExit flushes only what is new and gives up on a collector that did not
// answer; exit hands off synchronously. process.kill and process.exit are replaced for the test, and
// the process's other signal listeners are set aside, so nothing here ends the test process.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { StartedAgent } from '../../src/boot/sdk.js';
import { installShutdown } from '../../src/boot/shutdown.js';

/** Lets promise callbacks run (setImmediate is not mocked). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

const FLUSH_MS = 500;
const EVENTS = ['SIGTERM', 'SIGINT', 'beforeExit', 'exit'] as const;
type Event = (typeof EVENTS)[number];

interface Harness {
  /** What the agent and the process were asked to do, in order. */
  calls: string[];
  /** What agent.undelivered() answers. */
  undelivered: number;
  remove: () => void;
  /** Calls the listener installShutdown added for `event`. */
  emit(event: Event): void;
}

// The process as a plain emitter: its typed overloads take one event kind at a time.
const emitter: NodeJS.EventEmitter = process;

let aside: Map<Event, ((...args: unknown[]) => void)[]>;
let h: Harness;

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout'] });
  // The test runner's own listeners would make the agent think the app handles the signals.
  aside = new Map();
  for (const event of EVENTS) {
    aside.set(event, emitter.listeners(event) as never);
    process.removeAllListeners(event);
  }
  const calls: string[] = [];
  mock.method(process, 'kill', (pid: number, signal: string) => {
    calls.push(`kill ${pid === process.pid ? 'self' : pid} ${signal}`);
    return true;
  });
  mock.method(process, 'exit', () => {
    calls.push('exit');
  });
  const agent: Pick<StartedAgent, 'flush' | 'flushSync' | 'finalReport' | 'undelivered'> = {
    flush: (timeoutMs?: number, atExit?: boolean) => {
      calls.push(`flush${timeoutMs === undefined ? '' : ` ${timeoutMs}`}${atExit ? ' at exit' : ''}`);
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          calls.push('flushed');
          resolve();
        }, FLUSH_MS),
      );
    },
    flushSync: () => calls.push('flushSync'),
    finalReport: () => calls.push('finalReport'),
    undelivered: () => h.undelivered,
  };
  const remove = installShutdown(agent as StartedAgent);
  h = {
    calls,
    undelivered: 0,
    remove,
    emit: (event) => {
      const listener = emitter.listeners(event).at(-1) as ((arg: unknown) => void) | undefined;
      assert.ok(listener, `a listener for ${event}`);
      listener(event === 'beforeExit' || event === 'exit' ? 0 : event);
    },
  };
});

afterEach(() => {
  h.remove();
  mock.timers.reset();
  mock.restoreAll();
  for (const [event, listeners] of aside) for (const listener of listeners) emitter.on(event, listener);
});

const listening = () => EVENTS.map((event) => process.listenerCount(event));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} with no app handler: a flush, then the hand-off and the report, then death by ${signal}`, async () => {
    h.emit(signal);
    mock.timers.tick(FLUSH_MS - 1);
    await settle();
    assert.deepEqual(h.calls, ['flush'], 'nothing but the flush until it settles');
    mock.timers.tick(1);
    await settle();
    assert.deepEqual(h.calls, ['flush', 'flushed', 'flushSync', 'finalReport', `kill self ${signal}`]);
    assert.deepEqual(listening(), [0, 0, 0, 0], 'removed first, so the signal meets Node’s default');
  });
}

test('a second signal while the first one flushes dies at once', async () => {
  h.emit('SIGTERM');
  h.emit('SIGINT');
  assert.deepEqual(h.calls, ['flush', 'kill self SIGINT']);
  assert.deepEqual(listening(), [0, 0, 0, 0]);
});

test('an app that handles the signal keeps the process: only a flush, and the handling stays', async () => {
  const appHandler = () => undefined;
  process.on('SIGTERM', appHandler);
  try {
    const ours = process.listeners('SIGTERM')[0] as (signal: string) => void;
    ours('SIGTERM');
    mock.timers.tick(FLUSH_MS);
    await settle();
    assert.deepEqual(h.calls, ['flush', 'flushed']);
    assert.equal(process.listenerCount('SIGTERM'), 2);
    ours('SIGTERM');
    assert.deepEqual(h.calls, ['flush', 'flushed', 'flush'], 'each signal flushes again');
  } finally {
    process.removeListener('SIGTERM', appHandler);
  }
});

test('beforeExit flushes (at exit), ignores itself while flushing, and then only when there is something new', async () => {
  h.emit('beforeExit');
  h.emit('beforeExit');
  assert.deepEqual(h.calls, ['flush at exit']);
  mock.timers.tick(FLUSH_MS);
  await settle();
  assert.deepEqual(h.calls, ['flush at exit', 'flushed'], 'everything delivered: the process ends by itself');
  h.emit('beforeExit');
  assert.equal(h.calls.length, 2, 'nothing new: no second flush');
  h.undelivered = 3;
  h.emit('beforeExit');
  assert.deepEqual(h.calls.slice(2), ['flush at exit']);
});

test('beforeExit gives up on a collector that did not answer in time: the process exits', async () => {
  h.undelivered = 5;
  h.emit('beforeExit');
  mock.timers.tick(FLUSH_MS - 1);
  await settle();
  assert.deepEqual(h.calls, ['flush at exit'], 'not before the flush settled');
  mock.timers.tick(1);
  await settle();
  assert.deepEqual(h.calls, ['flush at exit', 'flushed', 'exit']);
});

test('a signal during the beforeExit flush dies at once', () => {
  h.emit('beforeExit');
  h.emit('SIGTERM');
  assert.deepEqual(h.calls, ['flush at exit', 'kill self SIGTERM']);
});

test('exit hands what is left over synchronously, then says what was lost', () => {
  h.emit('exit');
  assert.deepEqual(h.calls, ['flushSync', 'finalReport']);
});

test('the returned function removes every listener it added', () => {
  assert.deepEqual(listening(), [1, 1, 1, 1]);
  h.remove();
  assert.deepEqual(listening(), [0, 0, 0, 0]);
});
