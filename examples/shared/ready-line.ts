// Prints the one line a service writes to stdout when it listens, {"service","port"}, so scripts and
// tests that start it learn its port. Loaded by each example server once its listener is up.
import type { AddressInfo } from 'node:net';

/** Writes `{"service":<service>,"port":<port>}` as the first stdout line. */
export function printReadyLine(service: string, address: AddressInfo | string | null): void {
  const port = typeof address === 'object' && address !== null ? address.port : Number(address);
  process.stdout.write(`${JSON.stringify({ service, port })}\n`);
}
