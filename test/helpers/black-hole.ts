// A collector that accepts TCP connections and never answers (a stuck proxy, a dropped route):
// the case where only the agent's own time limits end an export. Used by the exit-timing e2e tests.
import { createServer, type Socket } from 'node:net';

export interface BlackHole {
  /** `http://127.0.0.1:port`, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Starts a black-hole server on 127.0.0.1 and a free port; close it in `after` or `finally`. */
export async function blackHole(): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
