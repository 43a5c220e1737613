// Builds the sender of one signal: OTLP/gRPC over node:http2, or OTLP/HTTP, loading only the one its
// protocol needs. Used by the export worker (worker.ts) and, for an exit flush that comes before the
// worker has started, by the service's own thread (export/worker-host.ts).
import type { SignalExport } from '../../config/export.js';
import type { Sender, WorkerSignal } from './messages.js';

export function buildSender(signal: WorkerSignal, config: SignalExport): Promise<Sender> {
  return config.protocol === 'grpc'
    ? import('./grpc-sender.js').then(({ grpcSender }) => grpcSender(signal, config))
    : import('./http-sender.js').then(({ httpSender }) => httpSender(config));
}
