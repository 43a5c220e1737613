// One bounded TCP connect to an endpoint's host and port: does anything answer there? Used by
// `logos-otel doctor` (and LOGOS_OTEL_DOCTOR only when asked) and by the demo; never sends a byte.

import { probeTarget } from '../config/export.js';
import { type ProbeTarget, probeCollector } from '../export/collector-probe.js';

/** What one connect attempt found. */
export type ProbeResult = 'answers' | 'refused' | 'no answer within 1 s' | (string & {});

/**
 * host and port of an OTLP endpoint URL, as its exporter dials it (the export guard's own rule):
 * without a port, 443 for gRPC (the gRPC transport dials 443 whatever the scheme, as grpc-js did)
 * and https, 80 for plain HTTP.
 */
export function endpointAddress(url: string, protocol?: string): ProbeTarget | undefined {
  try {
    const target = probeTarget(new URL(url), protocol === 'grpc' ? 'grpc' : 'http/protobuf');
    return target.host === '' ? undefined : target;
  } catch {
    return undefined;
  }
}

/** Connects once to `url`'s host:port (the export guard's probe), giving up after `timeoutMs` (at most 1000). */
export async function probeEndpoint(url: string, timeoutMs = 1000, protocol?: string): Promise<ProbeResult> {
  const address = endpointAddress(url, protocol);
  if (address === undefined) return 'not a URL';
  try {
    await probeCollector(address, Math.min(timeoutMs, 1000));
    return 'answers';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/ECONNREFUSED/.test(message)) return 'refused';
    if (/timed out/.test(message)) return 'no answer within 1 s';
    return /\b(E[A-Z]+)\b/.exec(message)?.[1] ?? message;
  }
}
