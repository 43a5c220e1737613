// The OTLP v1 protobuf schema as one protobufjs Root, built lazily on first use (nothing at import time).
// Loaded by the decode-*.ts modules and ../server/grpc-server.ts.
import protobuf from 'protobufjs';
import type { Signal } from '../types.js';
import { commonTypes, field, repeated, resourceTypes } from './schema-common.js';
import { logsTypes } from './schema-logs.js';
import { metricsTypes } from './schema-metrics.js';
import { traceTypes } from './schema-trace.js';

/** Request and response message types of one collector Export service. */
export interface ExportMessages {
  readonly request: protobuf.Type;
  readonly response: protobuf.Type;
  /** gRPC method path, e.g. `/opentelemetry.proto.collector.trace.v1.TraceService/Export`. */
  readonly grpcPath: string;
}

/** Every message the receiver needs, looked up once. */
export interface OtlpSchema {
  readonly root: protobuf.Root;
  readonly traces: ExportMessages;
  readonly metrics: ExportMessages;
  readonly logs: ExportMessages;
  /** google.rpc.Status: the body OTLP/HTTP error responses carry. */
  readonly status: protobuf.Type;
  /** Enum name -> number maps, for OTLP/JSON senders that spell enums by name. */
  readonly enums: {
    readonly spanKind: Readonly<Record<string, number>>;
    readonly statusCode: Readonly<Record<string, number>>;
    readonly severityNumber: Readonly<Record<string, number>>;
    readonly aggregationTemporality: Readonly<Record<string, number>>;
  };
}

const v1 = (nested: protobuf.INamespace['nested']): protobuf.INamespace => ({ nested: { v1: { nested } } });

/**
 * One collector package: Export{Item}ServiceRequest/Response and its PartialSuccess.
 * `resourceType` is e.g. 'trace.v1.ResourceSpans', stored in field `resourceField`.
 */
function collector(item: string, resourceType: string, resourceField: string, rejectedField: string) {
  return v1({
    [`Export${item}ServiceRequest`]: {
      fields: { [resourceField]: repeated(`.opentelemetry.proto.${resourceType}`, 1) },
    },
    [`Export${item}ServiceResponse`]: {
      fields: { partialSuccess: field(`Export${item}PartialSuccess`, 1) },
    },
    [`Export${item}PartialSuccess`]: {
      fields: { [rejectedField]: field('int64', 1), errorMessage: field('string', 2) },
    },
  });
}

function build(): OtlpSchema {
  const root = protobuf.Root.fromJSON({
    nested: {
      opentelemetry: {
        nested: {
          proto: {
            nested: {
              common: v1(commonTypes),
              resource: v1(resourceTypes),
              trace: v1(traceTypes),
              metrics: v1(metricsTypes),
              logs: v1(logsTypes),
              collector: {
                nested: {
                  trace: collector('Trace', 'trace.v1.ResourceSpans', 'resourceSpans', 'rejectedSpans'),
                  metrics: collector(
                    'Metrics',
                    'metrics.v1.ResourceMetrics',
                    'resourceMetrics',
                    'rejectedDataPoints',
                  ),
                  logs: collector('Logs', 'logs.v1.ResourceLogs', 'resourceLogs', 'rejectedLogRecords'),
                },
              },
            },
          },
        },
      },
      google: {
        nested: {
          rpc: {
            nested: {
              // `details` (field 3, repeated google.protobuf.Any) is left out: we never send any.
              Status: { fields: { code: field('int32', 1), message: field('string', 2) } },
            },
          },
        },
      },
    },
  });
  const messages = (pkg: Signal, item: string): ExportMessages => {
    const service = `opentelemetry.proto.collector.${pkg === 'traces' ? 'trace' : pkg}.v1`;
    return {
      request: root.lookupType(`.${service}.Export${item}ServiceRequest`),
      response: root.lookupType(`.${service}.Export${item}ServiceResponse`),
      grpcPath: `/${service}.${item}Service/Export`,
    };
  };
  const values = (name: string) => root.lookupEnum(name).values;
  return {
    root,
    traces: messages('traces', 'Trace'),
    metrics: messages('metrics', 'Metrics'),
    logs: messages('logs', 'Logs'),
    status: root.lookupType('.google.rpc.Status'),
    enums: {
      spanKind: values('.opentelemetry.proto.trace.v1.Span.SpanKind'),
      statusCode: values('.opentelemetry.proto.trace.v1.Status.StatusCode'),
      severityNumber: values('.opentelemetry.proto.logs.v1.SeverityNumber'),
      aggregationTemporality: values('.opentelemetry.proto.metrics.v1.AggregationTemporality'),
    },
  };
}

let schema: OtlpSchema | undefined;

/** The OTLP schema, built on first call (a few milliseconds) and shared afterwards. */
export function otlpSchema(): OtlpSchema {
  schema ??= build();
  return schema;
}
