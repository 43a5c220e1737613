// How finished spans travel: what the queue holds for each, and the exporter that sends a batch.
// Loaded by sdk.ts; the exporter itself only at the first export (otlp-exporters.ts).
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { QueuedSpan } from './batch-processor.js';
import type { SignalExport } from './config-export.js';
import type { Exporter } from './export-guard.js';
import type { TraceTransport } from './trace-pipeline.js';

interface HeldSpan extends QueuedSpan {
  readonly span: ReadableSpan;
}

/** The transport of the traces signal. */
export function traceTransport(): TraceTransport<HeldSpan> {
  return {
    encode: (span) => ({ span, size: 1 }),
    load: async (signal: SignalExport, _resource: Resource): Promise<Exporter<HeldSpan[]>> => {
      const { createTraceExporter } = await import('./otlp-exporters.js');
      const exporter = await createTraceExporter(signal);
      return {
        export: (items, done) =>
          exporter.export(
            items.map((i) => i.span),
            done,
          ),
        shutdown: () => exporter.shutdown(),
        forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
      };
    },
  };
}
