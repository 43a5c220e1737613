// Normalises an ExportLogsServiceRequest (decoded protobuf or parsed JSON) into ReceivedLog objects.
// Loaded by decode.ts.

import type { ReceivedLog } from '../types.js';
import type { OtlpSchema } from './schema.js';
import {
  anyValue,
  attributes,
  enumValue,
  id,
  int32,
  int64,
  type Loose,
  list,
  obj,
  scope,
  str,
} from './values.js';

/** The log records of one request, with resource and scope copied onto each. */
export function logsFromRequest(request: Loose, enums: OtlpSchema['enums']): ReceivedLog[] {
  const out: ReceivedLog[] = [];
  for (const resourceLogs of list(request.resourceLogs)) {
    const resource = attributes(obj(resourceLogs.resource).attributes);
    for (const scopeLogs of list(resourceLogs.scopeLogs)) {
      const logScope = scope(scopeLogs.scope);
      for (const record of list(scopeLogs.logRecords)) {
        out.push({
          timeUnixNano: int64(record.timeUnixNano),
          observedTimeUnixNano: int64(record.observedTimeUnixNano),
          severityNumber: enumValue(record.severityNumber, enums.severityNumber),
          severityText: str(record.severityText),
          eventName: str(record.eventName),
          body: anyValue(record.body),
          attributes: attributes(record.attributes),
          droppedAttributesCount: int32(record.droppedAttributesCount),
          flags: int32(record.flags),
          traceId: id(record.traceId),
          spanId: id(record.spanId),
          resource,
          scope: logScope,
        });
      }
    }
  }
  return out;
}
