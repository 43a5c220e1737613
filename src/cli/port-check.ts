// Tells whether a TCP port can be bound, so `logos-otel dev` can say "port 4317 is in use" in one
// line before grpc-js prints its own. Loaded by cli/dev.ts.
import { createServer } from 'node:net';

/** undefined when `host:port` can be bound now, else the error code (EADDRINUSE, EACCES, ...). */
export function bindProblem(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
