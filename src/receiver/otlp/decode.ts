// Turns one OTLP Export request body into a ReceivedBatch, and builds the bodies we answer with.
// Loaded by server/grpc-server.ts and server/http-server.ts; pure, no I/O.

import type { ReceivedBatch, Signal, Transport } from '../types.js';
import { logsFromRequest } from './decode-logs.js';
import { metricsFromRequest } from './decode-metrics.js';
import { spansFromRequest } from './decode-traces.js';
import { otlpSchema } from './schema.js';
import { type Loose, OtlpDecodeError } from './values.js';

/** Wire encoding of a request body. */
export type Encoding = 'protobuf' | 'json';

const encodingOf = (transport: Transport): Encoding => (transport === 'http/json' ? 'json' : 'protobuf');

function parse(signal: Signal, body: Uint8Array, encoding: Encoding): Loose {
  if (encoding === 'protobuf') {
    return otlpSchema()[signal].request.decode(body) as unknown as Loose;
  }
  const parsed: unknown = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OtlpDecodeError('OTLP/JSON body must be a JSON object');
  }
  return parsed as Loose;
}

/**
 * Decodes an Export{Trace,Metrics,Logs}ServiceRequest body (already decompressed).
 * @throws {OtlpDecodeError} for any body that is not a valid request, with a one-line reason.
 */
export function decodeBatch<S extends Signal>(
  signal: S,
  body: Uint8Array,
  transport: Transport,
): Extract<ReceivedBatch, { signal: S }> {
  const encoding = encodingOf(transport);
  const { enums } = otlpSchema();
  try {
    const request = parse(signal, body, encoding);
    const bytes = body.length;
    const items =
      signal === 'traces'
        ? spansFromRequest(request, enums)
        : signal === 'metrics'
          ? metricsFromRequest(request, enums)
          : logsFromRequest(request, enums);
    // TypeScript cannot narrow the generic S through the branches above; they match by construction.
    return { signal, transport, bytes, items } as Extract<ReceivedBatch, { signal: S }>;
  } catch (error) {
    // protobufjs throws RangeError/Error for truncated or garbled input, JSON.parse SyntaxError, and
    // pathological nesting can overflow the stack: all of them mean "bad request", never a crash.
    // Our own OtlpDecodeErrors (bad JSON leaf values) get the same prefix for context.
    const reason = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError(
      `invalid ${encoding === 'json' ? 'OTLP/JSON' : 'OTLP protobuf'} ${signal} request: ${reason}`,
    );
  }
}

/** The body of a successful Export response: an empty Export*ServiceResponse. */
export function exportResponse(signal: Signal, encoding: Encoding): Uint8Array {
  if (encoding === 'json') return Buffer.from('{}');
  return otlpSchema()[signal].response.encode({}).finish();
}

/** A google.rpc.Status body, as OTLP/HTTP says error responses should carry. */
export function statusBody(code: number, message: string, encoding: Encoding): Uint8Array {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  return otlpSchema().status.encode({ code, message }).finish();
}
