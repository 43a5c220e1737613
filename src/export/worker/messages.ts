// The messages between the main thread (src/export/worker-host.ts) and the export worker
// (worker.ts), and what the worker is started with. Types only: imported by both sides.
import type { SignalExport } from '../../config/export.js';

export type WorkerSignal = 'traces' | 'metrics';

/** The worker's workerData: how each exported signal is sent. */
export interface WorkerSetup {
  readonly signals: Partial<Record<WorkerSignal, SignalExport>>;
}

/** One serialized OTLP export request (ExportTraceServiceRequest or ExportMetricsServiceRequest). */
export interface ExportRequest {
  readonly signal: WorkerSignal;
  readonly bytes: ArrayBuffer;
}

/**
 * Main thread to worker. `export`: send one request, answer with a {@link ExportReply} of its id.
 * `flush` (at exit, when the main thread cannot read replies): send `requests`, wait for every
 * export in flight too, then write to `done` (Int32Array: [finished 0|1, sent, failed]) and notify.
 * `reset`: close the signal's connection; the next export opens a new one.
 */
export type ToWorker =
  | ({ readonly type: 'export'; readonly id: number } & ExportRequest)
  | {
      readonly type: 'flush';
      readonly requests: readonly ExportRequest[];
      readonly timeoutMs: number;
      readonly done: SharedArrayBuffer;
    }
  | { readonly type: 'reset'; readonly signal: WorkerSignal };

/** Worker to main thread: `ready` once its transports are loaded, then one reply per export. */
export type FromWorker = { readonly type: 'ready' } | ExportReply;

/** The outcome of one export: `error` is one line, the transport's own words, with no header values. */
export type ExportReply =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: string };

/** Indexes into the Int32Array over a flush's `done` buffer. */
export const FLUSH_FINISHED = 0;
export const FLUSH_SENT = 1;
export const FLUSH_FAILED = 2;

/** Sends one serialized request of one signal; rejects with the one-line reason. */
export interface Sender {
  send(bytes: Uint8Array, timeoutMs: number): Promise<void>;
  /** Closes the connection (the next send opens a new one). */
  close(): void;
}
