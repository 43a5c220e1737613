// The exporter that the ExportGuard of one signal drives when export runs in the export worker:
// each export is one serialized OTLP request, handed to the worker (export/worker-host.ts).
// Loaded by the code that builds the exporters.
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { Exporter } from './guard.js';
import type { WorkerSignal } from './worker/messages.js';
import type { ExportWorker, FlushResult } from './worker-host.js';

/** Exports serialized requests of one signal through the shared export worker. */
export class WorkerExporter implements Exporter<Uint8Array> {
  constructor(
    private readonly worker: ExportWorker,
    readonly signal: WorkerSignal,
  ) {}

  /** The exporter of `signal` once `worker` is started and ready: the ExportGuard's `load`. */
  static async load(worker: ExportWorker, signal: WorkerSignal): Promise<WorkerExporter> {
    await worker.start();
    return new WorkerExporter(worker, signal);
  }

  /** Sends `request` (one serialized OTLP request), which is handed over: do not reuse it. */
  export(request: Uint8Array, resultCallback: (result: ExportResult) => void): void {
    this.worker.send(this.signal, request).then(
      () => resultCallback({ code: ExportResultCode.SUCCESS }),
      (error: Error) => resultCallback({ code: ExportResultCode.FAILED, error }),
    );
  }

  /** Resolves when this signal's exports in flight are answered. */
  forceFlush(): Promise<void> {
    return this.worker.settled(this.signal);
  }

  /** Waits for the exports in flight, then closes this signal's connection (the worker stays). */
  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.worker.reset(this.signal);
  }

  /** See {@link ExportWorker.flushSync}: for a `process.on('exit')` handler. */
  flushSync(requests: readonly Uint8Array[], timeoutMs: number): FlushResult {
    return this.worker.flushSync(
      requests.map((bytes) => ({ signal: this.signal, bytes })),
      timeoutMs,
    );
  }
}

/**
 * The exporter of items of type `T` (a batch of spans, a metrics collection), each serialized by
 * `serialize` into one OTLP request for `exporter`.
 */
export function serializingExporter<T>(
  exporter: WorkerExporter,
  serialize: (item: T) => Uint8Array,
): Exporter<T> {
  return {
    export: (item, done) => exporter.export(serialize(item), done),
    exportSync: (items, timeoutMs) => exporter.flushSync(items.map(serialize), timeoutMs).finished,
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
  };
}
