// SpanFanOut: every span reaches every processor in order, processors added or removed later take
// part from the next span on, one that throws is skipped (said once) without stopping the others,
// and flush and shutdown wait for the slowest processor and never fail. Slow processors answer on
// node:test's mock clock; the processors are stand-ins that record what they got.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { SpanFanOut } from '../../src/traces/span-fan-out.js';

/** Lets promise callbacks run (setImmediate is not mocked). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

const span = (name: string) => ({ name }) as unknown as Span & ReadableSpan;

interface Recorder extends SpanProcessor {
  readonly calls: string[];
}

/** A processor that records its calls as `<name> <hook> <span>`; flush and shutdown take `delayMs`. */
function recorder(
  name: string,
  options: { delayMs?: number; throwIn?: string; fail?: boolean; noOnEnding?: boolean } = {},
): Recorder {
  const calls: string[] = [];
  const hook = (kind: string) => (s: { name: string }) => {
    if (options.throwIn === kind) throw new Error(`${name} broke in ${kind}`);
    calls.push(`${name} ${kind} ${s.name}`);
  };
  const later = (kind: string) => () =>
    new Promise<void>((resolve, reject) => {
      setTimeout(() => {
        calls.push(`${name} ${kind}`);
        if (options.fail) reject(new Error(`${name} ${kind} failed`));
        else resolve();
      }, options.delayMs ?? 0);
    });
  return {
    calls,
    onStart: hook('start'),
    ...(options.noOnEnding ? {} : { onEnding: hook('ending') }),
    onEnd: hook('end'),
    forceFlush: later('flush'),
    shutdown: later('shutdown'),
  };
}

let lines: string[];
beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout'] });
  lines = [];
  // The fan-out's one-time line goes to stderr through the logger; collected here instead.
  mock.method(process.stderr, 'write', (chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  mock.timers.reset();
  mock.restoreAll();
});

const run = (fanOut: SpanFanOut, name: string): void => {
  const s = span(name);
  fanOut.onStart(s, ROOT_CONTEXT);
  fanOut.onEnding?.(s);
  fanOut.onEnd(s);
};

test('every span reaches every processor, in the order they were given', () => {
  const a = recorder('a');
  const b = recorder('b');
  run(new SpanFanOut([a, b]), 's1');
  assert.deepEqual(a.calls, ['a start s1', 'a ending s1', 'a end s1']);
  assert.deepEqual(b.calls, ['b start s1', 'b ending s1', 'b end s1']);
});

test('a processor without onEnding is passed over at the ending, not at the start or end', () => {
  const a = recorder('a', { noOnEnding: true });
  run(new SpanFanOut([a]), 's1');
  assert.deepEqual(a.calls, ['a start s1', 'a end s1']);
});

test('a processor added or removed takes part from the next span on, even when changed mid-span', () => {
  const a = recorder('a');
  const b = recorder('b');
  const fanOut = new SpanFanOut([a]);
  const s1 = span('s1');
  fanOut.onStart(s1, ROOT_CONTEXT);
  fanOut.add(b);
  fanOut.onEnd(s1);
  run(fanOut, 's2');
  fanOut.remove(a);
  run(fanOut, 's3');
  assert.deepEqual(a.calls, ['a start s1', 'a end s1', 'a start s2', 'a ending s2', 'a end s2']);
  assert.deepEqual(b.calls, [
    'b end s1',
    'b start s2',
    'b ending s2',
    'b end s2',
    'b start s3',
    'b ending s3',
    'b end s3',
  ]);
});

test('a processor added while the fan-out loops over the processors waits for the next span', () => {
  const fanOut = new SpanFanOut();
  const late = recorder('late');
  const adder: SpanProcessor = {
    onStart: () => fanOut.add(late),
    onEnd: () => undefined,
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  fanOut.add(adder);
  fanOut.onStart(span('s1'), ROOT_CONTEXT);
  assert.deepEqual(late.calls, []);
  fanOut.remove(adder);
  fanOut.onStart(span('s2'), ROOT_CONTEXT);
  assert.deepEqual(late.calls, ['late start s2']);
});

test('a processor that throws is skipped, the others still get the span, and it is said once', () => {
  const broken = recorder('broken', { throwIn: 'start' });
  const after = recorder('after');
  const fanOut = new SpanFanOut([broken, after]);
  run(fanOut, 's1');
  run(fanOut, 's2');
  assert.deepEqual(broken.calls, ['broken ending s1', 'broken end s1', 'broken ending s2', 'broken end s2']);
  assert.equal(after.calls.length, 6);
  const said = lines.filter((l) => l.includes('a span processor failed and was skipped'));
  assert.equal(said.length, 1, lines.join(''));
  assert.match(said[0] ?? '', /broken broke in start/);
});

test('a processor that throws at the ending or at the end does not stop the others', () => {
  const atEnding = recorder('ending', { throwIn: 'ending' });
  const atEnd = recorder('end', { throwIn: 'end' });
  const after = recorder('after');
  run(new SpanFanOut([atEnding, atEnd, after]), 's1');
  assert.deepEqual(after.calls, ['after start s1', 'after ending s1', 'after end s1']);
});

test('forceFlush settles when the slowest processor has flushed, not before', async () => {
  const fast = recorder('fast', { delayMs: 100 });
  const slow = recorder('slow', { delayMs: 5000 });
  let flushed = false;
  void new SpanFanOut([fast, slow]).forceFlush().then(() => {
    flushed = true;
  });
  mock.timers.tick(100);
  await settle();
  assert.deepEqual([...fast.calls, ...slow.calls], ['fast flush']);
  assert.equal(flushed, false);
  mock.timers.tick(4899);
  await settle();
  assert.equal(flushed, false, 'one millisecond before the slow processor answers');
  mock.timers.tick(1);
  await settle();
  assert.equal(flushed, true);
  assert.deepEqual(slow.calls, ['slow flush']);
});

test('a processor whose flush or shutdown fails does not fail the fan-out, nor hide the others', async () => {
  const failing = recorder('failing', { delayMs: 10, fail: true });
  const ok = recorder('ok', { delayMs: 20 });
  const fanOut = new SpanFanOut([failing, ok]);
  const flush = fanOut.forceFlush();
  const shutdown = fanOut.shutdown();
  mock.timers.tick(20);
  await flush;
  await shutdown;
  assert.deepEqual(failing.calls, ['failing flush', 'failing shutdown']);
  assert.deepEqual(ok.calls, ['ok flush', 'ok shutdown']);
});

test('shutdown settles when the slowest processor has shut down', async () => {
  const slow = recorder('slow', { delayMs: 3000 });
  let done = false;
  void new SpanFanOut([recorder('fast'), slow]).shutdown().then(() => {
    done = true;
  });
  mock.timers.tick(2999);
  await settle();
  assert.equal(done, false);
  mock.timers.tick(1);
  await settle();
  assert.equal(done, true);
});

test('with no processors, flush and shutdown settle at once', async () => {
  const fanOut = new SpanFanOut();
  await fanOut.forceFlush();
  await fanOut.shutdown();
  run(fanOut, 's1');
});
