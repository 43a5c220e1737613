// The attributes of an HTTP server span at its start, exactly as upstream's instrumentation-http
// (0.300, stable semantic conventions) computes them, without a `new URL()` per request: the common
// request targets and hosts are read with string checks, anything unusual goes through `URL` as
// upstream does. Loaded by server.ts.
import type { IncomingMessage } from 'node:http';
import type { Attributes } from '@opentelemetry/api';
import forwardedParse from 'forwarded-parse';

/** Upstream's default list of query parameters whose values are redacted. */
const REDACTED_PARAMS = [
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
];
const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'QUERY',
]);

/** A path the URL parser leaves as it is: no dot segments, nothing it would percent-encode. */
const PLAIN_PATH = /^\/(?![/\\])[A-Za-z0-9\-_~!$&'()*+,;=:@/%.]*$/;
const DOT_SEGMENT = /\/(?:\.|%2e)/i;
/** A query that URLSearchParams reads and writes back unchanged: name=value pairs of plain characters. */
const PLAIN_QUERY = /^[A-Za-z0-9*._-]*=[A-Za-z0-9*._-]*(?:&[A-Za-z0-9*._-]*=[A-Za-z0-9*._-]*)*$/;
/** A query URL keeps as it is before URLSearchParams reads it (URL drops tabs and newlines, cuts at '#'). */
const PRINTABLE_QUERY = /^[\x21-\x22\x24-\x7e]*$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Whether `new URL('/', base)` parses, by base; bounded: few services see many distinct hosts. */
const validBases = new Map<string, boolean>();
const MAX_BASES = 256;

/** The request method as the conventions name it: known methods upper-cased, anything else `_OTHER`. */
function normalizeMethod(method: string | undefined): string {
  if (method === undefined) return 'GET';
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : '_OTHER';
}

/** The span's attributes for `request` received over `scheme` ('http' or 'https'). */
export function requestAttributes(request: IncomingMessage, scheme: string): Attributes {
  const { headers, method, socket } = request;
  const normalized = normalizeMethod(method);
  // Parsed once for both addresses; most requests carry none.
  const forwarded = headers.forwarded ? parseForwarded(headers.forwarded) : NO_FORWARDED;
  const server = serverAddress(request, scheme, forwarded);
  const attributes: Attributes = { 'http.request.method': normalized, 'url.scheme': scheme };
  if (server?.host !== undefined) attributes['server.address'] = server.host;
  if (socket.remoteAddress !== undefined) attributes['network.peer.address'] = socket.remoteAddress;
  if (socket.remotePort !== undefined) attributes['network.peer.port'] = socket.remotePort;
  if (request.httpVersion !== undefined) attributes['network.protocol.version'] = request.httpVersion;
  const userAgent = headers['user-agent'];
  if (userAgent !== undefined) attributes['user_agent.original'] = userAgent;
  const target = pathAndQuery(request.url ?? '/', scheme, headers.host);
  if (target !== undefined) {
    attributes['url.path'] = target.path;
    if (target.query !== '') attributes['url.query'] = redactQuery(target.query);
  }
  const client = clientAddress(request, forwarded);
  if (client !== undefined) attributes['client.address'] = client;
  if (server?.port !== undefined) attributes['server.port'] = Number(server.port);
  if (method !== normalized && method !== undefined) attributes['http.request.method_original'] = method;
  return attributes;
}

/**
 * The path and query (without '?') `new URL(url, scheme://host)` would give, or undefined where
 * that throws (upstream then records neither).
 */
function pathAndQuery(
  url: string,
  scheme: string,
  host: string | undefined,
): { path: string; query: string } | undefined {
  const base = `${scheme}://${host === undefined || host === '' ? 'localhost' : host}`;
  if (!isValidBase(base)) return undefined;
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  const query = mark === -1 ? '' : url.slice(mark + 1);
  if (PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path) && PRINTABLE_QUERY.test(query)) return { path, query };
  try {
    const parsed = new URL(url, base);
    return { path: parsed.pathname, query: parsed.search.slice(1) };
  } catch {
    return undefined;
  }
}

function isValidBase(base: string): boolean {
  const known = validBases.get(base);
  if (known !== undefined) return known;
  let valid = true;
  try {
    new URL('/', base);
  } catch {
    valid = false;
  }
  if (validBases.size >= MAX_BASES) validBases.clear();
  validBases.set(base, valid);
  return valid;
}

/** The query as upstream records it: read and written back by URLSearchParams, signatures redacted. */
function redactQuery(query: string): string {
  if (PLAIN_QUERY.test(query) && !REDACTED_KEYS.some((key) => hasParam(query, key))) return query;
  const params = new URLSearchParams(query);
  for (const name of REDACTED_PARAMS) if (params.has(name)) params.set(name, 'REDACTED');
  return params.toString();
}

/** Each redacted parameter as it starts a query and as it follows another, built once. */
const REDACTED_KEYS = REDACTED_PARAMS.map((name) => ({ first: `${name}=`, later: `&${name}=` }));

function hasParam(query: string, key: { readonly first: string; readonly later: string }): boolean {
  return query.startsWith(key.first) || query.includes(key.later);
}

interface HostAndPort {
  readonly host: string;
  readonly port?: string;
}

/** server.address and server.port: from Forwarded, X-Forwarded-Host, then Host. */
function serverAddress(
  request: IncomingMessage,
  scheme: string,
  forwarded: readonly Record<string, string>[],
): HostAndPort | undefined {
  const { headers } = request;
  for (const entry of forwarded) if (entry.host) return parseHost(entry.host, entry.proto);
  const forwardedHost = headers['x-forwarded-host'] as string | string[] | undefined;
  const forwardedProto = headers['x-forwarded-proto'] as string | string[] | undefined;
  const proto = Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto;
  if (typeof forwardedHost === 'string') return parseHost(forwardedHost, proto);
  if (Array.isArray(forwardedHost) && typeof forwardedHost[0] === 'string' && forwardedHost[0].length > 0) {
    return parseHost(forwardedHost[0], proto);
  }
  const host = headers.host;
  if (typeof host === 'string' && host.length > 0) return parseHost(host, scheme);
  return undefined;
}

/** A Host-style value split as upstream splits it; a missing port is the scheme's default. */
function parseHost(value: string, proto: string | undefined): HostAndPort {
  const parts = value.split(':');
  const defaultPort = proto === 'http' ? '80' : proto === 'https' ? '443' : undefined;
  if (parts.length === 1)
    return defaultPort === undefined ? { host: value } : { host: value, port: defaultPort };
  if (parts.length === 2) return { host: parts[0] as string, port: parts[1] as string };
  if (parts[0]?.startsWith('[')) {
    if (parts[parts.length - 1]?.endsWith(']')) {
      if (defaultPort !== undefined) return { host: value, port: defaultPort };
    } else if (parts[parts.length - 2]?.endsWith(']')) {
      return { host: parts.slice(0, -1).join(':'), port: parts[parts.length - 1] as string };
    }
  }
  return { host: value };
}

/** client.address: from Forwarded, X-Forwarded-For (first hop), then the socket's peer. */
function clientAddress(
  request: IncomingMessage,
  forwarded: readonly Record<string, string>[],
): string | undefined {
  const { headers } = request;
  for (const entry of forwarded) if (entry.for) return withoutPort(entry.for);
  const forwardedFor = headers['x-forwarded-for'] as string | string[] | undefined;
  if (forwardedFor) {
    const first = Array.isArray(forwardedFor) ? forwardedFor[0] : forwardedFor;
    if (typeof first === 'string') return withoutPort((first.split(',')[0] as string).trim());
  }
  return request.socket.remoteAddress || undefined;
}

function withoutPort(address: string): string {
  if (IPV4.test(address)) return address;
  try {
    const { hostname } = new URL(`http://${address}`);
    return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  } catch {
    return address;
  }
}

const NO_FORWARDED: readonly Record<string, string>[] = [];

function parseForwarded(header: string): Record<string, string>[] {
  try {
    return forwardedParse(header);
  } catch {
    return [];
  }
}
