// Reads where and how one signal (traces or metrics) is exported over OTLP, for config.ts.
// The per-signal variables (OTEL_EXPORTER_OTLP_TRACES_*) win over the general ones.
import type { ProbeTarget } from './collector-probe.js';
import { type EnvReader, splitPairs } from './env-readers.js';
import { redactUrl } from './redact.js';

export const OTLP_PROTOCOLS = ['grpc', 'http/protobuf', 'http/json'] as const;
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
 * export-worker/grpc-proxy.ts) and of Node's NODE_USE_ENV_PROXY (either case).
 */
const PROXY_VARIABLES = ['grpc_proxy', 'https_proxy', 'http_proxy', 'HTTPS_PROXY', 'HTTP_PROXY'];

type Signal = 'TRACES' | 'METRICS';

/** The export settings of `signal`, or undefined when it has no valid endpoint. */
export function readExport(read: EnvReader, signal: Signal, exitLimitMs: number): SignalExport | undefined {
  const pick = (suffix: string): string => {
    const specific = `OTEL_EXPORTER_OTLP_${signal}_${suffix}`;
    return read.isSet(specific) ? specific : `OTEL_EXPORTER_OTLP_${suffix}`;
  };
  const endpointVar = pick('ENDPOINT');
  read.note(endpointVar, 'url');
  if (read.raw(endpointVar) === undefined) return undefined;
  // Every setting is read (and checked) once an endpoint is named, even one that turns out invalid.
  const protocol = read.enumOf(pick('PROTOCOL'), OTLP_PROTOCOLS, 'grpc');
  const headers = Object.freeze({
    ...readHeaders(read, 'OTEL_EXPORTER_OTLP_HEADERS'),
    ...readHeaders(read, `OTEL_EXPORTER_OTLP_${signal}_HEADERS`),
  });
  const requestedMs = read.optionalInt(
    pick('TIMEOUT'),
    1,
    600_000,
    String(Math.min(10_000, Math.max(exitLimitMs, 100))),
  );
  const timeoutMs = boundByExit(
    read,
    pick('TIMEOUT'),
    requestedMs ?? 10_000,
    exitLimitMs,
    requestedMs !== undefined,
  );
  const compression = read.enumOf(pick('COMPRESSION'), ['gzip', 'none'] as const, 'none');
  const parsed = readEndpoint(read, endpointVar);
  if (parsed === undefined) return undefined;
  // A scheme-less gRPC endpoint is plain text unless OTEL_EXPORTER_OTLP_INSECURE=false asks for TLS.
  const insecure = parsed.schemeless ? read.bool(pick('INSECURE'), true) : parsed.url.protocol === 'http:';
  if (!insecure) parsed.url.protocol = 'https:';
  const endpoint = signalUrl(parsed.url, protocol, signal, endpointVar.includes(`_${signal}_`));
  return Object.freeze({
    protocol,
    endpoint,
    displayEndpoint: redactUrl(endpoint),
    headers,
    timeoutMs,
    compression,
    insecure,
    tls: Object.freeze({
      caFile: read.raw(pick('CERTIFICATE')),
      certFile: read.raw(pick('CLIENT_CERTIFICATE')),
      keyFile: read.raw(pick('CLIENT_KEY')),
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

function readEndpoint(read: EnvReader, name: string): { url: URL; schemeless: boolean } | undefined {
  const value = read.raw(name);
  if (value === undefined) return undefined;
  const schemeless = !/^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  const shown = redactUrl(schemeless ? `http://${value}` : value).replace(
    schemeless ? /^http:\/\// : /^$/,
    '',
  );
  let url: URL | undefined;
  try {
    url = new URL(schemeless ? `http://${value}` : value);
  } catch {
    url = undefined;
  }
  const valid =
    url !== undefined &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.hostname !== '' &&
    !value.includes('\uFFFD') &&
    !/\s/.test(value);
  if (!valid || url === undefined) {
    read.invalid(name, shown, 'is not a valid http(s) URL', 'no endpoint: nothing is exported to it');
    return undefined;
  }
  if (schemeless)
    read.invalid(
      name,
      shown,
      'has no scheme',
      `${url.host} (plain text unless OTEL_EXPORTER_OTLP_INSECURE=false)`,
    );
  return { url, schemeless };
}

/** The URL one signal goes to: gRPC uses the origin; OTLP/HTTP appends /v1/<signal> to a base endpoint. */
function signalUrl(url: URL, protocol: OtlpProtocol, signal: Signal, perSignal: boolean): string {
  if (protocol === 'grpc') return url.href.replace(/\/$/, '');
  if (perSignal) return url.href;
  const base = url.href.replace(/\/+$/, '');
  return `${base}/v1/${signal.toLowerCase()}`;
}

/** Parses `k=v,k2=v2` (percent-encoded); bad entries are dropped with a warning that shows no value. */
function readHeaders(read: EnvReader, name: string): Record<string, string> {
  read.note(name, 'pairs');
  const value = read.raw(name);
  const headers: Record<string, string> = {};
  if (value === undefined) return headers;
  const bad: number[] = [];
  for (const { index, key, value: val } of splitPairs(value)) {
    if (
      key === undefined ||
      val === undefined ||
      !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(key) ||
      /[\r\n\0]/.test(val)
    ) {
      bad.push(index);
      continue;
    }
    headers[key.toLowerCase()] = val;
  }
  if (bad.length > 0) {
    read.warn(
      name,
      `${name} entries ${bad.join(', ')} are not key=value pairs and are ignored (values are not shown: they may be secrets)`,
    );
  }
  return headers;
}
