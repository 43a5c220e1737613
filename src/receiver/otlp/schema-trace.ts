// protobufjs reflection descriptor for opentelemetry/proto/trace/v1/trace.proto, written by hand.
// Assembled by schema.ts.
import type { IEnum, IType } from 'protobufjs';
import { COMMON, field, RESOURCE, repeated } from './schema-common.js';

/** opentelemetry.proto.trace.v1 */
export const traceTypes: Record<string, IType | IEnum> = {
  TracesData: { fields: { resourceSpans: repeated('ResourceSpans', 1) } },
  ResourceSpans: {
    fields: {
      resource: field(`${RESOURCE}.Resource`, 1),
      scopeSpans: repeated('ScopeSpans', 2),
      schemaUrl: field('string', 3),
    },
  },
  ScopeSpans: {
    fields: {
      scope: field(`${COMMON}.InstrumentationScope`, 1),
      spans: repeated('Span', 2),
      schemaUrl: field('string', 3),
    },
  },
  Span: {
    fields: {
      traceId: field('bytes', 1),
      spanId: field('bytes', 2),
      traceState: field('string', 3),
      parentSpanId: field('bytes', 4),
      flags: field('fixed32', 16),
      name: field('string', 5),
      kind: field('SpanKind', 6),
      startTimeUnixNano: field('fixed64', 7),
      endTimeUnixNano: field('fixed64', 8),
      attributes: repeated(`${COMMON}.KeyValue`, 9),
      droppedAttributesCount: field('uint32', 10),
      events: repeated('Event', 11),
      droppedEventsCount: field('uint32', 12),
      links: repeated('Link', 13),
      droppedLinksCount: field('uint32', 14),
      status: field('Status', 15),
    },
    nested: {
      SpanKind: {
        values: {
          SPAN_KIND_UNSPECIFIED: 0,
          SPAN_KIND_INTERNAL: 1,
          SPAN_KIND_SERVER: 2,
          SPAN_KIND_CLIENT: 3,
          SPAN_KIND_PRODUCER: 4,
          SPAN_KIND_CONSUMER: 5,
        },
      },
      Event: {
        fields: {
          timeUnixNano: field('fixed64', 1),
          name: field('string', 2),
          attributes: repeated(`${COMMON}.KeyValue`, 3),
          droppedAttributesCount: field('uint32', 4),
        },
      },
      Link: {
        fields: {
          traceId: field('bytes', 1),
          spanId: field('bytes', 2),
          traceState: field('string', 3),
          attributes: repeated(`${COMMON}.KeyValue`, 4),
          droppedAttributesCount: field('uint32', 5),
          flags: field('fixed32', 6),
        },
      },
    },
  },
  Status: {
    // Field 1 is reserved: it was the deprecated `deprecated_code`.
    fields: { message: field('string', 2), code: field('StatusCode', 3) },
    nested: {
      StatusCode: { values: { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 } },
    },
  },
  SpanFlags: {
    values: {
      SPAN_FLAGS_DO_NOT_USE: 0,
      SPAN_FLAGS_TRACE_FLAGS_MASK: 0xff,
      SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK: 0x100,
      SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK: 0x200,
    },
  },
};
