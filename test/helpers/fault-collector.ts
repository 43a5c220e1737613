// An OTLP/gRPC collector whose answers can be made to fail: errors (UNAVAILABLE, RESOURCE_EXHAUSTED),
// slow answers, no answer at all, or stopped and restarted on the same port. Accepted requests are
// decoded by the project's receiver code. Used by the faults suite (test/faults/) and e2e tests.
import {
  type Metadata,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import { decodeBatch, exportResponse } from '../../src/receiver/otlp/decode.js';
import { exportService } from '../../src/receiver/server/grpc-server.js';
import type { ReceivedSpan, Signal } from '../../src/receiver/types.js';

/** How the collector answers each Export call. */
export type FaultMode =
  | { readonly kind: 'ok' }
  /** Answers with this gRPC status (status.UNAVAILABLE, status.RESOURCE_EXHAUSTED, ...). */
  | { readonly kind: 'status'; readonly code: status }
  /** Answers OK after `delayMs`; what it accepts counts only once it has answered. */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** Takes the call and never answers it. */
  | { readonly kind: 'hang' };

export interface FaultCollector {
  /** Bound port; the same across stop() and start(). */
  readonly port: number;
  /** `http://127.0.0.1:port`, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly endpoint: string;
  mode: FaultMode;
  /** Spans in Export calls answered OK, oldest first (at most 50 000 kept). */
  readonly spans: readonly ReceivedSpan[];
  /** When each trace Export call was answered OK (Date.now()). */
  readonly traceAcceptedAt: readonly number[];
  /** Export calls seen, by how they were answered. */
  readonly calls: { ok: number; failed: number; hung: number };
  /** The metadata (headers) of the last Export call. */
  readonly lastMetadata: Metadata | undefined;
  spansOf(service: string): ReceivedSpan[];
  /** Resolves when `predicate` holds, polling every 25 ms; rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs: number): Promise<void>;
  /** Kills the server: open connections are cut, calls in progress fail. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];
const MAX_SPANS = 50_000;

/** Starts a fault collector on 127.0.0.1 (a free port unless `port` is given), answering `mode`. */
export async function faultCollector(
  options: { port?: number; mode?: FaultMode } = {},
): Promise<FaultCollector> {
  const spans: ReceivedSpan[] = [];
  const calls = { ok: 0, failed: 0, hung: 0 };
  const traceAcceptedAt: number[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let lastMetadata: Metadata | undefined;
  let server: Server | undefined;
  let port = options.port ?? 0;

  const handler =
    (signal: Signal) =>
    (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
      lastMetadata = call.metadata;
      const mode = collector.mode;
      const accept = (): void => {
        let items: ReceivedSpan[] = [];
        try {
          const batch = decodeBatch(signal, call.request, 'grpc');
          if (batch.signal === 'traces') items = batch.items;
        } catch (error) {
          calls.failed++;
          callback({ code: status.INVALID_ARGUMENT, details: (error as Error).message });
          return;
        }
        calls.ok++;
        if (signal === 'traces') traceAcceptedAt.push(Date.now());
        spans.push(...items);
        if (spans.length > MAX_SPANS) spans.splice(0, spans.length - MAX_SPANS);
        callback(null, Buffer.from(exportResponse(signal, 'protobuf')));
      };
      if (mode.kind === 'ok') accept();
      else if (mode.kind === 'status') {
        calls.failed++;
        callback({ code: mode.code, details: `fault injected: status ${mode.code}` });
      } else if (mode.kind === 'slow') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          accept();
        }, mode.delayMs);
        timers.add(timer);
      } else calls.hung++;
    };

  const start = async (): Promise<void> => {
    if (server !== undefined) return;
    const next = new Server();
    for (const signal of SIGNALS) {
      next.addService(exportService(signal), { Export: handler(signal) });
    }
    port = await new Promise<number>((resolve, reject) => {
      next.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      );
    });
    server = next;
  };

  const stop = async (): Promise<void> => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    server?.forceShutdown();
    server = undefined;
  };

  const collector: FaultCollector = {
    get port() {
      return port;
    },
    get endpoint() {
      return `http://127.0.0.1:${port}`;
    },
    mode: options.mode ?? { kind: 'ok' },
    spans,
    traceAcceptedAt,
    calls,
    get lastMetadata() {
      return lastMetadata;
    },
    spansOf: (service) => spans.filter((span) => span.resource['service.name'] === service),
    waitFor: async (predicate, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`fault collector: condition not met in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    stop,
    start,
    close: stop,
  };
  await start();
  return collector;
}
