// Builds the real OTLP exporters for traces and metrics from a SignalExport. Only imported
// dynamically, at the first export, so that neither gRPC nor protobuf code is on the start-up path.
// gRPC is imported statically: it is CommonJS, whose named exports a bundled import() would miss.
import { credentials as grpcCredentials, Metadata } from '@grpc/grpc-js';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { SignalExport } from './config-export.js';
import { muteDiag } from './diag.js';
import type { Exporter } from './export-guard.js';
import { readTls, type Tls } from './tls-files.js';

/** The trace exporter `signal` describes. */
export async function createTraceExporter(signal: SignalExport): Promise<Exporter<ReadableSpan[]>> {
  const tls = await readTls(signal);
  if (signal.protocol === 'grpc') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-grpc');
    return muteDiag(() => new OTLPTraceExporter(grpcConfig(signal, tls)));
  }
  const options = httpConfig(signal, tls);
  if (signal.protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return muteDiag(() => new OTLPTraceExporter(options));
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return muteDiag(() => new OTLPTraceExporter(options));
}

/** The metric exporter `signal` describes. */
export async function createMetricExporter(signal: SignalExport): Promise<Exporter<ResourceMetrics>> {
  const tls = await readTls(signal);
  let exporter: PushMetricExporter;
  if (signal.protocol === 'grpc') {
    const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-grpc');
    exporter = muteDiag(() => new OTLPMetricExporter(grpcConfig(signal, tls)));
  } else if (signal.protocol === 'http/json') {
    const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-http');
    exporter = muteDiag(() => new OTLPMetricExporter(httpConfig(signal, tls)));
  } else {
    const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-proto');
    exporter = muteDiag(() => new OTLPMetricExporter(httpConfig(signal, tls)));
  }
  return exporter;
}

function grpcConfig(signal: SignalExport, tls: Tls) {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(signal.headers)) metadata.set(key, value);
  const credentials = signal.insecure
    ? grpcCredentials.createInsecure()
    : grpcCredentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null);
  return {
    url: signal.endpoint,
    metadata,
    credentials,
    timeoutMillis: signal.timeoutMs,
    compression: signal.compression as never,
  };
}

function httpConfig(signal: SignalExport, tls: Tls) {
  return {
    url: signal.endpoint,
    headers: { ...signal.headers },
    timeoutMillis: signal.timeoutMs,
    compression: signal.compression as never,
    httpAgentOptions: { keepAlive: true, ...tls },
  };
}
