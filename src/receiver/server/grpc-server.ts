// OTLP/gRPC: the unary Export method of the trace, metrics and logs collector services, on grpc-js.
// Started by index.ts (startReceiver).
import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceDefinition,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import { decodeBatch, exportResponse } from '../otlp/decode.js';
import { otlpSchema } from '../otlp/schema.js';
import type { TelemetryStore } from '../store.js';
import type { Signal } from '../types.js';
import { hostPort } from './address.js';
import type { ReceiverLimits } from './limits.js';

/** A bound server and how to stop it. */
export interface RunningServer {
  readonly port: number;
  /** Stops accepting, lets in-flight calls finish for up to `graceMs`, then cuts connections. */
  close(graceMs: number): Promise<void>;
}

const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];
const identity = (value: Buffer): Buffer => value;

/**
 * A service definition of `signal`'s Export that hands the handler raw bytes: decoding there, rather
 * than in requestDeserialize, lets a malformed message get INVALID_ARGUMENT instead of grpc-js's
 * INTERNAL. Also the test collectors' (test/helpers/fault-collector.ts, bench/grpc-sender-cost.ts).
 */
export function exportService(signal: Signal): ServiceDefinition {
  return {
    Export: {
      path: otlpSchema()[signal].grpcPath,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

function exportHandler(signal: Signal, store: TelemetryStore) {
  const response = Buffer.from(exportResponse(signal, 'protobuf'));
  return (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
    let batch: ReturnType<typeof decodeBatch>;
    try {
      batch = decodeBatch(signal, call.request, 'grpc');
    } catch (error) {
      callback({ code: status.INVALID_ARGUMENT, details: (error as Error).message });
      return;
    }
    store.add(batch);
    callback(null, response);
  };
}

/** A PEM certificate chain and its private key, for a TLS server. */
export interface TlsOptions {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/**
 * Binds the OTLP/gRPC server, over TLS when `tls` is given. Oversized requests (also once
 * decompressed) are refused by grpc-js itself with RESOURCE_EXHAUSTED, from the
 * max_receive_message_length option.
 */
export async function startGrpcServer(
  host: string,
  port: number,
  limits: Readonly<ReceiverLimits>,
  store: TelemetryStore,
  tls?: TlsOptions,
): Promise<RunningServer> {
  const server = new Server({ 'grpc.max_receive_message_length': limits.maxRequestBytes });
  for (const signal of SIGNALS)
    server.addService(exportService(signal), { Export: exportHandler(signal, store) });
  const credentials = tls
    ? ServerCredentials.createSsl(null, [{ cert_chain: tls.cert, private_key: tls.key }], false)
    : ServerCredentials.createInsecure();
  const bound = await new Promise<number>((resolve, reject) => {
    server.bindAsync(hostPort(host, port), credentials, (error, boundPort) => {
      if (error)
        reject(new Error(`OTLP gRPC receiver could not listen on ${hostPort(host, port)}: ${error.message}`));
      else resolve(boundPort);
    });
  });
  return {
    port: bound,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        // Exporters keep their HTTP/2 connection open, so a graceful shutdown alone can wait forever.
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
