// One bounded TCP connect to an endpoint's host and port: does anything answer there? Used by
// `logos-otel doctor` (and LOGOS_OTEL_DOCTOR only when asked) and by the demo; never sends a byte.
import { connect } from 'node:net';

/** What one connect attempt found. */
export type ProbeResult = 'answers' | 'refused' | 'no answer within 1 s' | (string & {});

/**
 * host and port of an OTLP endpoint URL, as its exporter dials it: without a port, 443 for gRPC
 * (grpc-js dials 443 whatever the scheme) and https, 80 for plain HTTP.
 */
export function endpointAddress(url: string, protocol?: string): { host: string; port: number } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const fallback = protocol === 'grpc' || parsed.protocol === 'https:' ? 443 : 80;
  const port = parsed.port !== '' ? Number(parsed.port) : fallback;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return host === '' ? undefined : { host, port };
}

/** Connects once to `url`'s host:port, giving up after `timeoutMs` (at most 1000). */
export function probeEndpoint(url: string, timeoutMs = 1000, protocol?: string): Promise<ProbeResult> {
  const address = endpointAddress(url, protocol);
  if (address === undefined) return Promise.resolve('not a URL');
  return new Promise((resolve) => {
    const socket = connect(address);
    const done = (result: ProbeResult): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done('no answer within 1 s'), Math.min(timeoutMs, 1000));
    socket.once('connect', () => done('answers'));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? 'refused' : (error.code ?? error.message)),
    );
  });
}
