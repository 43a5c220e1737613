// The plain shapes the receiver decodes OTLP into, the same for gRPC, HTTP/protobuf and HTTP/JSON.
// Imported by every receiver module and by tests; types only.

/** Which OTLP signal a request carries. */
export type Signal = 'traces' | 'metrics' | 'logs';

/** How a batch reached the receiver. */
export type Transport = 'grpc' | 'http/protobuf' | 'http/json';

/**
 * OTLP attributes flattened to JS values: strings, booleans, numbers (int64 that does not fit a
 * double safely becomes a bigint), arrays, nested objects for kvlists, bytes as lowercase hex, and
 * `undefined` for an empty AnyValue.
 */
export type Attributes = Record<string, unknown>;

/** The instrumentation scope that produced an item. */
export interface ReceivedScope {
  name: string;
  version: string;
  attributes: Attributes;
}

/** One span event. */
export interface ReceivedSpanEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: Attributes;
}

/** One span link. */
export interface ReceivedSpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
}

/** One span; ids are lowercase hex, `parentSpanId` is '' for a root span. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  /** W3C trace flags in the low byte, is-remote bits above (OTLP SpanFlags). */
  flags: number;
  name: string;
  /** As OTLP: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  durationMs: number;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: ReceivedSpanEvent[];
  droppedEventsCount: number;
  links: ReceivedSpanLink[];
  droppedLinksCount: number;
  /** `code` as OTLP: 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
  resource: Attributes;
  scope: ReceivedScope;
}

/** Kind of metric, named after the OTLP `Metric.data` oneof member. */
export type MetricType = 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';

/** Buckets of one sign of an exponential histogram. */
export interface ReceivedBuckets {
  offset: number;
  bucketCounts: number[];
}

/** One exemplar attached to a data point. */
export interface ReceivedExemplar {
  value: number;
  timeUnixNano: bigint;
  traceId: string;
  spanId: string;
  filteredAttributes: Attributes;
}

/**
 * One data point. Which optional fields are set depends on the metric type: `value` for gauge and
 * sum; `count` and `sum` for the histograms and summary; `min`/`max` when the sender recorded them.
 */
export interface ReceivedDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  flags: number;
  exemplars: ReceivedExemplar[];
  value?: number;
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  /** Histogram: `bucketCounts.length === explicitBounds.length + 1`. */
  bucketCounts?: number[];
  explicitBounds?: number[];
  scale?: number;
  zeroCount?: number;
  zeroThreshold?: number;
  positive?: ReceivedBuckets;
  negative?: ReceivedBuckets;
  quantileValues?: { quantile: number; value: number }[];
}

/** One metric with the data points of one export. */
export interface ReceivedMetric {
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  /** 0 unspecified (gauge, summary), 1 delta, 2 cumulative. */
  aggregationTemporality: number;
  /** Only ever true for a monotonic sum. */
  isMonotonic: boolean;
  resource: Attributes;
  scope: ReceivedScope;
  dataPoints: ReceivedDataPoint[];
}

/** One log record; `traceId`/`spanId` are '' when the record has no span context. */
export interface ReceivedLog {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  eventName: string;
  body: unknown;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
  traceId: string;
  spanId: string;
  resource: Attributes;
  scope: ReceivedScope;
}

/** What one accepted Export request delivered; `bytes` is the (decompressed) request body size. */
export type ReceivedBatch =
  | { signal: 'traces'; transport: Transport; bytes: number; items: ReceivedSpan[] }
  | { signal: 'metrics'; transport: Transport; bytes: number; items: ReceivedMetric[] }
  | { signal: 'logs'; transport: Transport; bytes: number; items: ReceivedLog[] };
