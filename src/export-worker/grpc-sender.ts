// Sends serialized OTLP requests of one signal as unary gRPC Export calls over one reused HTTP/2
// session of Node's own node:http2 (no retry: a failed call fails the export, as upstream's
// OTLP/gRPC exporters do). Not grpc-js: it costs a fraction of the worker's CPU per request and
// nothing to load. Loaded by the export worker (worker.ts) only.
import { type ClientHttp2Session, connect, type OutgoingHttpHeaders } from 'node:http2';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { SignalExport } from '../config-export.js';
import { readTls } from '../tls-files.js';
import { unaryCall } from './grpc-call.js';
import { GrpcError, Status } from './grpc-status.js';
import type { Sender, WorkerSignal } from './messages.js';

const gzipAsync = promisify(gzip);

const PATHS: Record<WorkerSignal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
};

/** As upstream: after this many deadlines in a row the session is replaced (it may be stuck). */
const MAX_DEADLINES = 5;
/** Headers HTTP/2 forbids (node:http2 throws on them): a user header of these names is not sent. */
const CONNECTION_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
]);

export async function grpcSender(signal: WorkerSignal, config: SignalExport): Promise<Sender> {
  const tls = await readTls(config);
  const gzipped = config.compression === 'gzip';
  // As grpc-js: the URL's host, port 443 when it names none (also for http://); the scheme only
  // decided `insecure` (config-export.ts).
  const target = new URL(config.endpoint);
  target.protocol = config.insecure ? 'http:' : 'https:';
  if (target.port === '') target.port = '443';
  const authority = target.origin;
  const headers: OutgoingHttpHeaders = {};
  for (const [key, value] of Object.entries(config.headers))
    if (!CONNECTION_HEADERS.has(key)) headers[key] = value;
  Object.assign(headers, {
    ':method': 'POST',
    ':path': PATHS[signal],
    'content-type': 'application/grpc',
    te: 'trailers',
    'user-agent': 'logos-otel-export-worker',
    'grpc-accept-encoding': 'identity',
    ...(gzipped ? { 'grpc-encoding': 'gzip' } : {}),
  });

  const open = (): ClientHttp2Session => {
    const opened = connect(authority, config.insecure ? {} : { ca: tls.ca, cert: tls.cert, key: tls.key });
    // Never what keeps the worker (or the process) alive: a call in flight has its own timer.
    opened.unref();
    const forget = (): void => {
      if (session === opened) session = undefined;
    };
    // A failed connection fails the calls on it (each with the reason); the next call reconnects.
    opened.on('error', forget);
    opened.on('goaway', forget);
    opened.on('close', forget);
    return opened;
  };
  // The worker starts once the collector answered a connect (the ExportGuard's probe): the session
  // connects now, so that the first export (maybe the last ones, handed over at exit) finds it open.
  let session: ClientHttp2Session | undefined = open();
  let deadlines = 0;
  return {
    async send(bytes, timeoutMs) {
      const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const message = gzipped ? await gzipAsync(raw) : raw;
      const current = session !== undefined && !session.closed && !session.destroyed ? session : open();
      session = current;
      try {
        await unaryCall(current, headers, message, gzipped, timeoutMs);
        deadlines = 0;
      } catch (error) {
        if (
          error instanceof GrpcError &&
          error.code === Status.DEADLINE_EXCEEDED &&
          ++deadlines > MAX_DEADLINES
        ) {
          // The calls still on it end by their own deadlines, then it closes.
          current.close();
          if (session === current) session = undefined;
          deadlines = 0;
        }
        throw error;
      }
    },
    close() {
      session?.close();
      session = undefined;
    },
  };
}
