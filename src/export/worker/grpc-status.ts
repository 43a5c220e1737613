// gRPC status codes and the one-line errors of a failed call, worded as grpc-js words them
// ("14 UNAVAILABLE: connect ECONNREFUSED ...", "4 DEADLINE_EXCEEDED: ..."), since the reporter's
// first warning and the tests read them. Loaded by grpc-call.ts.
import { constants } from 'node:http2';

const NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** A failed call: `code` is the gRPC status, the message reads "<code> <NAME>: <details>". */
export class GrpcError extends Error {
  constructor(
    readonly code: number,
    details: string,
  ) {
    super(`${code} ${NAMES[code] ?? 'UNKNOWN'}: ${details}`);
  }
}

/** gRPC's HTTP mapping of statuses other than 200 (as grpc-js maps them); the rest are UNKNOWN. */
const HTTP_STATUS: Partial<Record<number, number>> = {
  400: Status.INTERNAL,
  401: Status.UNAUTHENTICATED,
  403: Status.PERMISSION_DENIED,
  404: Status.UNIMPLEMENTED,
  429: Status.UNAVAILABLE,
  502: Status.UNAVAILABLE,
  503: Status.UNAVAILABLE,
  504: Status.UNAVAILABLE,
};

/** The status of an answer that is not HTTP 200, as gRPC's HTTP mapping gives it (and grpc-js). */
export function httpStatusError(httpStatus: number): GrpcError {
  return new GrpcError(HTTP_STATUS[httpStatus] ?? Status.UNKNOWN, `Received HTTP status code ${httpStatus}`);
}

/** A call that did not end within `timeoutMs`. */
export function deadlineError(timeoutMs: number): GrpcError {
  return new GrpcError(Status.DEADLINE_EXCEEDED, `Deadline exceeded after ${timeoutMs} ms`);
}

/** A stream the server reset (RST_STREAM) before it gave a status, mapped as grpc-js maps it. */
export function resetError(rstCode: number): GrpcError {
  switch (rstCode) {
    case constants.NGHTTP2_REFUSED_STREAM:
      return new GrpcError(Status.UNAVAILABLE, 'Stream refused by server');
    case constants.NGHTTP2_CANCEL:
      return new GrpcError(Status.CANCELLED, 'Call cancelled');
    case constants.NGHTTP2_ENHANCE_YOUR_CALM:
      return new GrpcError(Status.RESOURCE_EXHAUSTED, 'Bandwidth exhausted or memory limit exceeded');
    case constants.NGHTTP2_INADEQUATE_SECURITY:
      return new GrpcError(Status.PERMISSION_DENIED, 'Protocol not secure enough');
    default:
      return new GrpcError(Status.INTERNAL, `Received RST_STREAM with code ${rstCode}`);
  }
}

/** grpc-message is percent-encoded (gRPC over HTTP/2); a bad escape leaves it as sent. */
export function decodeMessage(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
