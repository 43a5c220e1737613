// A stand-in Datadog agent for the dd-trace anchor: an HTTP server on 127.0.0.1 that takes dd-trace's
// msgpack trace payloads (/v0.4 and /v0.5), counts their spans per service and per span name, and
// answers as the agent does. Loaded by the scenarios that run the dd-trace variant.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { decode } from '@msgpack/msgpack';

/** What the harness reads from a span collector, the OTLP receiver or this stand-in. */
export interface SpanCounter {
  /** Spans received from `service` so far. */
  spans(service: string): number;
  /** Spans received from `service`, by span name. */
  names(service: string): Record<string, number>;
}

export interface StandInAgent extends SpanCounter {
  /** `http://127.0.0.1:port`, for DD_TRACE_AGENT_URL. */
  readonly url: string;
  /** Requests to paths this stand-in does not serve, by method and path (should stay empty). */
  readonly unexpected: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

/** The fields of a span this stand-in reads: v0.4 spans are maps, v0.5 spans are 12-element arrays. */
type SpanV4 = { service?: unknown; name?: unknown };

/**
 * Adds one payload's spans to `counts`. v0.4: an array of traces, each an array of span maps.
 * v0.5: `[strings, traces]`, each span an array whose first two items index `strings` (service, name).
 */
function countPayload(version: string, body: Uint8Array, add: (service: string, name: string) => void): void {
  if (body.length === 0) return;
  const payload = decode(body) as unknown;
  if (version === '0.5') {
    const [strings, traces] = payload as [string[], unknown[][][]];
    for (const trace of traces)
      for (const span of trace)
        add(String(strings[span[0] as number] ?? ''), String(strings[span[1] as number] ?? ''));
    return;
  }
  for (const trace of payload as SpanV4[][])
    for (const span of trace) add(String(span.service ?? ''), String(span.name ?? ''));
}

/** Starts the stand-in on a free loopback port. */
export async function standInAgent(): Promise<StandInAgent> {
  const counts = new Map<string, Map<string, number>>();
  const unexpected: Record<string, number> = {};
  const add = (service: string, name: string): void => {
    let byName = counts.get(service);
    if (byName === undefined) {
      byName = new Map();
      counts.set(service, byName);
    }
    byName.set(name, (byName.get(name) ?? 0) + 1);
  };
  const answer = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const traces = /^\/v(0\.[45])\/traces$/.exec(path);
    if (traces && (req.method === 'PUT' || req.method === 'POST')) {
      try {
        countPayload(traces[1] as string, body, add);
      } catch {
        answer(res, 400, { error: 'bad msgpack' });
        return;
      }
      // Empty rates: dd-trace keeps its own sampling decisions (sample rate 1 here).
      answer(res, 200, { rate_by_service: {} });
      return;
    }
    if (path === '/info' && req.method === 'GET') {
      answer(res, 200, { version: 'bench-stand-in', endpoints: ['/v0.4/traces', '/v0.5/traces'] });
      return;
    }
    const key = `${req.method} ${path}`;
    unexpected[key] = (unexpected[key] ?? 0) + 1;
    answer(res, 404, { error: 'not served by the bench stand-in' });
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  // dd-trace names some spans' service after the integration (`<service>-http-client` and the like):
  // they belong to the process whose DD_SERVICE is the prefix.
  const matching = (service: string): Map<string, number>[] =>
    [...counts].filter(([s]) => s === service || s.startsWith(`${service}-`)).map(([, byName]) => byName);
  return {
    url: `http://127.0.0.1:${port}`,
    unexpected,
    spans: (service) =>
      matching(service).reduce((sum, byName) => sum + [...byName.values()].reduce((a, b) => a + b, 0), 0),
    names: (service) => {
      const out: Record<string, number> = {};
      for (const byName of matching(service))
        for (const [name, n] of byName) out[name] = (out[name] ?? 0) + n;
      return out;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
