// How finished spans travel: each is encoded to OTLP protobuf bytes at its end (the queue holds
// bytes, bounded by bytes), and a batch becomes one serialized request handed to the export worker,
// which owns the connection. OTLP/JSON keeps the spans and serializes a batch with upstream's JSON
// serializer. Loaded by boot/sdk.ts.
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { SignalExport } from '../config/export.js';
import {
  assembleTraceRequest,
  type QueuedSpan as EncodedSpan,
  encodeResource,
  encodeSpan,
  scopeKeyOf,
} from '../export/otlp-encode/index.js';
import { serializingExporter, WorkerExporter } from '../export/worker-exporter.js';
import type { ExportWorker } from '../export/worker-host.js';
import type { TraceTransport } from './pipeline.js';

/**
 * What a span kept for OTLP/JSON counts against the queue's byte bound: its JSON is only written
 * with its batch, and a server span's is about this size.
 */
const JSON_SPAN_BYTES = 1024;

/** The transport of the traces signal for `signal`'s protocol, exporting through `worker`. */
export function traceTransport(
  signal: SignalExport,
  worker: () => ExportWorker,
): TraceTransport<EncodedSpan> | TraceTransport<ReadableSpan> {
  return signal.protocol === 'http/json' ? jsonTransport(worker) : protobufTransport(worker);
}

function protobufTransport(worker: () => ExportWorker): TraceTransport<EncodedSpan> {
  const serializer =
    (resource: Resource) =>
    (spans: readonly EncodedSpan[]): Uint8Array =>
      assembleTraceRequest(encodeResource(resource), spans);
  return {
    encoder: {
      encode: (span) => ({ scope: scopeKeyOf(span.instrumentationScope), bytes: encodeSpan(span) }),
      size: (item) => item.bytes.byteLength,
    },
    load: async (_signal, resource) =>
      serializingExporter(await WorkerExporter.load(worker(), 'traces'), serializer(resource)),
    loadAtExit: (_signal, resource) =>
      serializingExporter(new WorkerExporter(worker(), 'traces'), serializer(resource)),
  };
}

function jsonTransport(worker: () => ExportWorker): TraceTransport<ReadableSpan> {
  return {
    encoder: { encode: (span) => span, size: () => JSON_SPAN_BYTES },
    load: async (_signal: SignalExport, _resource: Resource) => {
      const { JsonTraceSerializer } = await import('@opentelemetry/otlp-transformer');
      const exporter = await WorkerExporter.load(worker(), 'traces');
      return serializingExporter(
        exporter,
        (spans) => JsonTraceSerializer.serializeRequest([...spans]) ?? new Uint8Array(),
      );
    },
    // The JSON serializer is loaded with the first export: before it, nothing can be serialized.
    loadAtExit: () => {
      throw new Error('the OTLP/JSON exporter is not loaded');
    },
  };
}
