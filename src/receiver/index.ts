// Public entry of the local OTLP receiver (dev tool and test backend): startReceiver and its types.
// Imported by tests and dev tools that need an OTLP backend; starts nothing by itself.
import { hostPort } from './server/address.js';
import { type RunningServer, startGrpcServer, type TlsOptions } from './server/grpc-server.js';
import { startHttpServer } from './server/http-server.js';
import { type ReceiverLimits, resolveLimits } from './server/limits.js';
import { type BatchListener, TelemetryStore } from './store.js';
import type { ReceivedLog, ReceivedMetric, ReceivedSpan } from './types.js';

export type { TlsOptions } from './server/grpc-server.js';
export { DEFAULT_LIMITS, type ReceiverLimits } from './server/limits.js';
export { type BatchListener, TelemetryStore } from './store.js';
export type * from './types.js';

/** Options of {@link startReceiver}. */
export interface ReceiverOptions {
  /** Interface to listen on. Default '127.0.0.1': the receiver is a local tool, not a collector. */
  host?: string;
  /** OTLP/gRPC port; 0 (default) picks a free one, false disables gRPC. */
  grpcPort?: number | false;
  /** OTLP/HTTP port; 0 (default) picks a free one, false disables HTTP. */
  httpPort?: number | false;
  /** Request and storage limits; anything left out uses {@link DEFAULT_LIMITS}. */
  limits?: Partial<ReceiverLimits>;
  /** How long close() lets in-flight requests finish before cutting connections. Default 100 ms. */
  closeGraceMs?: number;
  /** Serve OTLP/gRPC over TLS with this certificate and key (the HTTP server stays plain text). */
  tls?: TlsOptions;
}

/** A running receiver. Endpoint getters throw if that protocol was disabled. */
export interface Receiver {
  readonly host: string;
  /** Bound gRPC port. */
  readonly grpcPort: number;
  /** `http://host:port` (`https://` with TLS), what OTLPTraceExporter({ url }) from exporter-*-otlp-grpc expects. */
  readonly grpcEndpoint: string;
  /** Bound HTTP port. */
  readonly httpPort: number;
  /** `http://host:port`, the base of OTEL_EXPORTER_OTLP_ENDPOINT; signals are at /v1/traces etc. */
  readonly httpEndpoint: string;
  /** The limits in force, defaults filled in. */
  readonly limits: Readonly<ReceiverLimits>;
  /** Everything received; the accessors below are shortcuts to it. */
  readonly store: TelemetryStore;
  readonly spans: readonly ReceivedSpan[];
  readonly metrics: readonly ReceivedMetric[];
  readonly logs: readonly ReceivedLog[];
  /** See {@link TelemetryStore.waitFor}. */
  waitFor(predicate: (store: TelemetryStore) => boolean, timeoutMs?: number): Promise<void>;
  /** See {@link TelemetryStore.onBatch}; returns the unsubscribe function. */
  onBatch(listener: BatchListener): () => void;
  /** Forgets everything received so far. */
  clear(): void;
  /** Frees both ports (forcibly after the grace period) and rejects pending waitFor calls. Idempotent. */
  close(): Promise<void>;
}

function portOption(name: string, value: number | false | undefined): number | false {
  if (value === undefined) return 0;
  if (value === false || (Number.isInteger(value) && value >= 0 && value <= 65535)) return value;
  throw new TypeError(
    `receiver ${name} must be a port number (0 for any free port) or false, got ${String(value)}`,
  );
}

/**
 * Starts the OTLP receiver: gRPC and HTTP on 127.0.0.1, free ports by default.
 * @throws {TypeError} for invalid options; rejects if a port cannot be bound (nothing stays open).
 */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const host = options.host ?? '127.0.0.1';
  const grpcPort = portOption('grpcPort', options.grpcPort);
  const httpPort = portOption('httpPort', options.httpPort);
  const limits = resolveLimits(options.limits);
  const closeGraceMs = options.closeGraceMs ?? 100;
  const store = new TelemetryStore(limits);

  let grpc: RunningServer | undefined;
  let http: RunningServer | undefined;
  try {
    if (grpcPort !== false) grpc = await startGrpcServer(host, grpcPort, limits, store, options.tls);
    if (httpPort !== false) http = await startHttpServer(host, httpPort, limits, store);
  } catch (error) {
    await grpc?.close(0);
    throw error;
  }

  const bound = (server: RunningServer | undefined, what: string): number => {
    if (server === undefined) throw new Error(`the receiver was started with ${what}: false`);
    return server.port;
  };
  let closing: Promise<void> | undefined;
  return {
    host,
    get grpcPort() {
      return bound(grpc, 'grpcPort');
    },
    get grpcEndpoint() {
      return `${options.tls ? 'https' : 'http'}://${hostPort(host, bound(grpc, 'grpcPort'))}`;
    },
    get httpPort() {
      return bound(http, 'httpPort');
    },
    get httpEndpoint() {
      return `http://${hostPort(host, bound(http, 'httpPort'))}`;
    },
    limits,
    store,
    get spans() {
      return store.spans;
    },
    get metrics() {
      return store.metrics;
    },
    get logs() {
      return store.logs;
    },
    waitFor: (predicate, timeoutMs) => store.waitFor(predicate, timeoutMs),
    onBatch: (listener) => store.onBatch(listener),
    clear: () => store.clear(),
    close() {
      closing ??= Promise.all([grpc?.close(closeGraceMs), http?.close(closeGraceMs)]).then(() =>
        store.cancelWaiters('the receiver was closed'),
      );
      return closing;
    },
  };
}
