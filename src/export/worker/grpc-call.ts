// One unary gRPC call on an HTTP/2 session (node:http2): sends one length-prefixed message and
// reads the status from the trailers (or from the headers of a trailers-only answer); the answer's
// own message is read and dropped. Loaded by grpc-sender.ts.
import type {
  ClientHttp2Session,
  ClientHttp2Stream,
  IncomingHttpHeaders,
  OutgoingHttpHeaders,
} from 'node:http2';
import { constants } from 'node:http2';
import { errorLine } from '../../util/error-line.js';
import {
  deadlineError,
  decodeMessage,
  GrpcError,
  httpStatusError,
  resetError,
  Status,
} from './grpc-status.js';

/** As grpc-js's default: a bigger answer fails the call. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** grpc-timeout takes at most 8 digits. */
const MAX_TIMEOUT_DIGITS = 99_999_999;

/**
 * Calls with `headers` (path and the rest, without the deadline) and `message` (already
 * compressed when `compressed`); rejects with a {@link GrpcError}. The deadline is sent as
 * grpc-timeout and kept by a local timer too, which cancels the stream: a collector that never
 * answers (or never completes the handshake) costs `timeoutMs`, no more.
 */
export function unaryCall(
  session: ClientHttp2Session,
  headers: OutgoingHttpHeaders,
  message: Buffer,
  compressed: boolean,
  timeoutMs: number,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error: GrpcError | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === undefined) resolve();
      else reject(error);
    };
    let stream: ClientHttp2Stream | undefined;
    const timer = setTimeout(() => {
      finish(deadlineError(timeoutMs));
      stream?.close(constants.NGHTTP2_CANCEL);
    }, timeoutMs);
    try {
      stream = session.request({ ...headers, 'grpc-timeout': grpcTimeout(timeoutMs) });
    } catch (error) {
      // A session already closing or destroyed: the caller opens a new one for the next call.
      finish(new GrpcError(Status.UNAVAILABLE, (error as Error).message));
      return;
    }
    let httpStatus: number | undefined;
    let grpcStatus: string | undefined;
    let grpcMessage: string | undefined;
    let streamError: Error | undefined;
    let received = 0;
    const readStatus = (h: IncomingHttpHeaders): void => {
      const status = h['grpc-status'];
      if (typeof status === 'string') grpcStatus = status;
      const text = h['grpc-message'];
      if (typeof text === 'string') grpcMessage = decodeMessage(text);
    };
    stream.on('response', (h) => {
      httpStatus = Number(h[constants.HTTP2_HEADER_STATUS]);
      readStatus(h);
    });
    stream.on('trailers', readStatus);
    stream.on('data', (chunk: Buffer) => {
      received += chunk.byteLength;
      if (received <= MAX_RESPONSE_BYTES) return;
      finish(
        new GrpcError(
          Status.RESOURCE_EXHAUSTED,
          `Received message larger than max (${received} vs. ${MAX_RESPONSE_BYTES})`,
        ),
      );
      stream?.close(constants.NGHTTP2_CANCEL);
    });
    stream.on('error', (error: Error) => {
      streamError = error;
    });
    const rstCode = (): number => stream?.rstCode ?? constants.NGHTTP2_NO_ERROR;
    stream.on('close', () => finish(outcome(httpStatus, grpcStatus, grpcMessage, streamError, rstCode())));
    const prefix = Buffer.allocUnsafe(5);
    prefix.writeUInt8(compressed ? 1 : 0, 0);
    prefix.writeUInt32BE(message.byteLength, 1);
    stream.write(prefix);
    stream.end(message);
  });
}

/** What a closed stream's answer says: undefined for OK. */
function outcome(
  httpStatus: number | undefined,
  grpcStatus: string | undefined,
  grpcMessage: string | undefined,
  streamError: Error | undefined,
  rstCode: number,
): GrpcError | undefined {
  if (httpStatus !== undefined && httpStatus !== 200) return httpStatusError(httpStatus);
  if (grpcStatus !== undefined) {
    const code = /^\d+$/.test(grpcStatus) ? Number(grpcStatus) : Status.UNKNOWN;
    return code === Status.OK ? undefined : new GrpcError(code, grpcMessage ?? '');
  }
  // No answer at all: the connection failed (refused, TLS, reset) or the stream was refused.
  if (httpStatus === undefined)
    return new GrpcError(
      Status.UNAVAILABLE,
      streamError === undefined ? `Connection closed (stream reset ${rstCode})` : errorLine(streamError),
    );
  if (rstCode !== constants.NGHTTP2_NO_ERROR) return resetError(rstCode);
  return new GrpcError(Status.UNKNOWN, 'No status received');
}

function grpcTimeout(timeoutMs: number): string {
  const ms = Math.max(1, Math.ceil(timeoutMs));
  return ms <= MAX_TIMEOUT_DIGITS ? `${ms}m` : `${Math.min(Math.ceil(ms / 1000), MAX_TIMEOUT_DIGITS)}S`;
}
