// Builds and starts the whole agent from a Config: resource, tracer provider and span processors,
// meter provider, instrumentations and the ESM hook. Loaded by start.ts.
import { metrics } from '@opentelemetry/api';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { BatchProcessor } from './batch-processor.js';
import { signalProbe } from './collector-probe.js';
import type { Config } from './config.js';
import { ConsoleLineExporter } from './console-exporter.js';
import { DeferredMeterProvider } from './deferred-meters.js';
import { installDiag } from './diag.js';
import { installEsmHook } from './esm-hook.js';
import { ExportGuard } from './export-guard.js';
import { ExportReporter } from './export-reporter.js';
import { buildInstrumentations, hookedModules } from './instrumentations.js';
import { loadModule } from './lazy-module.js';
import { logLine } from './logger.js';
import type { MetricsSetup } from './metrics.js';
import { RedactionProcessor } from './redaction-processor.js';
import { buildResource } from './resource.js';
import { SpanFanOut } from './span-fan-out.js';
import type { AgentHandle } from './state.js';
import { installTracerProvider } from './tracing.js';

/** When an exporting service that has made no span yet loads its exporters anyway. */
const PRELOAD_AFTER_MS = 1000;

/** A running agent, plus what start-up and shutdown need to know of it. */
export interface StartedAgent extends AgentHandle {
  /** Settles when the resource's detected attributes (host.id, container.id) are known. */
  readonly ready: Promise<void>;
  /** Spans and exports not yet delivered; 0 means an exit has nothing to wait for. */
  pending(): number;
  /** Says, once, what was lost if export was failing at exit. */
  finalReport(): void;
}

export interface StartOptions {
  /** Whether the app can load a package (instrumentations for absent packages are not loaded). */
  readonly isPresent: (pkg: string) => boolean;
}

/** Builds every part of the agent for `config` and starts it; the caller installs the exit handling. */
export function startSdk(config: Config, options: StartOptions): StartedAgent {
  installDiag(config.logLevel);
  // Host and container ids only matter where telemetry leaves the process.
  const exporting =
    config.traces !== undefined || config.metrics !== undefined || config.prometheus !== undefined;
  const resource = buildResource(config, exporting || config.console || config.consoleMetrics);

  const processors: SpanProcessor[] = [new RedactionProcessor()];
  let batch: BatchProcessor | undefined;
  let traceReporter: ExportReporter | undefined;
  let traceGuard: ExportGuard<ReadableSpan[]> | undefined;
  const traces = config.traces;
  if (traces !== undefined) {
    traceReporter = new ExportReporter({ signal: 'traces', unit: 'spans', endpoint: traces.displayEndpoint });
    const timeoutMs = Math.min(traces.timeoutMs, config.bsp.exportTimeoutMs);
    const guard = new ExportGuard<ReadableSpan[]>({
      probe: signalProbe(traces, timeoutMs),
      load: async () => {
        await resource.waitForAsyncAttributes?.();
        const { createTraceExporter } = await import('./otlp-exporters.js');
        return createTraceExporter(traces);
      },
      reporter: traceReporter,
      count: (spans) => spans.length,
      empty: () => [],
      timeoutMs,
    });
    traceGuard = guard;
    batch = new BatchProcessor(guard, traceReporter, config.bsp, () => warmUp());
    processors.push(batch);
  }
  if (config.console) {
    processors.push(new SimpleSpanProcessor({ exporter: new ConsoleLineExporter(config.serviceName) }));
  }
  const fanOut = new SpanFanOut(processors);
  const tracerProvider = installTracerProvider(config, resource, [fanOut]);
  const instrumentations = buildInstrumentations(config, options.isPresent, { runtime: false });
  // Built with the metrics SDK and registered with it alone.
  const runtimeInstrumentations: Instrumentation[] = [];
  const wantsMetrics =
    config.metrics !== undefined || config.prometheus !== undefined || config.consoleMetrics;
  // Meters work from the start; the metrics SDK behind them loads with the exporters, shortly
  // after start (or at the first span), at once for Prometheus, whose endpoint must answer, or
  // when early measurements cannot wait longer (a full buffer, a flush, the shutdown).
  let meters: MetricsSetup | undefined;
  const metricsSignal = config.metrics;
  // Made here, not with the SDK: a collector that does not answer is said before the SDK loads.
  const metricsReporter =
    metricsSignal === undefined
      ? undefined
      : new ExportReporter({
          signal: 'metrics',
          unit: 'metric exports',
          endpoint: metricsSignal.displayEndpoint,
        });
  // When OTLP is the only way out for metrics, the SDK waits for a collector that answers (the
  // same probe as before loading an exporter): a short process with its collector down then loads
  // neither the metrics SDK (~7 ms) nor an exporter.
  const metricsProbe =
    metricsSignal !== undefined && config.prometheus === undefined && !config.consoleMetrics
      ? signalProbe(metricsSignal, metricsSignal.timeoutMs)
      : undefined;
  // Once the deferred provider is disabled (the SDK failed to load, or the agent was shut down),
  // the SDK is not loaded any more.
  const loadMeters = (): MetricsSetup | undefined => {
    if (meters !== undefined || deferred === undefined || deferred.disabled) return meters;
    try {
      const setup = loadModule<typeof import('./metrics.js')>('metrics').buildMeterProvider(
        config,
        resource,
        metricsReporter,
      );
      deferred.attach(setup.provider);
      meters = setup;
    } catch (error) {
      deferred.disable();
      logLine(`metrics are off, traces go on: the metrics SDK could not be started (${String(error)})`);
      return undefined;
    }
    // Runtime metrics are only observed at a collection, so they start with the SDK.
    const runtime = buildInstrumentations(config, options.isPresent, { runtime: true });
    try {
      registerInstrumentations({ tracerProvider, meterProvider: meters.provider, instrumentations: runtime });
      runtimeInstrumentations.push(...runtime);
    } catch (error) {
      logLine(`runtime metrics are off, other metrics go on: ${String(error)}`);
    }
    return meters;
  };
  const deferred = wantsMetrics ? new DeferredMeterProvider(() => loadMeters()) : undefined;
  /** Loads the SDK if measurements wait for it; whether it is there for them now. */
  const loadForWaiting = (): boolean => (deferred?.buffered ?? 0) > 0 && loadMeters() !== undefined;
  if (deferred !== undefined) metrics.setGlobalMeterProvider(deferred);
  if (config.prometheus !== undefined) loadMeters();
  /**
   * Whether measurements waiting for the metrics SDK have somewhere to go: not when OTLP is their
   * only way out and the collector does not answer, which counts as one dropped metric export.
   */
  const metricsReachable = async (): Promise<boolean> => {
    if (metricsProbe === undefined || meters !== undefined || (deferred?.buffered ?? 0) === 0) return true;
    try {
      await metricsProbe();
      return true;
    } catch (error) {
      metricsReporter?.failed(1, reason(error));
      return false;
    }
  };

  // The exporters load shortly after start, off the start-up path and ahead of the first request,
  // or at the first span if that comes sooner; they connect at the first span.
  let metricsWarming = false;
  const warmUp = (): void => {
    traceGuard?.warmUp();
    if (deferred === undefined || metricsWarming) return;
    metricsWarming = true;
    // Not inside the span's own call: the SDK takes a few milliseconds to load.
    if (metricsProbe === undefined || meters !== undefined) setImmediate(() => loadMeters()?.warmUp());
    // A collector that does not answer is said now, as the failed warm-up export would have said it.
    else
      metricsProbe().then(
        () => loadMeters()?.warmUp(),
        (error: unknown) => metricsReporter?.failed(0, reason(error)),
      );
  };
  if (traceGuard !== undefined || deferred !== undefined) {
    setTimeout(() => {
      traceGuard?.preload();
      loadMeters()?.preload();
    }, PRELOAD_AFTER_MS).unref();
  }

  registerInstrumentations({ tracerProvider, meterProvider: deferred, instrumentations });
  try {
    installEsmHook(hookedModules(instrumentations));
  } catch (error) {
    logLine(`ESM modules are not instrumented (CommonJS ones still are): ${String(error)}`);
  }

  const flush = async (timeoutMs = config.shutdownTimeoutMs, atExit = false): Promise<void> => {
    // At exit, metrics go if their exporter is already in use, spans go too, or measurements made
    // before the metrics SDK loaded wait for it. Loading gRPC or connecting just to send the
    // runtime metrics of a process that made no span and ends before its first metric export
    // would add ~100 ms to every exit (or up to the time limit with a hung collector).
    const spansPending = (batch?.pending ?? 0) > 0;
    const flushMetrics = async (): Promise<void> => {
      const early = (await metricsReachable()) && loadForWaiting();
      const m = meters;
      if (m !== undefined && (early || !(atExit && m.exporterCold() && !spansPending)))
        await m.provider.forceFlush().catch(() => undefined);
    };
    await withTimeout(Promise.all([fanOut.forceFlush(), flushMetrics()]), timeoutMs);
  };
  let stopped: Promise<void> | undefined;
  const shutdown = (timeoutMs = config.shutdownTimeoutMs): Promise<void> => {
    if (stopped !== undefined) return stopped;
    const stopMetrics = async (): Promise<void> => {
      // Measurements still waiting for the metrics SDK go out with the rest if they can; after
      // this it never loads.
      if (await metricsReachable()) loadForWaiting();
      deferred?.disable();
      await meters?.provider.shutdown().catch(() => undefined);
    };
    stopped = withTimeout(
      Promise.all([tracerProvider.shutdown().catch(() => undefined), stopMetrics()]),
      timeoutMs,
    ).finally(() => {
      for (const instrumentation of [...instrumentations, ...runtimeInstrumentations])
        instrumentation.disable();
    });
    return stopped;
  };
  return {
    config,
    fanOut,
    ready: Promise.resolve(resource.waitForAsyncAttributes?.()).catch(() => undefined),
    flush,
    shutdown,
    pending: () => batch?.pending ?? 0,
    finalReport: () => {
      traceReporter?.finalSummary((batch?.queued ?? 0) + (traceGuard?.pendingItems ?? 0));
      metricsReporter?.finalSummary();
    },
  };
}

/** The one-line reason a probe gave. */
function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Resolves when `work` settles or after `ms`, whichever is first; never rejects. */
async function withTimeout(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([
      work.then(
        () => undefined,
        () => undefined,
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
