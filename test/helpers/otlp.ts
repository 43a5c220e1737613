// Shortcuts for e2e assertions on what the receiver got: spans by name, the environment that
// points a fixture at the receiver, and a fast batch delay so tests do not wait seconds.
import { type Receiver, startReceiver } from '../../src/receiver/index.js';
import type { ReceivedSpan } from '../../src/receiver/types.js';

export type { ReceivedSpan, Receiver };

/** OTLP span kinds, as the receiver reports them. */
export const KIND = { internal: 1, server: 2, client: 3 } as const;

/** A receiver on 127.0.0.1 with free ports; close it in `after`. */
export async function receiver(): Promise<Receiver> {
  return startReceiver({ host: '127.0.0.1', grpcPort: 0, httpPort: 0 });
}

/** Environment that exports over gRPC to `r` with short delays. */
export function exportTo(r: Receiver, serviceName: string): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: r.grpcEndpoint,
    OTEL_SERVICE_NAME: serviceName,
    OTEL_BSP_SCHEDULE_DELAY: '50',
    OTEL_METRIC_EXPORT_INTERVAL: '500',
  };
}

export function spansOf(r: Receiver, service: string): ReceivedSpan[] {
  return r.spans.filter((span) => span.resource['service.name'] === service);
}

/** Waits until `service` has a span matching `match`, and returns it. */
export async function waitForSpan(
  r: Receiver,
  service: string,
  match: (span: ReceivedSpan) => boolean,
  timeoutMs = 10_000,
): Promise<ReceivedSpan> {
  await r.waitFor(() => spansOf(r, service).some(match), timeoutMs);
  return spansOf(r, service).find(match) as ReceivedSpan;
}

/** Free port that nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
