// A collector that accepts TCP connections and never answers (a stuck proxy, a dropped route):
// the case where only the agent's own time limits end an export. Used by the exit-timing e2e tests.
import { createServer, type Socket } from 'node:net';

export interface BlackHole {
  /** `http://127.0.0.1:port`, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts a black-hole server on 127.0.0.1 and a free port (or `port`, to stand in for a collector
 * that was there); close it in `after` or `finally`.
 */
export async function blackHole(port = 0): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const bound = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
