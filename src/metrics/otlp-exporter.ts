// The OTLP metric exporter: each collection is serialized on this thread with upstream's OTLP
// serializer (protobuf, or JSON for http/json) and sent by the export worker, which owns the
// connection. Only imported dynamically, at the first metrics export.
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { SignalExport } from '../config/export.js';
import type { Exporter } from '../export/guard.js';
import { WorkerExporter } from '../export/worker-exporter.js';
import type { ExportWorker } from '../export/worker-host.js';

/** The metric exporter `signal` describes, sending through `worker`. */
export async function createMetricExporter(
  signal: SignalExport,
  worker: ExportWorker,
): Promise<Exporter<ResourceMetrics>> {
  const exporter = await WorkerExporter.load(worker, 'metrics');
  const serializer = signal.protocol === 'http/json' ? JsonMetricsSerializer : ProtobufMetricsSerializer;
  return {
    export: (metrics, done) =>
      exporter.export(serializer.serializeRequest(metrics) ?? new Uint8Array(), done),
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
  };
}
