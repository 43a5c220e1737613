// The lean tracer (src/lean-tracer) against the SDK's TracerProvider: the same calls through each,
// with the same sampler, limits, resource and processors, give the same finished spans (every
// ReadableSpan field, ids replaced by the order they were first seen in, clock times left out
// where the caller gave none), and the lean one says nothing on diag while doing it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type TracerProvider as ApiTracerProvider,
  context,
  type DiagLogger,
  diag,
  ROOT_CONTEXT,
  SamplingDecision,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { suppressTracing, TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanLimits,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { LeanTracerProvider } from '../../src/traces/lean-tracer/provider.js';
import { RedactionProcessor } from '../../src/traces/redaction-processor.js';
import { SafeExceptionsProcessor } from '../../src/traces/safe-exceptions.js';
import { SpanFanOut } from '../../src/traces/span-fan-out.js';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const LIMITS: SpanLimits = {
  attributeCountLimit: 13,
  attributeValueLengthLimit: 10,
  eventCountLimit: 3,
  linkCountLimit: 2,
  attributePerEventCountLimit: 2,
  attributePerLinkCountLimit: 1,
};
const resource = resourceFromAttributes({ 'service.name': 'lean-test' });
const REMOTE: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
  isRemote: true,
  traceState: new TraceState('vendor=abc,other=1'),
};
const START = new Date('2026-01-02T03:04:05.678Z');
const HR_START: [number, number] = [1_767_000_000, 123_456_789];
const HR_END: [number, number] = [1_767_000_001, 23_456_789];

type Build = (sampler: Sampler, processors: SpanProcessor[]) => ApiTracerProvider;

const sdk: Build = (sampler, processors) =>
  new TracerProvider({
    resource,
    sampler,
    spanLimits: LIMITS,
    spanProcessors: [new SafeExceptionsProcessor(), ...processors],
  });
const lean: Build = (sampler, processors) =>
  new LeanTracerProvider({ resource, sampler, spanLimits: LIMITS, spanProcessors: processors });

/** Every span API call the agent's instrumentations and users make, edge cases included. */
function scenario(provider: ApiTracerProvider): void {
  const tracer = provider.getTracer('scenario', '1.2.3', { schemaUrl: 'https://example.com/schema' });
  const fn = () => undefined;
  tracer.startActiveSpan(
    'GET /items/:id',
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'url.full': 'https://user:secret@example.com/x?token=abc',
        'http.request.header.authorization': ['Bearer abc'],
        'server.port': 8080,
        long: 'abcdefghijklmnop',
        flag: true,
        empty: '',
        '': 'empty key',
        missing: undefined,
        fn: fn as unknown as string,
        nothing: null,
        list: ['abcdefghijkl', 'b'],
        nested: { inner: 'abcdefghijk', n: 1 },
        bytes: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
      },
      links: [
        { context: REMOTE, attributes: { a: 1, b: 2 } },
        { context: { ...REMOTE, spanId: '1111111111111111' } },
        { context: { ...REMOTE, spanId: '2222222222222222' }, attributes: { c: 'long value here' } },
      ],
    },
    (server) => {
      server.setAttribute('http.response.status_code', 200);
      server.setAttribute('http.request.method', 'POST');
      server.setAttribute('symbol', Symbol('s') as unknown as string);
      server.setAttribute('', 'x');
      server.setAttribute('bigint', 10n as unknown as number);
      server.setAttributes({ one: 1, two: 'twotwotwotwo', three: 3, four: 4 });
      server.addEvent('plain');
      server.addEvent('with attributes', { a: 'abcdefghijkl', b: [1, 2], c: 3, d: null });
      server.addEvent('timed', HR_START);
      server.addEvent('timed with attributes', { x: 1 }, START);
      server.addLink({ context: { ...REMOTE, spanId: '3333333333333333' }, attributes: { z: 1, y: 2 } });
      server.addLinks([{ context: { ...REMOTE, spanId: '4444444444444444' } }]);
      server.updateName('GET /items/:id renamed');
      const child = tracer.startSpan('child', { attributes: { n: 1 } });
      child.recordException(new TypeError('bad input'));
      child.recordException('a string');
      child.recordException(Symbol('odd') as unknown as string);
      child.recordException({ code: 42, message: 'coded' } as unknown as Error);
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'failed' });
      child.setStatus({ code: SpanStatusCode.UNSET });
      child.end();
      child.setAttribute('after.end', 1);
      child.addEvent('after end');
      child.setStatus({ code: SpanStatusCode.OK });
      child.updateName('renamed after end');
      child.end();
      const ok = tracer.startSpan('ok');
      ok.setStatus({ code: SpanStatusCode.OK });
      ok.setStatus({ code: SpanStatusCode.ERROR, message: 'ignored after ok' });
      ok.end();
      server.end();
    },
  );
  const remoteChild = tracer.startSpan('remote child', {}, trace.setSpanContext(ROOT_CONTEXT, REMOTE));
  remoteChild.end();
  const root = tracer.startSpan(
    'root despite parent',
    { root: true },
    trace.setSpanContext(ROOT_CONTEXT, REMOTE),
  );
  root.end();
  tracer.startSpan('timed date', { startTime: START }).end(new Date(START.getTime() + 1500));
  tracer.startSpan('timed hr', { startTime: HR_START }).end(HR_END);
  tracer.startSpan('timed epoch ms', { startTime: START.getTime() }).end(START.getTime() + 2);
  tracer.startSpan('timed backwards', { startTime: HR_END }).end(HR_START);
  const suppressed = tracer.startSpan('suppressed', {}, suppressTracing(ROOT_CONTEXT));
  assert.equal(suppressed.isRecording(), false);
  suppressed.end();
}

/** The spans each provider finished, every field kept, ids numbered in the order they appear. */
function record(build: Build, sampler: Sampler = new ParentBasedSampler({ root: new AlwaysOnSampler() })) {
  const finished: ReadableSpan[] = [];
  const seenAtStart: boolean[] = [];
  const collector: SpanProcessor = {
    onStart: (span) => {
      seenAtStart.push(span.isRecording());
    },
    onEnd: (span) => {
      finished.push(span);
    },
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  scenario(build(sampler, [new SpanFanOut([new RedactionProcessor(), collector])]));
  const ids = new Map<string, string>();
  const id = (value: string) => {
    if (!ids.has(value)) ids.set(value, `id${ids.size}`);
    return ids.get(value);
  };
  const ctx = (c: SpanContext | undefined) =>
    c && {
      traceId: id(c.traceId),
      spanId: id(c.spanId),
      traceFlags: c.traceFlags,
      traceState: c.traceState?.serialize(),
      isRemote: c.isRemote,
    };
  const timed = (span: ReadableSpan) => span.name.startsWith('timed');
  const spans = finished.map((span) => ({
    name: span.name,
    kind: span.kind,
    spanContext: ctx(span.spanContext()),
    parentSpanContext: ctx(span.parentSpanContext),
    startTime: timed(span) ? span.startTime : 'now',
    endTime: timed(span) ? span.endTime : 'now',
    duration: timed(span) ? span.duration : span.duration[0] >= 0 && span.duration[1] >= 0,
    endAfterStart:
      span.endTime[0] > span.startTime[0] ||
      (span.endTime[0] === span.startTime[0] && span.endTime[1] >= span.startTime[1]),
    status: span.status,
    attributes: span.attributes,
    links: span.links.map((link) => ({ ...link, context: ctx(link.context) })),
    events: span.events.map((event) => ({
      ...event,
      time: event.name.startsWith('timed') ? event.time : Array.isArray(event.time),
    })),
    ended: span.ended,
    resource: span.resource.attributes,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
    isRecording: (span as unknown as { isRecording(): boolean }).isRecording(),
  }));
  return { spans, seenAtStart };
}

/** Runs `run` with a diag logger that keeps what it is told at warn level and above. */
function diagMessages(run: () => void): string[] {
  const said: string[] = [];
  const keep = (...args: unknown[]) => {
    said.push(args.map(String).join(' '));
  };
  const logger: DiagLogger = { error: keep, warn: keep, info: () => {}, debug: () => {}, verbose: () => {} };
  diag.setLogger(logger, { suppressOverrideMessage: true });
  try {
    run();
  } finally {
    diag.disable();
  }
  return said;
}

test('the lean tracer finishes the same spans as the SDK for the same calls', () => {
  const expected = record(sdk);
  const actual = record(lean);
  assert.equal(actual.spans.length, expected.spans.length);
  for (let i = 0; i < expected.spans.length; i++)
    assert.deepEqual(actual.spans[i], expected.spans[i], `span ${expected.spans[i]?.name}`);
  assert.deepEqual(actual.seenAtStart, expected.seenAtStart);
});

test('the scenario covers what it means to: limits, invalid values, redaction, frozen spans', () => {
  const { spans } = record(lean);
  const server = spans.find((s) => s.name === 'GET /items/:id renamed');
  const child = spans.find((s) => s.name === 'child');
  assert.ok(server && child);
  assert.equal(server.attributes.long, 'abcdefghij');
  assert.deepEqual(server.attributes['http.request.header.authorization'], ['[REDACTED]']);
  assert.ok(
    server.droppedAttributesCount > 0 && server.droppedEventsCount > 0 && server.droppedLinksCount > 0,
  );
  assert.equal(child.parentSpanContext?.spanId, server.spanContext?.spanId);
  assert.equal(child.attributes['after.end'], undefined);
  assert.equal(child.events.length, 3);
  assert.equal(child.status.code, SpanStatusCode.ERROR);
});

test('the lean tracer warns about nothing the scenario does', () => {
  assert.deepEqual(
    diagMessages(() => record(lean)),
    [],
  );
  // The SDK does warn about the same calls: the check above can fail.
  assert.notDeepEqual(
    diagMessages(() => record(sdk)),
    [],
  );
});

test('a sampler that drops gives the same non-recording spans, with the parent kept in context', () => {
  const off = () => new ParentBasedSampler({ root: new AlwaysOffSampler() });
  for (const build of [sdk, lean]) {
    const tracer = build(off(), []).getTracer('off');
    const span = tracer.startSpan('dropped');
    assert.equal(span.isRecording(), false);
    assert.equal(span.spanContext().traceFlags, 0);
    assert.ok(trace.isSpanContextValid(span.spanContext()));
    const child = tracer.startSpan('sampled by parent', {}, trace.setSpanContext(ROOT_CONTEXT, REMOTE));
    assert.equal(child.isRecording(), true);
    assert.equal(child.spanContext().traceId, REMOTE.traceId);
    assert.equal(child.spanContext().traceState?.serialize(), 'vendor=abc,other=1');
    child.end();
  }
});

test('a sampler that records without sampling, adds attributes and sets trace state: the same spans', () => {
  const sampler: Sampler = {
    shouldSample: (_ctx, _traceId, name) => ({
      decision: SamplingDecision.RECORD,
      attributes: {
        'sampler.name': name,
        'http.request.method': 'overridden',
        'sampler.long': 'abcdefghijklmnop',
      },
      traceState: new TraceState('sampler=1'),
    }),
    toString: () => 'test sampler',
  };
  const expected = record(sdk, sampler);
  const actual = record(lean, sampler);
  assert.ok(expected.spans.some((span) => span.attributes['sampler.name'] !== undefined));
  assert.equal(actual.spans.length, expected.spans.length);
  for (let i = 0; i < expected.spans.length; i++)
    assert.deepEqual(actual.spans[i], expected.spans[i], `span ${expected.spans[i]?.name}`);
});
