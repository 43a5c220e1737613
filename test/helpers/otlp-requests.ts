// Real serialized OTLP export requests (upstream's serializers over spans made by the SDK), and the
// export settings the agent's own config reader makes from an environment. Used by the export
// worker tests and their fixture.
import {
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { type ReadableSpan, TracerProvider } from '@opentelemetry/sdk-trace';
import { parseConfig } from '../../src/config/config.js';
import type { SignalExport } from '../../src/config/export.js';

/** One ExportTraceServiceRequest holding one ended span per name, of service `service`. */
export function traceRequest(service: string, names: readonly string[], json = false): Uint8Array {
  const spans: ReadableSpan[] = [];
  // Kept as they end (the SDK's own processors hand spans on asynchronously).
  const keep = {
    onStart: () => undefined,
    onEnd: (span: ReadableSpan) => void spans.push(span),
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [keep],
  });
  const tracer = provider.getTracer('export-worker-test');
  for (const name of names) tracer.startSpan(name).end();
  const bytes = (json ? JsonTraceSerializer : ProtobufTraceSerializer).serializeRequest(spans);
  if (bytes === undefined) throw new Error('the serializer returned nothing');
  return bytes;
}

/** A reader that only collects when asked. */
class OnDemandReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** One ExportMetricsServiceRequest holding counter `name` (value 1) of service `service`. */
export async function metricsRequest(service: string, name: string, json = false): Promise<Uint8Array> {
  const reader = new OnDemandReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    readers: [reader],
  });
  provider.getMeter('export-worker-test').createCounter(name).add(1);
  const { resourceMetrics } = await reader.collect();
  const bytes = (json ? JsonMetricsSerializer : ProtobufMetricsSerializer).serializeRequest(resourceMetrics);
  if (bytes === undefined) throw new Error('the serializer returned nothing');
  return bytes;
}

/** The traces export the agent would read from `env` (OTEL_EXPORTER_OTLP_* variables). */
export function tracesExport(env: Record<string, string>): SignalExport {
  const traces = parseConfig(env).config.traces;
  if (traces === undefined) throw new Error(`no traces export in ${JSON.stringify(Object.keys(env))}`);
  return traces;
}

/** The metrics export the agent would read from `env`. */
export function metricsExport(env: Record<string, string>): SignalExport {
  const metrics = parseConfig(env).config.metrics;
  if (metrics === undefined) throw new Error(`no metrics export in ${JSON.stringify(Object.keys(env))}`);
  return metrics;
}
