// The collectors a scenario exports to: the project's OTLP receiver (in this process, which is
// pinned off the server's core) counting spans per service and per span name, a closed port
// ("collector down") and a black hole that accepts and never answers ("collector hung").
import { createServer } from 'node:net';
import { type Receiver, startReceiver } from '../../src/receiver/index.js';
import { type BlackHole, blackHole } from '../../test/helpers/black-hole.js';

export type { BlackHole };
export { blackHole };

/** A live receiver that counts what each service sent without keeping it. */
export interface CountingReceiver {
  readonly receiver: Receiver;
  readonly endpoint: string;
  /** Spans received from `service` so far. */
  spans(service: string): number;
  /** Spans received from `service`, by span name. */
  names(service: string): Record<string, number>;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 (gRPC on `grpcPort`, default a free one; no HTTP). */
export async function countingReceiver(grpcPort = 0): Promise<CountingReceiver> {
  // Spans are counted as they arrive; the store keeps only a few, so long runs use no memory here.
  const receiver = await startReceiver({
    host: '127.0.0.1',
    grpcPort,
    httpPort: false,
    limits: { maxSpans: 100, maxMetricPoints: 100, maxLogs: 100 },
  });
  const counts = new Map<string, Map<string, number>>();
  receiver.onBatch((batch) => {
    if (batch.signal !== 'traces') return;
    for (const span of batch.items) {
      const service = String(span.resource['service.name']);
      let byName = counts.get(service);
      if (byName === undefined) {
        byName = new Map();
        counts.set(service, byName);
      }
      byName.set(span.name, (byName.get(span.name) ?? 0) + 1);
    }
  });
  return {
    receiver,
    endpoint: receiver.grpcEndpoint,
    spans: (service) => [...(counts.get(service)?.values() ?? [])].reduce((a, b) => a + b, 0),
    names: (service) => Object.fromEntries(counts.get(service) ?? []),
    close: () => receiver.close(),
  };
}

/** A free port that nothing listens on (bound, then closed): `http://127.0.0.1:port`. */
export async function closedEndpoint(): Promise<{ port: number; endpoint: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { port, endpoint: `http://127.0.0.1:${port}` };
}

/** Waits until `read()` stops changing for `quietMs` (or `timeoutMs` passes); returns the last value. */
export async function settled(read: () => number, quietMs = 300, timeoutMs = 5000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = read();
  let since = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = read();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) break;
  }
  return last;
}
