// Builds each exported signal's sender: OTLP/gRPC over node:http2, or OTLP/HTTP, loading only the
// one its protocol needs. Used by the export worker (worker.ts) and, for an exit flush that comes
// before the worker has started, by the service's own thread (export/worker-host.ts).
import type { SignalExport } from '../../config/export.js';
import type { Sender, WorkerSignal } from './messages.js';

function buildSender(signal: WorkerSignal, config: SignalExport): Promise<Sender> {
  return config.protocol === 'grpc'
    ? import('./grpc-sender.js').then(({ grpcSender }) => grpcSender(signal, config))
    : import('./http-sender.js').then(({ httpSender }) => httpSender(config));
}

/** Each signal's sender, being built. */
export function buildSenders(
  signals: Partial<Record<WorkerSignal, SignalExport>>,
): Map<WorkerSignal, Promise<Sender>> {
  const senders = new Map<WorkerSignal, Promise<Sender>>();
  for (const [signal, config] of Object.entries(signals) as [WorkerSignal, SignalExport][]) {
    const sender = buildSender(signal, config);
    // A sender that cannot be built (an unreadable TLS file) fails each export with the reason.
    sender.catch(() => undefined);
    senders.set(signal, sender);
  }
  return senders;
}

/** Closes a sender's connection once it is built (the next send opens a new one). */
export function closeSender(sender: Promise<Sender> | undefined): void {
  void sender?.then(
    (built) => built.close(),
    () => undefined,
  );
}
