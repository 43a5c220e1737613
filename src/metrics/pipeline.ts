// The metrics signal from meters to collector as one object: meters that work from the start, the
// metrics SDK loaded behind them when it is first needed, its OTLP export's reporter and probe, and
// the metrics-only instrumentations (runtime metrics) started with the SDK. Built by boot/sdk.ts when any metrics reader is configured.

import { metrics, type TracerProvider } from '@opentelemetry/api';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import type { Resource } from '@opentelemetry/resources';
import type { Config } from '../config/config.js';
import type { SignalExport } from '../config/export.js';
import { signalProbe } from '../export/collector-probe.js';
import { ExportReporter } from '../export/reporter.js';
import type { SignalPipeline } from '../export/signal-pipeline.js';
import type { ExportWorker } from '../export/worker-host.js';
import { loadModule } from '../lazy-module.js';
import { logLine } from '../util/logger.js';
import { DeferredMeterProvider } from './deferred/provider.js';
import type { MetricsSetup } from './meter-provider.js';

export interface MetricsPipelineOptions {
  readonly config: Config;
  readonly resource: Resource;
  readonly tracerProvider: TracerProvider;
  /** The export worker, started by the first export of any signal. */
  readonly exportWorker: () => ExportWorker;
  /** Builds the metrics-only instrumentations, e.g. runtime-node (registered with the SDK once it loads). */
  readonly metricsInstrumentations: () => Instrumentation[];
}

/**
 * Meters work from the start; the metrics SDK behind them loads with the exporters, shortly after
 * start (or at the first span), at once for Prometheus, whose endpoint must answer, or when early
 * measurements cannot wait longer (a full buffer, a flush, the shutdown).
 */
export class MetricsPipeline implements SignalPipeline {
  readonly meterProvider: DeferredMeterProvider;
  private readonly reporter: ExportReporter | undefined;
  /**
   * When OTLP is the only way out for metrics, the SDK waits for a collector that answers (the
   * same probe as before loading an exporter): a short process with its collector down then loads
   * neither the metrics SDK (~7 ms) nor an exporter.
   */
  private readonly probe: (() => Promise<void>) | undefined;
  private sdk: MetricsSetup | undefined;
  private readonly instrumentations: Instrumentation[] = [];
  private warming = false;

  constructor(private readonly options: MetricsPipelineOptions) {
    const { config } = options;
    const signal = config.metrics;
    // Made here, not with the SDK: a collector that does not answer is said before the SDK loads.
    this.reporter =
      signal === undefined
        ? undefined
        : new ExportReporter({ signal: 'metrics', unit: 'metric exports', endpoint: signal.displayEndpoint });
    this.probe =
      signal !== undefined && config.prometheus === undefined && !config.consoleMetrics
        ? signalProbe(signal, signal.timeoutMs)
        : undefined;
    this.meterProvider = new DeferredMeterProvider(() => this.load());
    metrics.setGlobalMeterProvider(this.meterProvider);
    if (config.prometheus !== undefined) this.load();
  }

  preload(): void {
    this.load()?.preload();
  }

  /** Called once the first request is over (see traces/first-request-done.ts). */
  warmUp(): void {
    if (this.warming) return;
    this.warming = true;
    // Not inside the span's own call: the SDK takes a few milliseconds to load.
    if (this.probe === undefined || this.sdk !== undefined) setImmediate(() => this.load()?.warmUp());
    // A collector that does not answer is said now, as the failed warm-up export would have said it.
    else
      this.probe().then(
        () => this.load()?.warmUp(),
        (error: unknown) => this.reporter?.failed(0, reason(error)),
      );
  }

  /**
   * At exit, metrics go if their exporter is already in use, spans go too (`othersPending`), or
   * measurements made before the metrics SDK loaded wait for it. Loading the exporter or
   * connecting just to send the runtime metrics of a process that made no span and ends before
   * its first metric export would add ~100 ms to every exit (or up to the time limit with a hung
   * collector).
   */
  async flush(atExit: boolean, othersPending = false): Promise<void> {
    const early = (await this.reachable()) && this.loadForWaiting();
    const sdk = this.sdk;
    if (sdk !== undefined && (early || !(atExit && sdk.exporterCold() && !othersPending)))
      await sdk.provider.forceFlush().catch(() => undefined);
  }

  /** Metrics are collected asynchronously: nothing can leave at a synchronous exit. */
  flushSync(): void {}

  async shutdown(): Promise<void> {
    // Measurements still waiting for the metrics SDK go out with the rest if they can; after this
    // it never loads.
    if (await this.reachable()) this.loadForWaiting();
    this.meterProvider.disable();
    await this.sdk?.provider.shutdown().catch(() => undefined);
    for (const instrumentation of this.instrumentations) instrumentation.disable();
  }

  /**
   * Metrics never hold an exit: what is collected goes at the exit flush or is counted as dropped
   * there (see flush).
   */
  undelivered(): number {
    return 0;
  }

  finalReport(): void {
    this.reporter?.finalSummary();
  }

  /** The metrics SDK, loaded on first call; undefined once disabled (it failed to load, or shut down). */
  private load(): MetricsSetup | undefined {
    if (this.sdk !== undefined || this.meterProvider.disabled) return this.sdk;
    const { config, resource, tracerProvider } = this.options;
    try {
      const setup = loadModule<typeof import('./meter-provider.js')>(
        'metrics/meter-provider',
      ).buildMeterProvider(config, resource, this.reporter, this.options.exportWorker);
      this.meterProvider.attach(setup.provider);
      this.sdk = setup;
    } catch (error) {
      this.meterProvider.disable();
      logLine(`metrics are off, traces go on: the metrics SDK could not be started (${String(error)})`);
      return undefined;
    }
    // Metrics-only instrumentations (runtime metrics) only observe at a collection, so they start
    // with the SDK.
    const instrumentations = this.options.metricsInstrumentations();
    try {
      registerInstrumentations({
        tracerProvider,
        meterProvider: this.sdk.provider,
        instrumentations,
      });
      this.instrumentations.push(...instrumentations);
    } catch (error) {
      logLine(`runtime metrics are off, other metrics go on: ${String(error)}`);
    }
    return this.sdk;
  }

  /** Loads the SDK if measurements wait for it; whether it is there for them now. */
  private loadForWaiting(): boolean {
    return this.meterProvider.undelivered > 0 && this.load() !== undefined;
  }

  /**
   * Whether measurements waiting for the metrics SDK have somewhere to go: not when OTLP is their
   * only way out and the collector does not answer, which counts as one dropped metric export.
   */
  private async reachable(): Promise<boolean> {
    if (this.probe === undefined || this.sdk !== undefined || this.meterProvider.undelivered === 0)
      return true;
    try {
      await this.probe();
      return true;
    } catch (error) {
      this.reporter?.failed(1, reason(error));
      return false;
    }
  }
}

/**
 * The time limit of one OTLP metrics export: the guard's deadline comes before the reader's, so a
 * slow export is reported once, by the guard; the export worker gives up at the same time, so
 * that an export given up on does not hold the process open.
 */
export function metricsExportTimeoutMs(config: Config, signal: SignalExport): number {
  const readerTimeoutMs = Math.min(config.metricTimeoutMs, config.metricIntervalMs);
  return Math.max(50, Math.min(signal.timeoutMs, readerTimeoutMs - 50));
}

/** The one-line reason a probe gave. */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
