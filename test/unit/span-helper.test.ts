// withSpan, setSpanAttributes, currentTraceId and getLogger, observed through the test kit
// (captureSpans without the register: the kit installs an in-process provider).
import assert from 'node:assert/strict';
import { after, beforeEach, test } from 'node:test';
import { SpanStatusCode } from '@opentelemetry/api';
import { currentTraceId, getLogger, setSpanAttributes, withSpan } from '../../src/index.js';
import { captureSpans } from '../../src/testing.js';

const spans = captureSpans({ serviceName: 'hermes' });
beforeEach(() => spans.clear());
after(() => spans.stop());

test('a sync function runs inside a current span that ends with it', () => {
  const result = withSpan('hermes.embed', { model: 'mini', dims: 384 }, () => currentTraceId());
  const span = spans.find('hermes.embed');
  assert.ok(span);
  assert.equal(result, span.spanContext().traceId);
  assert.equal(span.attributes.model, 'mini');
  assert.equal(span.attributes.dims, 384);
  assert.equal(span.status.code, SpanStatusCode.UNSET);
});

test('an async function: the span ends when the promise settles, and nests children', async () => {
  const value = await withSpan('sophia.plan', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return withSpan('sophia.simulate', () => 42);
  });
  assert.equal(value, 42);
  const plan = spans.find('sophia.plan');
  const simulate = spans.find('sophia.simulate');
  assert.ok(plan && simulate);
  assert.equal(simulate.parentSpanContext?.spanId, plan.spanContext().spanId);
  assert.ok(plan.duration[1] >= 4_000_000 || plan.duration[0] > 0);
});

test('a throw is recorded as an exception and error status, then rethrown unchanged', () => {
  const boom = new TypeError('boom');
  assert.throws(
    () =>
      withSpan('hermes.llm', () => {
        throw boom;
      }),
    (error) => error === boom,
  );
  const span = spans.find('hermes.llm');
  assert.equal(span?.status.code, SpanStatusCode.ERROR);
  assert.equal(span?.status.message, 'boom');
  assert.equal(span?.events[0]?.name, 'exception');
  assert.equal(span?.events[0]?.attributes?.['exception.type'], 'TypeError');
  assert.ok(span?.ended);
});

test('a rejection is recorded the same way, and a non-Error reason does not break it', async () => {
  await assert.rejects(
    withSpan('hermes.nlp', async () => Promise.reject('plain string')),
    (e) => e === 'plain string',
  );
  const span = spans.find('hermes.nlp');
  assert.equal(span?.status.code, SpanStatusCode.ERROR);
  assert.equal(span?.status.message, 'plain string');
});

test('a bare operation name is prefixed with the service name', () => {
  withSpan('milvus', () => undefined);
  assert.deepEqual(spans.names(), ['hermes.milvus']);
});

test('circular, nested, bigint and function attributes never throw', () => {
  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;
  const hostile = Object.defineProperty({}, 'bad', {
    enumerable: true,
    get() {
      throw new Error('getter');
    },
  });
  withSpan(
    'hermes.embed',
    { circular, big: 10n, fn: () => 1, when: new Date(0), list: [1, 2], mixed: [1, 'a'] },
    () => {
      setSpanAttributes(hostile as Record<string, unknown>);
      setSpanAttributes({ later: 'yes' });
    },
  );
  const attributes = spans.find('hermes.embed')?.attributes ?? {};
  assert.equal(attributes.circular, '{"a":1,"self":"[Circular]"}');
  assert.equal(attributes.big, '10');
  assert.equal(attributes.fn, undefined);
  assert.equal(attributes.when, '1970-01-01T00:00:00.000Z');
  assert.deepEqual(attributes.list, [1, 2]);
  assert.equal(attributes.mixed, '[1,"a"]');
  assert.equal(attributes.later, 'yes');
});

test('a huge attribute value is cut to the default length limit', () => {
  withSpan('hermes.llm', { prompt: 'x'.repeat(100_000) }, () => undefined);
  assert.equal(String(spans.find('hermes.llm')?.attributes.prompt).length, 4096);
});

test('getLogger writes JSON lines that carry the trace and span ids inside a span', () => {
  const lines: string[] = [];
  const log = getLogger('hermes', { write: (line) => lines.push(line) });
  log.debug('dropped below info');
  log.info('outside');
  withSpan('hermes.embed', () => log.warn('inside', { n: 1 }));
  assert.equal(lines.length, 2);
  const [outside, inside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(outside?.trace_id, undefined);
  const span = spans.find('hermes.embed');
  assert.equal(inside?.trace_id, span?.spanContext().traceId);
  assert.equal(inside?.span_id, span?.spanContext().spanId);
  assert.equal(inside?.level, 'warn');
  assert.equal(inside?.n, 1);
});

test("a dot-less name takes the newest live capture's serviceName, and the previous one after stop()", () => {
  const inner = captureSpans({ serviceName: 'sophia' });
  withSpan('plan', () => undefined);
  inner.stop();
  withSpan('embed', () => undefined);
  assert.deepEqual(inner.names(), ['sophia.plan']);
  assert.deepEqual(spans.names(), ['sophia.plan', 'hermes.embed']);
});
