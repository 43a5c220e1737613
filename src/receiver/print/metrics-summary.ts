// A short per-service summary of received metrics: HTTP request counts and latency percentiles
// from the duration histograms, event-loop delay and heap. Pure; used by the printer and the demo.
import type { ReceivedDataPoint, ReceivedMetric } from '../types.js';

/** Percentile `q` (0..1) of a histogram data point, by linear interpolation inside its bucket. */
export function histogramPercentile(point: ReceivedDataPoint, q: number): number | undefined {
  const counts = point.bucketCounts ?? [];
  const bounds = point.explicitBounds ?? [];
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i] ?? 0;
    if (seen + count >= q * total && count > 0) {
      const low = i === 0 ? (point.min ?? 0) : (bounds[i - 1] ?? 0);
      const high = i < bounds.length ? (bounds[i] ?? low) : (point.max ?? low);
      return low + ((q * total - seen) / count) * (high - low);
    }
    seen += count;
  }
  return point.max;
}

/** One line per service: what its latest metrics say. */
export function summarizeMetrics(metrics: readonly ReceivedMetric[]): string[] {
  const latest = new Map<string, Map<string, ReceivedMetric>>();
  for (const metric of metrics) {
    const service = String(metric.resource['service.name'] ?? 'unknown');
    const byName = latest.get(service) ?? new Map<string, ReceivedMetric>();
    byName.set(metric.name, metric);
    latest.set(service, byName);
  }
  const lines: string[] = [];
  for (const [service, byName] of [...latest].sort(([a], [b]) => a.localeCompare(b))) {
    const parts: string[] = [];
    const server = byName.get('http.server.request.duration');
    if (server) {
      const points = server.dataPoints;
      const count = points.reduce((n, p) => n + Number(p.count ?? 0), 0);
      const errors = points
        .filter((p) => Number(p.attributes['http.response.status_code'] ?? 0) >= 500)
        .reduce((n, p) => n + Number(p.count ?? 0), 0);
      const merged = mergePoints(points);
      const p50 = merged && histogramPercentile(merged, 0.5);
      const p95 = merged && histogramPercentile(merged, 0.95);
      parts.push(`${count} requests, ${errors} errors`);
      if (p50 !== undefined && p95 !== undefined) parts.push(`p50 ${ms(p50)} p95 ${ms(p95)}`);
    }
    const loop = byName.get('nodejs.eventloop.delay.p99')?.dataPoints[0]?.value;
    if (loop !== undefined) parts.push(`event-loop p99 ${ms(loop)}`);
    const heap = byName.get('v8js.memory.heap.used')?.dataPoints.reduce((n, p) => n + (p.value ?? 0), 0);
    if (heap !== undefined) parts.push(`heap ${(heap / 1048576).toFixed(1)} MiB`);
    lines.push(`  ${service}: ${parts.length > 0 ? parts.join(', ') : `${byName.size} metrics`}`);
  }
  return lines;
}

function mergePoints(points: readonly ReceivedDataPoint[]): ReceivedDataPoint | undefined {
  const first = points[0];
  if (first === undefined || first.bucketCounts === undefined) return undefined;
  const sameBounds = points.filter(
    (p) => JSON.stringify(p.explicitBounds) === JSON.stringify(first.explicitBounds),
  );
  return {
    ...first,
    bucketCounts: first.bucketCounts.map((_, i) =>
      sameBounds.reduce((n, p) => n + (p.bucketCounts?.[i] ?? 0), 0),
    ),
    min: Math.min(...sameBounds.map((p) => p.min ?? Number.POSITIVE_INFINITY)),
    max: Math.max(...sameBounds.map((p) => p.max ?? 0)),
  };
}

function ms(seconds: number): string {
  return `${(seconds * 1000).toFixed(1)}ms`;
}
