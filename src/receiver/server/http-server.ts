// OTLP/HTTP: POST /v1/{traces,metrics,logs} with protobuf or JSON bodies, optionally gzip/deflate.
// Started by index.ts (startReceiver).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { decodeBatch, type Encoding, exportResponse, statusBody } from '../otlp/decode.js';
import type { TelemetryStore } from '../store.js';
import type { Signal } from '../types.js';
import type { RunningServer } from './grpc-server.js';
import type { ReceiverLimits } from './limits.js';

// Maps, not object literals: header values such as "constructor" must not find Object.prototype.
const ROUTES: ReadonlyMap<string, Signal> = new Map([
  ['/v1/traces', 'traces'],
  ['/v1/metrics', 'metrics'],
  ['/v1/logs', 'logs'],
]);

const MEDIA_TYPES: ReadonlyMap<string, Encoding> = new Map([
  ['application/x-protobuf', 'protobuf'],
  // Not in the OTLP spec, but the IANA-registered name that some senders use.
  ['application/protobuf', 'protobuf'],
  ['application/json', 'json'],
]);

const CONTENT_TYPE: Readonly<Record<Encoding, string>> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

const decompressors = new Map([
  ['gzip', promisify(gunzip)],
  ['x-gzip', promisify(gunzip)],
  ['deflate', promisify(inflate)],
]);

// google.rpc.Code values for the Status body of error responses.
const INVALID_ARGUMENT = 3;
const RESOURCE_EXHAUSTED = 8;

function sendText(
  res: ServerResponse,
  code: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  // The request body may be unread (we answer before reading it): close rather than reuse the socket.
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close', ...headers });
  res.end(`${text}\n`);
}

function sendStatus(
  res: ServerResponse,
  http: number,
  code: number,
  message: string,
  encoding: Encoding,
): void {
  res.writeHead(http, { 'Content-Type': CONTENT_TYPE[encoding], Connection: 'close' });
  res.end(statusBody(code, message, encoding));
}

/** The body, or undefined once it has grown past `limit` (the rest is read and discarded, not buffered). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) chunks.length = 0;
      else chunks.push(chunk);
    });
    // Past the limit the rest is read and discarded before the answer, as for a Content-Length
    // over it: answering while the client still sends resets the connection under it.
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  limits: ReceiverLimits,
  store: TelemetryStore,
) {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const signal = ROUTES.get(path);
  if (signal === undefined)
    return sendText(res, 404, `no OTLP endpoint at ${path}; use ${[...ROUTES.keys()].join(', ')}`);
  if (req.method !== 'POST') return sendText(res, 405, `${path} only accepts POST`, { Allow: 'POST' });

  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const encoding = MEDIA_TYPES.get(mediaType);
  if (encoding === undefined) {
    return sendText(
      res,
      415,
      `unsupported Content-Type "${mediaType}"; use application/x-protobuf or application/json`,
    );
  }
  const contentEncoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decompress = decompressors.get(contentEncoding);
  if (contentEncoding !== 'identity' && decompress === undefined) {
    return sendText(res, 415, `unsupported Content-Encoding "${contentEncoding}"; use gzip, deflate or none`);
  }

  const limit = limits.maxRequestBytes;
  const tooLarge = () =>
    sendStatus(res, 413, RESOURCE_EXHAUSTED, `request body is larger than the ${limit} byte limit`, encoding);
  // Read (and discard) an oversized body before answering: a socket closed under a client that is
  // still sending resets the connection, and the client never sees the 413.
  if (Number(req.headers['content-length']) > limit) return req.resume().once('end', tooLarge);
  const raw = await readBody(req, limit);
  if (raw === undefined) return tooLarge();

  let body: Buffer = raw;
  if (decompress) {
    try {
      body = await decompress(raw, { maxOutputLength: limit });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge();
      return sendStatus(
        res,
        400,
        INVALID_ARGUMENT,
        `bad ${contentEncoding} body: ${(error as Error).message}`,
        encoding,
      );
    }
  }

  let batch: ReturnType<typeof decodeBatch>;
  try {
    batch = decodeBatch(signal, body, encoding === 'json' ? 'http/json' : 'http/protobuf');
  } catch (error) {
    return sendStatus(res, 400, INVALID_ARGUMENT, (error as Error).message, encoding);
  }
  store.add(batch);
  res.writeHead(200, { 'Content-Type': CONTENT_TYPE[encoding] });
  res.end(exportResponse(signal, encoding));
}

/** Binds the OTLP/HTTP server on `host:port` (port 0 picks a free one). */
export async function startHttpServer(
  host: string,
  port: number,
  limits: Readonly<ReceiverLimits>,
  store: TelemetryStore,
): Promise<RunningServer> {
  const server = createServer((req, res) => {
    handle(req, res, limits, store).catch(() => {
      // Only a failing socket (client went away mid-body) gets here; there is no one to answer.
      if (!res.headersSent) sendText(res, 500, 'internal receiver error');
      else res.destroy();
    });
  });
  // A client that opens a request and never finishes it must not pin a socket for the default 5 min.
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new Error(`OTLP HTTP receiver could not listen on ${host}:${port}: ${error.message}`)),
    );
    server.listen({ host, port }, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        // Exporters hold keep-alive sockets open; idle ones can go now, busy ones get the grace period.
        server.closeIdleConnections();
      }),
  };
}
