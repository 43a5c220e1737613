// Normalises an ExportMetricsServiceRequest (decoded protobuf or parsed JSON) into ReceivedMetric objects.
// Loaded by decode.ts.

import type {
  MetricType,
  ReceivedBuckets,
  ReceivedDataPoint,
  ReceivedExemplar,
  ReceivedMetric,
} from '../types.js';
import type { OtlpSchema } from './schema.js';
import {
  attributes,
  double,
  enumValue,
  has,
  id,
  int32,
  int64,
  int64Number,
  type Loose,
  list,
  obj,
  scope,
  str,
} from './values.js';

const TYPES: readonly MetricType[] = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'];

/** NumberDataPoint and Exemplar carry their value in a double/sfixed64 oneof. */
const numberValue = (o: Loose): number => (has(o, 'asInt') ? int64Number(o.asInt, true) : double(o.asDouble));

function exemplar(e: Loose): ReceivedExemplar {
  return {
    value: numberValue(e),
    timeUnixNano: int64(e.timeUnixNano),
    traceId: id(e.traceId),
    spanId: id(e.spanId),
    filteredAttributes: attributes(e.filteredAttributes),
  };
}

function buckets(v: unknown): ReceivedBuckets {
  const o = obj(v);
  return { offset: int32(o.offset), bucketCounts: counts(o.bucketCounts) };
}

/** Repeated 64-bit counts; `list` would turn scalars into empty objects, so map them directly. */
const counts = (v: unknown): number[] => (Array.isArray(v) ? v.map((c) => int64Number(c)) : []);
const doubles = (v: unknown): number[] => (Array.isArray(v) ? v.map(double) : []);

/** Copies the proto3 `optional` doubles that are present, so absent stays absent. */
function optionals(p: Loose, point: ReceivedDataPoint, names: ('sum' | 'min' | 'max')[]): void {
  for (const name of names) if (has(p, name)) point[name] = double(p[name]);
}

function dataPoint(type: MetricType, p: Loose): ReceivedDataPoint {
  const point: ReceivedDataPoint = {
    attributes: attributes(p.attributes),
    startTimeUnixNano: int64(p.startTimeUnixNano),
    timeUnixNano: int64(p.timeUnixNano),
    flags: int32(p.flags),
    exemplars: list(p.exemplars).map(exemplar),
  };
  switch (type) {
    case 'gauge':
    case 'sum':
      point.value = numberValue(p);
      break;
    case 'histogram':
      point.count = int64Number(p.count);
      optionals(p, point, ['sum', 'min', 'max']);
      point.bucketCounts = counts(p.bucketCounts);
      point.explicitBounds = doubles(p.explicitBounds);
      break;
    case 'exponentialHistogram':
      point.count = int64Number(p.count);
      optionals(p, point, ['sum', 'min', 'max']);
      point.scale = int32(p.scale);
      point.zeroCount = int64Number(p.zeroCount);
      point.zeroThreshold = double(p.zeroThreshold);
      point.positive = buckets(p.positive);
      point.negative = buckets(p.negative);
      break;
    case 'summary':
      point.count = int64Number(p.count);
      point.sum = double(p.sum);
      point.quantileValues = list(p.quantileValues).map((q) => ({
        quantile: double(q.quantile),
        value: double(q.value),
      }));
      break;
  }
  return point;
}

/**
 * The metrics of one request, with resource and scope copied onto each. A metric whose `data`
 * oneof is unset carries nothing to assert on and is skipped.
 */
export function metricsFromRequest(request: Loose, enums: OtlpSchema['enums']): ReceivedMetric[] {
  const out: ReceivedMetric[] = [];
  for (const resourceMetrics of list(request.resourceMetrics)) {
    const resource = attributes(obj(resourceMetrics.resource).attributes);
    for (const scopeMetrics of list(resourceMetrics.scopeMetrics)) {
      const metricScope = scope(scopeMetrics.scope);
      for (const metric of list(scopeMetrics.metrics)) {
        const type = TYPES.find((t) => has(metric, t));
        if (type === undefined) continue;
        const data = obj(metric[type]);
        out.push({
          name: str(metric.name),
          description: str(metric.description),
          unit: str(metric.unit),
          type,
          aggregationTemporality: enumValue(data.aggregationTemporality, enums.aggregationTemporality),
          isMonotonic: data.isMonotonic === true,
          resource,
          scope: metricScope,
          dataPoints: list(data.dataPoints).map((p) => dataPoint(type, p)),
        });
      }
    }
  }
  return out;
}
