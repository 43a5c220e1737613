// protobufjs reflection descriptor for opentelemetry/proto/logs/v1/logs.proto, written by hand.
// Assembled by schema.ts.
import type { IEnum, IType } from 'protobufjs';
import { COMMON, field, RESOURCE, repeated } from './schema-common.js';

const severities = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level, i) =>
  ['', '2', '3', '4'].map((n, j): [string, number] => [`SEVERITY_NUMBER_${level}${n}`, i * 4 + j + 1]),
);

/** opentelemetry.proto.logs.v1 */
export const logsTypes: Record<string, IType | IEnum> = {
  LogsData: { fields: { resourceLogs: repeated('ResourceLogs', 1) } },
  ResourceLogs: {
    fields: {
      resource: field(`${RESOURCE}.Resource`, 1),
      scopeLogs: repeated('ScopeLogs', 2),
      schemaUrl: field('string', 3),
    },
  },
  ScopeLogs: {
    fields: {
      scope: field(`${COMMON}.InstrumentationScope`, 1),
      logRecords: repeated('LogRecord', 2),
      schemaUrl: field('string', 3),
    },
  },
  SeverityNumber: {
    values: { SEVERITY_NUMBER_UNSPECIFIED: 0, ...Object.fromEntries(severities) },
  },
  LogRecordFlags: {
    values: { LOG_RECORD_FLAGS_DO_NOT_USE: 0, LOG_RECORD_FLAGS_TRACE_FLAGS_MASK: 0xff },
  },
  LogRecord: {
    // Field 4 is reserved.
    fields: {
      timeUnixNano: field('fixed64', 1),
      observedTimeUnixNano: field('fixed64', 11),
      severityNumber: field('SeverityNumber', 2),
      severityText: field('string', 3),
      body: field(`${COMMON}.AnyValue`, 5),
      attributes: repeated(`${COMMON}.KeyValue`, 6),
      droppedAttributesCount: field('uint32', 7),
      flags: field('fixed32', 8),
      traceId: field('bytes', 9),
      spanId: field('bytes', 10),
      eventName: field('string', 12),
    },
  },
};
