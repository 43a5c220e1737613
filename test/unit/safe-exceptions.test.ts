// toException and SafeExceptionsProcessor: whatever an app throws is recorded as an exception event,
// never thrown back and never warned about, on spans of the real SDK.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { toException } from '../../src/api/attributes.js';
import { SafeExceptionsProcessor } from '../../src/traces/safe-exceptions.js';

const revoked = Proxy.revocable({}, {});
revoked.revoke();
const throwing = {
  get message(): string {
    throw new Error('getter');
  },
};

test('toException keeps errors, strings and exception-like objects, and describes the rest', () => {
  const error = new Error('e');
  assert.equal(toException(error), error);
  assert.equal(toException('text'), 'text');
  const coded = { code: 7 };
  assert.equal(toException(coded), coded);
  assert.deepEqual(toException(null), { name: 'null', message: 'null' });
  assert.deepEqual(toException(undefined), { name: 'undefined', message: 'undefined' });
  assert.deepEqual(toException(Symbol('s')), { name: 'symbol', message: 'Symbol(s)' });
  assert.deepEqual(toException(42), { name: 'number', message: '42' });
  assert.deepEqual(toException(Object.create(null)), { name: 'object', message: '[object Object]' });
  assert.deepEqual(toException(throwing), { name: 'object', message: '[object Object]' });
  assert.deepEqual(toException(revoked.proxy), { name: 'object', message: '[unprintable]' });
});

test('spans record any thrown value as an exception event, silently', () => {
  const warnings: string[] = [];
  const say = (message: string) => warnings.push(message);
  diag.setLogger({ error: say, warn: say, info: say, debug: say, verbose: say }, DiagLogLevel.WARN);
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new SafeExceptionsProcessor(), new SimpleSpanProcessor({ exporter })],
  });
  try {
    const span = provider.getTracer('t').startSpan('s');
    for (const value of [
      null,
      undefined,
      Symbol('s'),
      Object.create(null),
      { code: 7 },
      throwing,
      revoked.proxy,
    ]) {
      assert.doesNotThrow(() => span.recordException(value as never));
    }
    span.end();
    const [finished] = exporter.getFinishedSpans();
    const messages = finished?.events.map(
      (e) => e.attributes?.['exception.message'] ?? e.attributes?.['exception.type'],
    );
    assert.deepEqual(messages?.slice(0, 5), ['null', 'undefined', 'Symbol(s)', '[object Object]', '7']);
    assert.deepEqual(warnings, []);
  } finally {
    diag.disable();
  }
});
