// Normalises an ExportTraceServiceRequest (decoded protobuf or parsed JSON) into ReceivedSpan objects.
// Loaded by decode.ts.

import type { ReceivedSpan } from '../types.js';
import type { OtlpSchema } from './schema.js';
import { attributes, enumValue, id, int32, int64, type Loose, list, obj, scope, str } from './values.js';

/** The spans of one request, with resource and scope copied onto each so they stand alone. */
export function spansFromRequest(request: Loose, enums: OtlpSchema['enums']): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const resourceSpans of list(request.resourceSpans)) {
    const resource = attributes(obj(resourceSpans.resource).attributes);
    for (const scopeSpans of list(resourceSpans.scopeSpans)) {
      const spanScope = scope(scopeSpans.scope);
      for (const span of list(scopeSpans.spans)) {
        const startTimeUnixNano = int64(span.startTimeUnixNano);
        const endTimeUnixNano = int64(span.endTimeUnixNano);
        const status = obj(span.status);
        out.push({
          traceId: id(span.traceId),
          spanId: id(span.spanId),
          parentSpanId: id(span.parentSpanId),
          traceState: str(span.traceState),
          flags: int32(span.flags),
          name: str(span.name),
          kind: enumValue(span.kind, enums.spanKind),
          startTimeUnixNano,
          endTimeUnixNano,
          durationMs: Number(endTimeUnixNano - startTimeUnixNano) / 1e6,
          attributes: attributes(span.attributes),
          droppedAttributesCount: int32(span.droppedAttributesCount),
          events: list(span.events).map((event) => ({
            name: str(event.name),
            timeUnixNano: int64(event.timeUnixNano),
            attributes: attributes(event.attributes),
          })),
          droppedEventsCount: int32(span.droppedEventsCount),
          links: list(span.links).map((link) => ({
            traceId: id(link.traceId),
            spanId: id(link.spanId),
            traceState: str(link.traceState),
            attributes: attributes(link.attributes),
          })),
          droppedLinksCount: int32(span.droppedLinksCount),
          status: { code: enumValue(status.code, enums.statusCode), message: str(status.message) },
          resource,
          scope: spanScope,
        });
      }
    }
  }
  return out;
}
