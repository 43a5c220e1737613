// The export worker's OTLP/HTTP retries (src/export/worker/retry.ts), on node:test's mock clock:
// retryable answers are retried with a growing backoff or the collector's Retry-After, never past
// the export's timeout and at most five times; a failure or success ends at once.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { type Attempt, retryWithin } from '../../src/export/worker/retry.js';

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  // No jitter: backoffs are exactly 1000, 1500, 2250 ... ms.
  mock.method(Math, 'random', () => 0.5);
});
afterEach(() => {
  mock.timers.reset();
  mock.restoreAll();
});

/** Runs retryWithin over `answers` (one per attempt), advancing the clock through its waits. */
async function run(answers: Attempt[], timeoutMs: number): Promise<{ result: Attempt; at: number[] }> {
  const at: number[] = [];
  const started = Date.now();
  const done = retryWithin(async (left) => {
    at.push(Date.now() - started);
    assert.ok(left > 0 && left <= timeoutMs, `attempt given ${left} ms`);
    return answers.shift() ?? { status: 'success' };
  }, timeoutMs);
  let result: Attempt | undefined;
  void done.then((value) => {
    result = value;
  });
  while (result === undefined) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    mock.timers.tick(50);
  }
  return { result, at };
}

test('a retryable answer is retried after 1 s, then 1.5 s, until one succeeds', async () => {
  const retryable: Attempt = { status: 'retryable', error: 'connect ECONNREFUSED 127.0.0.1:4318' };
  const { result, at } = await run([retryable, retryable], 10_000);
  assert.deepEqual(result, { status: 'success' });
  assert.deepEqual(at, [0, 1000, 2500]);
});

test("the collector's Retry-After sets the wait", async () => {
  const { at } = await run([{ status: 'retryable', retryInMs: 200 }], 10_000);
  assert.deepEqual(at, [0, 200]);
});

test('no retry that would end after the timeout: the last answer is the result', async () => {
  const retryable: Attempt = { status: 'retryable', error: 'Request timed out' };
  const { result, at } = await run([retryable, retryable, retryable], 2000);
  assert.deepEqual(result, retryable);
  assert.deepEqual(at, [0, 1000]);
});

test('a failure is not retried, and at most five retries are made', async () => {
  const failure: Attempt = { status: 'failure', error: 'Bad Request' };
  assert.deepEqual((await run([failure], 10_000)).at, [0]);
  const retryable: Attempt = { status: 'retryable', retryInMs: 10 };
  const many = await run(
    Array.from({ length: 10 }, () => retryable),
    60_000,
  );
  assert.equal(many.at.length, 6);
  assert.deepEqual(many.result, retryable);
});
