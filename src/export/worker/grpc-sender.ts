// Sends serialized OTLP requests of one signal as unary gRPC Export calls over one reused HTTP/2
// session of Node's own node:http2 (no retry: a failed call fails the export, as upstream's
// OTLP/gRPC exporters do). Not grpc-js: it costs a fraction of the worker's CPU per request and
// nothing to load. Loaded through senders.ts, by the export worker or, for an exit flush before it,
// by the service's thread.
import { type ClientHttp2Session, connect, type OutgoingHttpHeaders } from 'node:http2';
import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { SignalExport } from '../../config/export.js';
import { readTls } from '../../config/tls-files.js';
import { unaryCall } from './grpc-call.js';
import { proxyFor, tunnel } from './grpc-proxy.js';
import { deadlineError, GrpcError, Status } from './grpc-status.js';
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

/** `env` is where the proxy variables are read (grpc-proxy.ts). */
export async function grpcSender(
  signal: WorkerSignal,
  config: SignalExport,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Sender> {
  const tls = await readTls(config);
  const gzipped = config.compression === 'gzip';
  // As grpc-js: the URL's host, port 443 when it names none (also for http://); the scheme only
  // decided `insecure` (config/export.ts).
  const target = new URL(config.endpoint);
  target.protocol = config.insecure ? 'http:' : 'https:';
  if (target.port === '') target.port = '443';
  const authority = target.origin;
  // The tunnel's target names the port even where the URL leaves out a default one.
  const hostPort = `${target.hostname}:${target.port || '443'}`;
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

  const tlsOptions = config.insecure ? {} : { ca: tls.ca, cert: tls.cert, key: tls.key };
  const proxy = proxyFor(target.hostname, env);
  const dial = (): ClientHttp2Session | Promise<ClientHttp2Session> => {
    if (proxy === undefined) return connect(authority, tlsOptions);
    return tunnel(proxy, hostPort, config.timeoutMs).then((socket) =>
      connect(authority, {
        ...tlsOptions,
        createConnection: () =>
          config.insecure
            ? socket
            : tlsConnect({ socket, servername: serverName(target), ALPNProtocols: ['h2'], ...tlsOptions }),
      }),
    );
  };
  let session: ClientHttp2Session | undefined;
  /** A session still being dialled (through a proxy's tunnel). */
  let opening: Promise<ClientHttp2Session> | undefined;
  const watch = (opened: ClientHttp2Session): ClientHttp2Session => {
    // Never what keeps the worker (or the process) alive: a call in flight has its own timer.
    opened.unref();
    const forget = (): void => {
      if (session === opened) session = undefined;
    };
    // A failed connection fails the calls on it (each with the reason); the next call reconnects.
    opened.on('error', forget);
    opened.on('goaway', forget);
    opened.on('close', forget);
    session = opened;
    return opened;
  };
  const open = (): ClientHttp2Session | Promise<ClientHttp2Session> => {
    if (session !== undefined && !session.closed && !session.destroyed) return session;
    if (opening !== undefined) return opening;
    const dialled = dial();
    if (!(dialled instanceof Promise)) return watch(dialled);
    const pending = dialled.then(watch).finally(() => {
      if (opening === pending) opening = undefined;
    });
    opening = pending;
    return pending;
  };
  // The worker starts once the collector answered a connect (the ExportGuard's probe): the session
  // connects now, so that the first export (maybe the last ones, handed over at exit) finds it open.
  void Promise.resolve(open()).catch(() => undefined);
  let deadlines = 0;
  return {
    async send(bytes, timeoutMs) {
      const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const message = gzipped ? await gzipAsync(raw) : raw;
      let current: ClientHttp2Session | undefined;
      try {
        const ready = open();
        const started = Date.now();
        current = ready instanceof Promise ? await within(ready, timeoutMs) : ready;
        await unaryCall(current, headers, message, gzipped, Math.max(timeoutMs - (Date.now() - started), 1));
        deadlines = 0;
      } catch (error) {
        if (
          error instanceof GrpcError &&
          error.code === Status.DEADLINE_EXCEEDED &&
          ++deadlines > MAX_DEADLINES
        ) {
          // As grpc-js closing a stuck channel: the calls still waiting on it fail now, rather than
          // each at its own deadline (which would hold an exiting process that much longer).
          current?.destroy();
          if (session === current) session = undefined;
          deadlines = 0;
        }
        throw error;
      }
    },
    close() {
      session?.close();
      session = undefined;
      // One still being dialled is closed once it is open (watch() made it `session` by then).
      void opening?.then(
        (opened) => opened.close(),
        () => undefined,
      );
      opening = undefined;
    },
  };
}

/** A session dialled through a proxy: the tunnel's failure or the deadline, as a gRPC status. */
function within(opening: Promise<ClientHttp2Session>, timeoutMs: number): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(deadlineError(timeoutMs)), timeoutMs);
    opening.then(
      (session) => {
        clearTimeout(timer);
        resolve(session);
      },
      (error: Error) => {
        clearTimeout(timer);
        reject(new GrpcError(Status.UNAVAILABLE, error.message));
      },
    );
  });
}

/** The TLS server name: the host, unless it is an IP address (which TLS does not send as one). */
function serverName(target: URL): string | undefined {
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) === 0 ? host : undefined;
}
