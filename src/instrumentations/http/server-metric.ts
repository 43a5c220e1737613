// The attributes of one `http.server.request.duration` measurement, as upstream's instrumentation-http
// (0.300) records them, kept one object per combination so a request allocates none. Loaded by
// server.ts.
import type { Attributes } from '@opentelemetry/api';

/** What a finished request contributes to its measurement's attributes. */
export interface Outcome {
  readonly method: string;
  readonly scheme: string;
  readonly version: string | undefined;
  readonly status: number | undefined;
  readonly route: string | undefined;
  /** The request failed (an error on the response, a throwing handler) before its response finished. */
  readonly failed: boolean;
  /** The error's name, for a failed request. */
  readonly errorName: string | undefined;
}

const cached = new Map<string, Attributes>();
/** Routes are templates and statuses few, but a bound keeps a misbehaving app from growing this. */
const MAX_CACHED = 2048;

/** The measurement's attributes for `outcome`: the same object every time for the same values. */
export function durationAttributes(outcome: Outcome): Attributes {
  const { method, scheme, version, status, route, failed, errorName } = outcome;
  const key = failed
    ? `${method}|${scheme}|${version}|!${errorName}`
    : `${method}|${scheme}|${version}|${status}|${route}`;
  let attributes = cached.get(key);
  if (attributes === undefined) {
    attributes = build(outcome);
    if (cached.size >= MAX_CACHED) cached.clear();
    cached.set(key, attributes);
  }
  return attributes;
}

function build({ method, scheme, version, status, route, failed, errorName }: Outcome): Attributes {
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
