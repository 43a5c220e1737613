// Reads where and how one signal (traces or metrics) is exported over OTLP, for config/config.ts.
// The per-signal variables (OTEL_EXPORTER_OTLP_TRACES_*) win over the general ones.
import type { ProbeTarget } from '../export/collector-probe.js';
import { redactUrl } from '../util/redact.js';
import type { EnvReader } from './readers.js';
import { type OTLP_PROTOCOLS, type Signal, VARIABLES } from './table.js';

export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** How one signal is sent to the collector. `headers` and `endpoint` may hold secrets: print `displayEndpoint`. */
export interface SignalExport {
  readonly protocol: OtlpProtocol;
  /** gRPC: the server's URL (scheme, host, port). HTTP: the full URL the signal is POSTed to. */
  readonly endpoint: string;
  /** The endpoint with any credentials replaced, safe to print. */
  readonly displayEndpoint: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly compression: 'gzip' | 'none';
  /** Plain-text connection (http:// or OTEL_EXPORTER_OTLP_INSECURE=true). */
  readonly insecure: boolean;
  /** Paths of PEM files for TLS; read when the exporter is built. */
  readonly tls: { readonly caFile?: string; readonly certFile?: string; readonly keyFile?: string };
  /**
   * Where a plain TCP connect tells, before the exporter is loaded, whether the collector is there.
   * Undefined when a proxy may carry the exporter's connection: a direct connect proves nothing then.
   */
  readonly probe: ProbeTarget | undefined;
}

/**
 * The proxy variables of the gRPC transport (lower case, as grpc-js read them:
 * export/worker/grpc-proxy.ts) and of Node's NODE_USE_ENV_PROXY (either case).
 */
const PROXY_VARIABLES = ['grpc_proxy', 'https_proxy', 'http_proxy', 'HTTPS_PROXY', 'HTTP_PROXY'];

/** The export settings of `signal`, or undefined when it has no valid endpoint. */
export function readExport(read: EnvReader, signal: Signal, exitLimitMs: number): SignalExport | undefined {
  const endpointVar = read.pick('OTEL_EXPORTER_OTLP_ENDPOINT', signal);
  if (read.raw(endpointVar) === undefined) return undefined;
  // Every setting is read (and checked) once an endpoint is named, even one that turns out invalid.
  const protocol = read.enumOf('OTEL_EXPORTER_OTLP_PROTOCOL', signal);
  // The general headers and the signal's own are merged (the signal's win), not picked: without its
  // own, the second read is the general list again (same entries, its warning not repeated).
  const headers = Object.freeze({
    ...read.pairs('OTEL_EXPORTER_OTLP_HEADERS'),
    ...read.pairs('OTEL_EXPORTER_OTLP_HEADERS', signal),
  });
  const timeoutVar = read.pick('OTEL_EXPORTER_OTLP_TIMEOUT', signal);
  const defaultMs = VARIABLES.OTEL_EXPORTER_OTLP_TIMEOUT.default;
  const requestedMs = read.optionalInt(
    'OTEL_EXPORTER_OTLP_TIMEOUT',
    signal,
    String(Math.min(defaultMs, Math.max(exitLimitMs, 100))),
  );
  const timeoutMs = boundByExit(
    read,
    timeoutVar,
    requestedMs ?? defaultMs,
    exitLimitMs,
    requestedMs !== undefined,
  );
  const compression = read.enumOf('OTEL_EXPORTER_OTLP_COMPRESSION', signal);
  const parsed = read.url('OTEL_EXPORTER_OTLP_ENDPOINT', signal);
  if (parsed === undefined) return undefined;
  // A scheme-less gRPC endpoint is plain text unless OTEL_EXPORTER_OTLP_INSECURE=false asks for TLS.
  const insecure = parsed.schemeless
    ? read.bool('OTEL_EXPORTER_OTLP_INSECURE', signal)
    : parsed.url.protocol === 'http:';
  if (!insecure) parsed.url.protocol = 'https:';
  const endpoint = signalUrl(parsed.url, protocol, signal, endpointVar !== 'OTEL_EXPORTER_OTLP_ENDPOINT');
  return Object.freeze({
    protocol,
    endpoint,
    displayEndpoint: redactUrl(endpoint),
    headers,
    timeoutMs,
    compression,
    insecure,
    tls: Object.freeze({
      caFile: read.text('OTEL_EXPORTER_OTLP_CERTIFICATE', signal),
      certFile: read.text('OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE', signal),
      keyFile: read.text('OTEL_EXPORTER_OTLP_CLIENT_KEY', signal),
    }),
    // Not the agent's own settings: only whether one is set, so they are not in the variables table.
    probe: PROXY_VARIABLES.some((name) => read.isSet(name)) ? undefined : probeTarget(parsed.url, protocol),
  });
}

/**
 * The host and port the exporter connects to. The gRPC transport, as grpc-js did, takes the URL's
 * host and dials 443 when it has no port (also for http://host, and for http://host:80, whose port
 * the URL drops).
 */
export function probeTarget(url: URL, protocol: OtlpProtocol): ProbeTarget {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const fallback = protocol === 'grpc' || url.protocol === 'https:' ? 443 : 80;
  return Object.freeze({ host, port: url.port === '' ? fallback : Number(url.port) });
}

/**
 * An export in flight holds the process open (gRPC's deadline timer and HTTP's socket are
 * referenced), so no export may outlast the exit flush's limit: otherwise a hung collector would
 * keep a finished script alive for the whole export timeout.
 */
function boundByExit(
  read: EnvReader,
  variable: string,
  timeoutMs: number,
  exitLimitMs: number,
  explicit: boolean,
): number {
  const limit = Math.max(exitLimitMs, 100);
  if (timeoutMs <= limit) return timeoutMs;
  if (explicit) {
    read.warn(
      variable,
      `${variable}=${timeoutMs} is above LOGOS_OTEL_SHUTDOWN_TIMEOUT=${exitLimitMs}; using ${limit} so that a hung collector cannot hold the process at exit`,
    );
  }
  return limit;
}

/** The URL one signal goes to: gRPC uses the origin; OTLP/HTTP appends /v1/<signal> to a base endpoint. */
function signalUrl(url: URL, protocol: OtlpProtocol, signal: Signal, perSignal: boolean): string {
  if (protocol === 'grpc') return url.href.replace(/\/$/, '');
  if (perSignal) return url.href;
  const base = url.href.replace(/\/+$/, '');
  return `${base}/v1/${signal.toLowerCase()}`;
}
