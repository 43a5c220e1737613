// Unit tests of the OTLP span encoder: real SDK spans encoded by ours (encodeSpan + assembleTraceRequest)
// and by upstream's ProtobufTraceSerializer must decode to the same ExportTraceServiceRequest.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type Attributes,
  createTraceState,
  ROOT_CONTEXT,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanLimits,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import {
  assembleTraceRequest,
  encodeResource,
  encodeSpan,
  type QueuedSpan,
  scopeKeyOf,
} from '../../src/export/otlp-encode/index.js';
import { otlpSchema } from '../../src/receiver/otlp/schema.js';

/** Finished spans of a real provider; `make` gets its tracers. */
function record(
  resource: Resource,
  make: (provider: TracerProvider) => void,
  spanLimits?: SpanLimits,
): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource,
    spanLimits,
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  make(provider);
  return exporter.getFinishedSpans();
}

const ours = (resource: Resource, spans: readonly ReadableSpan[]): Uint8Array =>
  assembleTraceRequest(
    encodeResource(resource),
    spans.map(
      (span): QueuedSpan => ({ scope: scopeKeyOf(span.instrumentationScope), bytes: encodeSpan(span) }),
    ),
  );

/**
 * The request as a plain object. Only fields present on the wire appear (protobufjs sets what it reads,
 * defaults stay on the prototype), so an explicitly written default counts as a difference too.
 */
function decoded(bytes: Uint8Array): unknown {
  const type = otlpSchema().traces.request;
  return type.toObject(type.decode(bytes), { longs: String, bytes: String, enums: Number });
}

function assertSameAsUpstream(resource: Resource, spans: readonly ReadableSpan[]): void {
  assert.ok(spans.length > 0, 'no spans recorded');
  const theirs = ProtobufTraceSerializer.serializeRequest(spans as ReadableSpan[]);
  assert.ok(theirs, 'upstream serialized nothing');
  assert.deepEqual(decoded(ours(resource, spans)), decoded(theirs));
}

const remoteParent: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: createTraceState('vendor=opaque,other=1'),
};

const everyValueType: Attributes = {
  'str.ascii': 'GET',
  'str.empty': '',
  'str.utf8': 'Grüße, 世界 🌍',
  'str.long': 'x'.repeat(300),
  'str.long.utf8': 'é'.repeat(200),
  // 100 UTF-16 units but 200 UTF-8 bytes: the length prefix outgrows the one byte reserved for it.
  'str.prefix.grows': 'é'.repeat(100),
  'str.short.utf8': 'ñ',
  // A lone surrogate: both sides must write U+FFFD.
  'str.lone.surrogate': 'bad \uD800 pair',
  'bool.true': true,
  'bool.false': false,
  'int.zero': 0,
  'int.small': 200,
  'int.big': 2 ** 40 + 7,
  'int.max.safe': Number.MAX_SAFE_INTEGER,
  'int.above.safe': 2 ** 62,
  'int.negative': -42,
  'int.negative.big': -(2 ** 50) - 3,
  'int.min': -(2 ** 63),
  'int.too.big': 2 ** 64,
  'double.pi': Math.PI,
  'double.negative': -0.5,
  'double.nan': Number.NaN,
  'double.inf': Number.POSITIVE_INFINITY,
  'array.strings': ['a', 'ü', ''],
  'array.ints': [1, -2, 3_000_000_000],
  'array.doubles': [1.5, 2.25],
  'array.bools': [true, false],
  'array.with.null': ['a', null, 'b'],
  'array.empty': [],
};

function richSpans(provider: TracerProvider): void {
  const server = provider.getTracer('@logos/otel-test-server', '1.2.3', {
    schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
  });
  const client = provider.getTracer('client-scope');
  const parentContext = trace.setSpanContext(ROOT_CONTEXT, remoteParent);
  const root = server.startSpan(
    'GET /users/:id',
    { kind: SpanKind.SERVER, attributes: everyValueType },
    parentContext,
  );
  // AnyValue types the span API accepts beyond the simple ones.
  root.setAttribute('bytes', new Uint8Array([0, 1, 2, 255]));
  root.setAttribute('kvlist', { a: 'x', n: 2, nested: { deep: [true, 'y'] }, empty: null });
  root.setAttribute('null', null);
  root.addEvent('cache.miss', { 'cache.key': 'user:42', 'cache.size': 3, 'cache.ratio': 0.25 });
  root.addEvent('plain', [1_700_000_000, 123_456_789]);
  root.recordException(new TypeError('boom: Grüße'));
  root.addLink({
    context: {
      traceId: 'ffeeddccbbaa99887766554433221100',
      spanId: '0123456789abcdef',
      traceFlags: TraceFlags.NONE,
      isRemote: true,
      traceState: createTraceState('k=v'),
    },
    attributes: { 'link.reason': 'retry', 'link.n': 1 },
  });
  root.addLink({
    context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED },
  });
  const rootContext = trace.setSpan(parentContext, root);
  for (const kind of [SpanKind.CLIENT, SpanKind.INTERNAL, SpanKind.PRODUCER, SpanKind.CONSUMER]) {
    const child = client.startSpan(`child ${SpanKind[kind]}`, { kind }, rootContext);
    child.setStatus({ code: SpanStatusCode.OK });
    child.end();
  }
  const failed = server.startSpan('SELECT users', { kind: SpanKind.CLIENT }, rootContext);
  failed.setStatus({ code: SpanStatusCode.ERROR, message: 'connection reset: ü' });
  failed.end();
  server.startSpan('no attributes, local root').end();
  root.setStatus({ code: SpanStatusCode.ERROR });
  root.end();
}

const manyAttributes: Record<string, string | number | boolean> = {
  'service.name': 'encode-test',
  'service.version': '0.2.0',
  'service.namespace': 'logos',
  'deployment.environment.name': 'test',
  'host.name': 'höst-1',
  'process.pid': 4242,
  'process.runtime.name': 'nodejs',
  'process.runtime.version': '24.21.0',
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.version': '3.0.0',
  'container.id': 'c'.repeat(64),
  'cloud.region': 'eu-west-1',
  'k8s.pod.ready': true,
  'k8s.pod.cpu.limit': 0.5,
};

describe('otlp-encode against upstream ProtobufTraceSerializer', () => {
  test('every field: attribute types, events, links, status, remote parent, trace state, scopes', () => {
    const resource = resourceFromAttributes(manyAttributes, {
      schemaUrl: 'https://opentelemetry.io/schemas/1.28.0',
    });
    const spans = record(resource, richSpans);
    assert.equal(spans.length, 7);
    assertSameAsUpstream(resource, spans);
  });

  test('each span alone decodes to the Span upstream writes', () => {
    const resource = resourceFromAttributes({ 'service.name': 'one-by-one' });
    const spans = record(resource, richSpans);
    const span = otlpSchema().root.lookupType('.opentelemetry.proto.trace.v1.Span');
    const request = decoded(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array) as {
      resourceSpans: { scopeSpans: { spans: unknown[] }[] }[];
    };
    const upstreamSpans = request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    const ourSpans = spans.map((s) =>
      span.toObject(span.decode(encodeSpan(s)), { longs: String, bytes: String }),
    );
    const byId = (list: unknown[]) =>
      [...list].sort((a, b) =>
        String((a as { spanId: string }).spanId).localeCompare((b as { spanId: string }).spanId),
      );
    assert.deepEqual(byId(ourSpans), byId(upstreamSpans));
  });

  test('dropped attribute, event and link counts from span limits', () => {
    const resource = resourceFromAttributes({ 'service.name': 'limits' });
    const spans = record(
      resource,
      (provider) => {
        const tracer = provider.getTracer('limits');
        const span = tracer.startSpan('limited', {
          attributes: { a: 1, b: 2, c: 3, d: 4 },
          links: [1, 2, 3].map((n) => ({
            context: { traceId: 'c'.repeat(32), spanId: `${n}`.repeat(16), traceFlags: 1 },
            attributes: { x: 1, y: 2, z: 3 },
          })),
        });
        span.setAttribute('e', 5);
        span.setAttribute('long', 'abcdefghij');
        for (let i = 0; i < 5; i++) span.addEvent(`event ${i}`, { p: 1, q: 2, r: 3 });
        span.end();
      },
      {
        attributeCountLimit: 2,
        eventCountLimit: 2,
        linkCountLimit: 1,
        attributePerEventCountLimit: 1,
        attributePerLinkCountLimit: 2,
        attributeValueLengthLimit: 4,
      },
    );
    const span = spans[0];
    assert.ok(
      span && span.droppedAttributesCount > 0 && span.droppedEventsCount > 0 && span.droppedLinksCount > 0,
    );
    assert.ok(span.events[0]?.droppedAttributesCount, 'event attributes were not limited');
    assert.ok(span.links[0]?.droppedAttributesCount, 'link attributes were not limited');
    assertSameAsUpstream(resource, spans);
  });

  test('a resource with async attributes, once settled', async () => {
    const resource = resourceFromAttributes({
      'service.name': 'async',
      'host.id': new Promise<string>((resolve) => setImmediate(() => resolve('detected-later'))),
    });
    const spans = record(resource, (provider) => provider.getTracer('async').startSpan('s').end());
    assert.equal(resource.asyncAttributesPending, true);
    await resource.waitForAsyncAttributes?.();
    assertSameAsUpstream(resource, spans);
  });

  test('many spans across slabs, a span bigger than a slab, and the slabs they keep', () => {
    const resource = resourceFromAttributes(manyAttributes);
    const spans = record(resource, (provider) => {
      const tracer = provider.getTracer('bulk', '9.9.9');
      for (let i = 0; i < 600; i++) {
        tracer
          .startSpan(`GET /items/${i}`, {
            kind: SpanKind.SERVER,
            attributes: {
              'http.request.method': 'GET',
              'url.path': `/items/${i}`,
              'http.response.status_code': 200,
            },
          })
          .end();
      }
      tracer
        .startSpan('huge', { attributes: { blob: 'z'.repeat(200_000), utf8: '世'.repeat(40_000) } })
        .end();
      tracer.startSpan('after huge').end();
    });
    const queued = spans.map((span) => ({
      scope: scopeKeyOf(span.instrumentationScope),
      bytes: encodeSpan(span),
    }));
    // Earlier bytes must not be overwritten by later encodes.
    assert.deepEqual(
      decoded(assembleTraceRequest(encodeResource(resource), queued)),
      decoded(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array),
    );
    // Memory stays bounded: small spans share 64 KiB slabs, and the slab grown for the huge span is
    // kept alive by that span alone.
    const [huge, after] = queued.slice(-2).map((q) => q.bytes.buffer);
    assert.ok(huge && after && huge !== after, 'the span after a huge one shares its oversized slab');
    assert.equal(after.byteLength, 64 * 1024);
    assert.equal(queued[0]?.bytes.buffer.byteLength, 64 * 1024);
  });

  test('spans of scopes that alternate are grouped by scope, in queue order within each', () => {
    const resource = resourceFromAttributes({ 'service.name': 'interleaved' });
    const spans = record(resource, (provider) => {
      const tracers = [provider.getTracer('a'), provider.getTracer('b', '2'), provider.getTracer('c')];
      for (let i = 0; i < 12; i++) tracers[(i * 7) % 3]?.startSpan(`span ${i}`).end();
    });
    assertSameAsUpstream(resource, spans);
  });

  test('no spans: no bytes, as upstream', () => {
    const resource = resourceFromAttributes({ 'service.name': 'empty' });
    assert.equal(assembleTraceRequest(encodeResource(resource), []).length, 0);
    assert.equal(ProtobufTraceSerializer.serializeRequest([])?.length, 0);
  });

  test('the same scope from two scope objects is one ScopeSpans; the request owns its buffer', () => {
    const a = scopeKeyOf({ name: 'same', version: '1' });
    const b = scopeKeyOf({ name: 'same', version: '1' });
    assert.equal(a, b);
    const resource = resourceFromAttributes({ 'service.name': 'owner' });
    const spans = record(resource, (provider) => provider.getTracer('same', '1').startSpan('s').end());
    const bytes = ours(resource, spans);
    assert.equal(bytes.byteOffset, 0);
    assert.equal(bytes.buffer.byteLength, bytes.length);
  });
});
