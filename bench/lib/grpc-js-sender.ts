// The export worker's former gRPC transport, on @grpc/grpc-js (src/export/worker/grpc-sender.ts
// before it moved to node:http2), kept as the anchor of bench/grpc-sender-cost.ts, which builds a
// worker with it in place of the new one. Not shipped.
import { Client, type ClientOptions, credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import type { SignalExport } from '../../src/config/export.js';
import { readTls } from '../../src/config/tls-files.js';
import type { Sender, WorkerSignal } from '../../src/export/worker/messages.js';

const PATHS: Record<WorkerSignal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
};

/** grpc-js's compression algorithm numbers (upstream sets the channel default the same way). */
const GZIP = 2;
const IDENTITY = 0;
/** As upstream: after this many deadlines in a row the channel is replaced (it may be stuck). */
const MAX_DEADLINES = 5;

const asIs = (value: Buffer): Buffer => value;

export async function grpcSender(signal: WorkerSignal, config: SignalExport): Promise<Sender> {
  const tls = await readTls(config);
  // grpc-js takes host:port; the scheme only decided `insecure` (config/export.ts).
  const address = new URL(config.endpoint).host;
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(config.headers)) metadata.set(key, value);
  const channelCredentials = config.insecure
    ? credentials.createInsecure()
    : credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null);
  const options: ClientOptions = {
    'grpc.default_compression_algorithm': config.compression === 'gzip' ? GZIP : IDENTITY,
    'grpc.primary_user_agent': 'logos-otel-export-worker',
  };
  const path = PATHS[signal];
  // The worker starts once the collector answered a connect (the ExportGuard's probe): the channel
  // connects now, so that the first export (maybe the last ones, handed over at exit) finds it open.
  const open = (): Client => connect(new Client(address, channelCredentials, options));
  let client: Client | undefined = open();
  let deadlines = 0;
  return {
    send(bytes, timeoutMs) {
      client ??= open();
      const channel = client;
      const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return new Promise<void>((resolve, reject) => {
        channel.makeUnaryRequest(
          path,
          asIs,
          asIs,
          body,
          metadata,
          { deadline: Date.now() + timeoutMs },
          (error: ServiceError | null) => {
            if (error === null) {
              deadlines = 0;
              resolve();
              return;
            }
            if (error.code === status.DEADLINE_EXCEEDED && ++deadlines > MAX_DEADLINES) {
              channel.close();
              if (client === channel) client = undefined;
              deadlines = 0;
            }
            // grpc-js's own words: "14 UNAVAILABLE: No connection established. ..."
            reject(new Error(error.message));
          },
        );
      });
    },
    close() {
      client?.close();
      client = undefined;
    },
  };
}

/** Starts connecting `client`'s channel (grpc-js connects only at the first call otherwise). */
function connect(client: Client): Client {
  client.getChannel().getConnectivityState(true);
  return client;
}
