// The attributes of one `http.server.request.duration` measurement, as upstream's instrumentation-http
// (0.300) records them, kept one object per combination so a request allocates none. Loaded by
// server.ts.
import type { Attributes } from '@opentelemetry/api';

const cached = new Map<string, Attributes>();
/** Routes are templates and statuses few, but a bound keeps a misbehaving app from growing this. */
const MAX_CACHED = 2048;

/**
 * The measurement's attributes for a finished request: the same object every time for the same
 * values. `failed`: the request failed (an error on the response, a throwing handler) before its
 * response finished; `errorName` is then the error's name.
 */
export function durationAttributes(
  method: string,
  scheme: string,
  version: string | undefined,
  status: number | undefined,
  route: string | undefined,
  failed: boolean,
  errorName: string | undefined,
): Attributes {
  const key = failed
    ? `${method}|${scheme}|${version}|!${errorName}`
    : `${method}|${scheme}|${version}|${status}|${route}`;
  let attributes = cached.get(key);
  if (attributes === undefined) {
    attributes = build(method, scheme, version, status, route, failed, errorName);
    if (cached.size >= MAX_CACHED) cached.clear();
    cached.set(key, attributes);
  }
  return attributes;
}

function build(
  method: string,
  scheme: string,
  version: string | undefined,
  status: number | undefined,
  route: string | undefined,
  failed: boolean,
  errorName: string | undefined,
): Attributes {
  const attributes: Attributes = { 'http.request.method': method, 'url.scheme': scheme };
  if (version) attributes['network.protocol.version'] = version;
  if (failed) {
    // A failed request: upstream records the error's name and nothing of the response.
    attributes['error.type'] = errorName;
    return Object.freeze(attributes);
  }
  if (route !== undefined) attributes['http.route'] = route;
  if (status) {
    attributes['http.response.status_code'] = status;
    if (status >= 500 && status < 600) attributes['error.type'] = String(status);
  }
  return Object.freeze(attributes);
}
