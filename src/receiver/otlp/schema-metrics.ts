// protobufjs reflection descriptor for opentelemetry/proto/metrics/v1/metrics.proto, written by hand.
// Assembled by schema.ts.
import type { IEnum, IType } from 'protobufjs';
import { COMMON, field, optional, optionalOneofs, RESOURCE, repeated } from './schema-common.js';

const keyValues = `${COMMON}.KeyValue`;

/** opentelemetry.proto.metrics.v1 */
export const metricsTypes: Record<string, IType | IEnum> = {
  MetricsData: { fields: { resourceMetrics: repeated('ResourceMetrics', 1) } },
  ResourceMetrics: {
    fields: {
      resource: field(`${RESOURCE}.Resource`, 1),
      scopeMetrics: repeated('ScopeMetrics', 2),
      schemaUrl: field('string', 3),
    },
  },
  ScopeMetrics: {
    fields: {
      scope: field(`${COMMON}.InstrumentationScope`, 1),
      metrics: repeated('Metric', 2),
      schemaUrl: field('string', 3),
    },
  },
  Metric: {
    // 4, 6 and 8 are reserved: they held the long-removed IntGauge, IntSum and IntHistogram.
    oneofs: { data: { oneof: ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] } },
    fields: {
      name: field('string', 1),
      description: field('string', 2),
      unit: field('string', 3),
      gauge: field('Gauge', 5),
      sum: field('Sum', 7),
      histogram: field('Histogram', 9),
      exponentialHistogram: field('ExponentialHistogram', 10),
      summary: field('Summary', 11),
      metadata: repeated(keyValues, 12),
    },
  },
  Gauge: { fields: { dataPoints: repeated('NumberDataPoint', 1) } },
  Sum: {
    fields: {
      dataPoints: repeated('NumberDataPoint', 1),
      aggregationTemporality: field('AggregationTemporality', 2),
      isMonotonic: field('bool', 3),
    },
  },
  Histogram: {
    fields: {
      dataPoints: repeated('HistogramDataPoint', 1),
      aggregationTemporality: field('AggregationTemporality', 2),
    },
  },
  ExponentialHistogram: {
    fields: {
      dataPoints: repeated('ExponentialHistogramDataPoint', 1),
      aggregationTemporality: field('AggregationTemporality', 2),
    },
  },
  Summary: { fields: { dataPoints: repeated('SummaryDataPoint', 1) } },
  AggregationTemporality: {
    values: {
      AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
      AGGREGATION_TEMPORALITY_DELTA: 1,
      AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
    },
  },
  DataPointFlags: { values: { DATA_POINT_FLAGS_DO_NOT_USE: 0, DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK: 1 } },
  NumberDataPoint: {
    oneofs: { value: { oneof: ['asDouble', 'asInt'] } },
    fields: {
      attributes: repeated(keyValues, 7),
      startTimeUnixNano: field('fixed64', 2),
      timeUnixNano: field('fixed64', 3),
      asDouble: field('double', 4),
      asInt: field('sfixed64', 6),
      exemplars: repeated('Exemplar', 5),
      flags: field('uint32', 8),
    },
  },
  HistogramDataPoint: {
    oneofs: optionalOneofs('sum', 'min', 'max'),
    fields: {
      attributes: repeated(keyValues, 9),
      startTimeUnixNano: field('fixed64', 2),
      timeUnixNano: field('fixed64', 3),
      count: field('fixed64', 4),
      sum: optional('double', 5),
      bucketCounts: repeated('fixed64', 6),
      explicitBounds: repeated('double', 7),
      exemplars: repeated('Exemplar', 8),
      flags: field('uint32', 10),
      min: optional('double', 11),
      max: optional('double', 12),
    },
  },
  ExponentialHistogramDataPoint: {
    oneofs: optionalOneofs('sum', 'min', 'max'),
    fields: {
      attributes: repeated(keyValues, 1),
      startTimeUnixNano: field('fixed64', 2),
      timeUnixNano: field('fixed64', 3),
      count: field('fixed64', 4),
      sum: optional('double', 5),
      scale: field('sint32', 6),
      zeroCount: field('fixed64', 7),
      positive: field('Buckets', 8),
      negative: field('Buckets', 9),
      flags: field('uint32', 10),
      exemplars: repeated('Exemplar', 11),
      min: optional('double', 12),
      max: optional('double', 13),
      zeroThreshold: field('double', 14),
    },
    nested: {
      Buckets: { fields: { offset: field('sint32', 1), bucketCounts: repeated('uint64', 2) } },
    },
  },
  SummaryDataPoint: {
    fields: {
      attributes: repeated(keyValues, 7),
      startTimeUnixNano: field('fixed64', 2),
      timeUnixNano: field('fixed64', 3),
      count: field('fixed64', 4),
      sum: field('double', 5),
      quantileValues: repeated('ValueAtQuantile', 6),
      flags: field('uint32', 8),
    },
    nested: {
      ValueAtQuantile: { fields: { quantile: field('double', 1), value: field('double', 2) } },
    },
  },
  Exemplar: {
    oneofs: { value: { oneof: ['asDouble', 'asInt'] } },
    fields: {
      filteredAttributes: repeated(keyValues, 7),
      timeUnixNano: field('fixed64', 2),
      asDouble: field('double', 3),
      asInt: field('sfixed64', 6),
      spanId: field('bytes', 4),
      traceId: field('bytes', 5),
    },
  },
};
