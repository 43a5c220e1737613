// POSTs serialized OTLP requests of one signal (OTLP/HTTP, protobuf or JSON) over a keep-alive
// agent, retrying as upstream's OTLP/HTTP exporters do (see retry.ts). Loaded through senders.ts,
// by the export worker or, for an exit flush before it, by the service's thread.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { SignalExport } from '../../config/export.js';
import { readTls } from '../../config/tls-files.js';
import { errorLine } from '../../util/error-line.js';
import type { Sender } from './messages.js';
import { type Attempt, retryWithin } from './retry.js';

const gzipAsync = promisify(gzip);

/** As upstream: a bigger answer is not read, and fails the export. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** The network errors upstream retries. */
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

export async function httpSender(config: SignalExport): Promise<Sender> {
  const tls = await readTls(config);
  const url = new URL(config.endpoint);
  const secure = url.protocol === 'https:';
  const request = secure ? httpsRequest : httpRequest;
  const makeAgent = () =>
    secure ? new HttpsAgent({ keepAlive: true, ...tls }) : new HttpAgent({ keepAlive: true });
  let agent = makeAgent();
  const baseHeaders: Record<string, string> = {
    ...config.headers,
    'content-type': config.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
    'user-agent': 'logos-otel-export-worker',
  };
  if (config.compression === 'gzip') baseHeaders['content-encoding'] = 'gzip';

  const attempt =
    (body: Buffer): ((timeoutMs: number) => Promise<Attempt>) =>
    (timeoutMs) =>
      new Promise<Attempt>((resolve) => {
        const req = request(url, {
          method: 'POST',
          agent,
          headers: { ...baseHeaders, 'content-length': String(body.byteLength) },
        });
        req.setTimeout(timeoutMs, () => {
          req.destroy();
          resolve({ status: 'retryable', error: 'Request timed out' });
        });
        req.on('error', (error: NodeJS.ErrnoException) => {
          const retryable = typeof error.code === 'string' && RETRYABLE_CODES.has(error.code);
          resolve({ status: retryable ? 'retryable' : 'failure', error: errorLine(error) });
        });
        req.on('response', (res: IncomingMessage) => answer(res, resolve));
        req.end(body);
      });

  return {
    async send(bytes, timeoutMs) {
      const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const body = config.compression === 'gzip' ? await gzipAsync(raw) : raw;
      const result = await retryWithin(attempt(body), timeoutMs);
      if (result.status !== 'success') throw new Error(result.error ?? 'Export failed with retryable status');
    },
    close() {
      agent.destroy();
      agent = makeAgent();
    },
  };
}

/** Reads the answer (bounded) and classifies it as upstream does. */
function answer(res: IncomingMessage, resolve: (attempt: Attempt) => void): void {
  const code = res.statusCode ?? 0;
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      res.destroy();
      resolve({
        status: 'failure',
        error: `OTLP export response body exceeded size limit of ${MAX_RESPONSE_BYTES} bytes`,
      });
    }
  });
  res.on('error', (error) => resolve({ status: 'failure', error: errorLine(error) }));
  res.on('end', () => {
    if (code >= 200 && code <= 299) resolve({ status: 'success' });
    else if (RETRYABLE_STATUS.has(code))
      resolve({ status: 'retryable', retryInMs: retryAfterMs(res.headers['retry-after']) });
    else resolve({ status: 'failure', error: res.statusMessage || `HTTP ${code}` });
  });
}

/** A Retry-After header (seconds or an HTTP date) in milliseconds, as upstream reads it. */
function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number.parseInt(header, 10);
  if (Number.isInteger(seconds)) return seconds > 0 ? seconds * 1000 : -1;
  const delay = new Date(header).getTime() - Date.now();
  return Math.max(delay, 0);
}
