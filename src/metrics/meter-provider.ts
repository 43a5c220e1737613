// Builds the meter provider and its readers (OTLP push, Prometheus pull, console) from a Config.
// Loaded by metrics/pipeline.ts (through lazy-module) only when some reader is configured, and after start-up
// unless Prometheus must answer from the start: the metrics SDK is a large share of start-up.
import type { Resource } from '@opentelemetry/resources';
import {
  ConsoleMetricExporter,
  type IMetricReader,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { Config } from '../config/config.js';
import { signalProbe } from '../export/collector-probe.js';
import { ExportGuard } from '../export/guard.js';
import type { ExportReporter } from '../export/reporter.js';
import type { ExportWorker } from '../export/worker-host.js';
import { loadModule } from '../lazy-module.js';
import { metricsExportTimeoutMs } from './pipeline.js';

/** A started meter provider and what boot/sdk.ts drives of its OTLP export. */
export interface MetricsSetup {
  readonly provider: MeterProvider;
  /** Whether the OTLP exporter has not sent anything yet (see ExportGuard.used). */
  readonly exporterCold: () => boolean;
  /** Loads the OTLP exporter ahead of its first export, if there is one. */
  readonly preload: () => void;
  /** Opens the OTLP exporter's connection ahead of its first export (see ExportGuard.warmUp). */
  readonly warmUp: () => void;
}

/**
 * Builds the readers `config` asks for (at least one) and a meter provider reading through them;
 * `reporter` (made by boot/sdk.ts, which may report before this loads) words the OTLP export's failures.
 */
export function buildMeterProvider(
  config: Config,
  resource: Resource,
  reporter: ExportReporter | undefined,
  exportWorker: () => ExportWorker,
): MetricsSetup {
  const readers: IMetricReader[] = [];
  let guard: ExportGuard<ResourceMetrics> | undefined;
  const signal = config.metrics;
  const readerTimeoutMs = Math.min(config.metricTimeoutMs, config.metricIntervalMs);
  if (signal !== undefined && reporter !== undefined) {
    const timeoutMs = metricsExportTimeoutMs(config, signal);
    guard = new ExportGuard<ResourceMetrics>({
      probe: signalProbe(signal, timeoutMs),
      load: async () => {
        await resource.waitForAsyncAttributes?.();
        const { createMetricExporter } = await import('./otlp-exporter.js');
        return createMetricExporter(signal, exportWorker());
      },
      reporter,
      count: () => 1,
      empty: () => ({ resource, scopeMetrics: [] }),
      timeoutMs,
    });
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: guard as unknown as PushMetricExporter,
        exportIntervalMillis: config.metricIntervalMs,
        exportTimeoutMillis: readerTimeoutMs,
      }),
    );
  }
  if (config.prometheus !== undefined) {
    const { PrometheusExporter } = loadModule<typeof import('./prometheus-exporter.js')>(
      'metrics/prometheus-exporter',
    );
    readers.push(new PrometheusExporter({ host: config.prometheus.host, port: config.prometheus.port }));
  }
  if (config.consoleMetrics) {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new ConsoleMetricExporter(),
        exportIntervalMillis: config.metricIntervalMs,
      }),
    );
  }
  const provider = new MeterProvider({ resource, readers });
  return {
    provider,
    exporterCold: () => guard !== undefined && !guard.used,
    preload: () => guard?.preload(),
    warmUp: () => guard?.warmUp(),
  };
}
