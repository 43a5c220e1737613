// The OTLP metric exporter: each collection is serialized on this thread with upstream's OTLP
// serializer (protobuf, or JSON for http/json) and sent by the export worker, which owns the
// connection. Only imported dynamically, at the first metrics export.
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { SignalExport } from '../config/export.js';
import type { Exporter } from '../export/guard.js';
import { serializingExporter, WorkerExporter } from '../export/worker-exporter.js';
import type { ExportWorker } from '../export/worker-host.js';

/** The metric exporter `signal` describes, sending through `worker`. */
export async function createMetricExporter(
  signal: SignalExport,
  worker: ExportWorker,
): Promise<Exporter<ResourceMetrics>> {
  const serializer = signal.protocol === 'http/json' ? JsonMetricsSerializer : ProtobufMetricsSerializer;
  return serializingExporter(
    await WorkerExporter.load(worker, 'metrics'),
    (metrics: ResourceMetrics) => serializer.serializeRequest(metrics) ?? new Uint8Array(),
  );
}
