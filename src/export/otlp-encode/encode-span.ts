// One finished SDK span straight to the bytes of an opentelemetry.proto.trace.v1.Span message, with
// the fields and defaults @opentelemetry/otlp-transformer writes. For the batch processor, at span end.
import type { HrTime, Link, SpanStatus, TraceState } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import { writeKeyValues } from './any-value.js';
import { FIXED32, FIXED64, LEN, ProtoWriter, tag, VARINT } from './proto-writer.js';

// SpanFlags: the low byte is the W3C trace flags; upstream always says whether is-remote is known.
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

const spanFlags = (traceFlags: number, isRemote: boolean | undefined): number =>
  (traceFlags & 0xff) | HAS_IS_REMOTE | (isRemote ? IS_REMOTE : 0);

const writer = new ProtoWriter();

// TraceState is immutable and every span of a trace shares its parent's object, but serialize()
// rebuilds the string each call: remember the last one.
let lastTraceState: TraceState | undefined;
let lastSerialized = '';

function serialize(traceState: TraceState | undefined): string {
  if (traceState === undefined) return '';
  if (traceState !== lastTraceState) {
    lastSerialized = traceState.serialize();
    lastTraceState = traceState;
  }
  return lastSerialized;
}

const time = (w: ProtoWriter, fieldTag: number, t: HrTime): void => w.timeField(fieldTag, t[0], t[1]);

/** Span.Event: time, name, attributes, dropped_attributes_count (always written, as upstream). */
function writeEvent(w: ProtoWriter, event: TimedEvent): void {
  w.byte(tag(11, LEN));
  const mark = w.beginLength();
  time(w, tag(1, FIXED64), event.time);
  w.byte(tag(2, LEN));
  w.string(event.name);
  if (event.attributes) writeKeyValues(w, event.attributes, tag(3, LEN));
  w.uintField(tag(4, VARINT), event.droppedAttributesCount || 0);
  w.endLength(mark);
}

/** Span.Link: ids, trace_state when set, attributes, dropped count, flags. */
function writeLink(w: ProtoWriter, link: Link): void {
  w.byte(tag(13, LEN));
  const mark = w.beginLength();
  const context = link.context;
  w.hexField(tag(1, LEN), context.traceId);
  w.hexField(tag(2, LEN), context.spanId);
  const traceState = serialize(context.traceState);
  if (traceState) {
    w.byte(tag(3, LEN));
    w.string(traceState);
  }
  if (link.attributes) writeKeyValues(w, link.attributes, tag(4, LEN));
  w.uintField(tag(5, VARINT), link.droppedAttributesCount || 0);
  w.byte(tag(6, FIXED32));
  w.fixed32(spanFlags(context.traceFlags, context.isRemote));
  w.endLength(mark);
}

/** Status: message when non-empty, code always (upstream always writes the Status message). */
function writeStatus(w: ProtoWriter, status: SpanStatus): void {
  w.byte(tag(15, LEN));
  const mark = w.beginLength();
  if (status.message) {
    w.byte(tag(2, LEN));
    w.string(status.message);
  }
  w.uintField(tag(3, VARINT), status.code);
  w.endLength(mark);
}

function writeSpan(w: ProtoWriter, span: ReadableSpan): void {
  const ctx = span.spanContext();
  w.hexField(tag(1, LEN), ctx.traceId);
  w.hexField(tag(2, LEN), ctx.spanId);
  const traceState = serialize(ctx.traceState);
  if (traceState) {
    w.byte(tag(3, LEN));
    w.string(traceState);
  }
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    w.hexField(tag(4, LEN), parent.spanId);
  }
  w.byte(tag(5, LEN));
  w.string(span.name);
  // OTLP's SpanKind is the API's plus one (0 is UNSPECIFIED, left out as the default).
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    w.uintField(tag(6, VARINT), kind);
  }
  time(w, tag(7, FIXED64), span.startTime);
  time(w, tag(8, FIXED64), span.endTime);
  if (span.attributes) writeKeyValues(w, span.attributes, tag(9, LEN));
  w.uintField(tag(10, VARINT), span.droppedAttributesCount);
  for (const event of span.events) writeEvent(w, event);
  w.uintField(tag(12, VARINT), span.droppedEventsCount);
  for (const link of span.links) writeLink(w, link);
  w.uintField(tag(14, VARINT), span.droppedLinksCount);
  writeStatus(w, span.status);
  w.varint32(tag(16, FIXED32));
  w.fixed32(spanFlags(ctx.traceFlags, parent?.isRemote));
}

/**
 * The bytes of one `opentelemetry.proto.trace.v1.Span` message (no tag or length prefix): what
 * `ProtobufTraceSerializer` would write for this span. The result is a view into a shared slab that
 * is never written again, so it may be queued as is; it keeps that slab (64 KiB) alive while held.
 */
export function encodeSpan(span: ReadableSpan): Uint8Array {
  try {
    writeSpan(writer, span);
  } catch (error) {
    writer.reset();
    throw error;
  }
  return writer.finish();
}
