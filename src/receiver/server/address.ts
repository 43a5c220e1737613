// Formats host:port for binding and for the endpoint URLs the receiver reports.
// Loaded by grpc-server.ts and index.ts.

/** `host:port`, with an IPv6 literal in brackets as URLs and grpc-js both require. */
export const hostPort = (host: string, port: number): string =>
  host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
