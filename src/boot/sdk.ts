// Wires the whole agent from a Config: resource, tracer provider and span processors, one pipeline
// per exported signal, instrumentations and the ESM hook. Loaded by boot/start.ts.
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { Config } from '../config/config.js';
import type { SignalPipeline } from '../export/signal-pipeline.js';
import { ExportWorker } from '../export/worker-host.js';
import { buildInstrumentations, hookedModules } from '../instrumentations/build.js';
import { MetricsPipeline, metricsExportTimeoutMs } from '../metrics/pipeline.js';
import { ConsoleLineExporter } from '../traces/console-exporter.js';
import { FirstRequestDone } from '../traces/first-request-done.js';
import { TracePipeline, type TraceTransport } from '../traces/pipeline.js';
import { RedactionProcessor } from '../traces/redaction-processor.js';
import { SpanFanOut } from '../traces/span-fan-out.js';
import { installTracerProvider } from '../traces/tracing.js';
import { traceTransport } from '../traces/transport.js';
import { installDiag } from '../util/diag.js';
import { logLine } from '../util/logger.js';
import { installEsmHook } from './esm-hook.js';
import { buildResource } from './resource.js';
import type { AgentHandle } from './state.js';

/** When an exporting service that has made no span yet loads its exporters anyway. */
const PRELOAD_AFTER_MS = 1000;
/**
 * How long after the first request the pipelines warm up: long enough for the service that called
 * this one to finish its own first request first, when both share a core.
 */
const WARM_UP_AFTER_MS = 100;

/** A running agent, plus what start-up and shutdown need to know of it. */
export interface StartedAgent extends AgentHandle {
  /** Settles when the resource's detected attributes (host.id, container.id) are known. */
  readonly ready: Promise<void>;
  /** Spans and exports not yet delivered; 0 means an exit has nothing to wait for. */
  undelivered(): number;
  /**
   * At exit, with no turn of the event loop left: hands what is left to the export worker and
   * waits, bounded by the shutdown time limit; nothing when a flush already ran out of time.
   */
  flushSync(): void;
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
  const pipelines: SignalPipeline[] = [];
  // The pipelines warm up (the export worker starts, the metrics SDK loads, each sends one empty
  // export) once the first request is over: on a busy core, a thread starting or a module loading
  // inside it would make the first user wait (see traces/first-request-done.ts). A little later still:
  // this request's caller may be finishing its own first request on the same core.
  // A flush does not wait for it: a script that is done warms up at its exit flush, as it would have.
  let warmUpTimer: NodeJS.Timeout | undefined;
  const warmUpNow = (): void => {
    if (warmUpTimer === undefined) return;
    clearTimeout(warmUpTimer);
    warmUpTimer = undefined;
    for (const pipeline of pipelines) pipeline.warmUp();
  };
  const warmUp = (): void => {
    warmUpTimer = setTimeout(warmUpNow, WARM_UP_AFTER_MS).unref();
  };
  // One worker thread owns every OTLP connection; it starts with the first export (or the preload).
  let worker: ExportWorker | undefined;
  const exportWorker = (): ExportWorker => {
    worker ??= new ExportWorker({ signals: workerSignals(config) });
    return worker;
  };
  const traces =
    config.traces === undefined
      ? undefined
      : new TracePipeline<unknown>(
          config,
          config.traces,
          resource,
          traceTransport(config.traces, exportWorker) as TraceTransport<unknown>,
        );
  if (traces !== undefined) {
    processors.push(traces.processor);
    pipelines.push(traces);
  }
  if (config.console) {
    processors.push(new SimpleSpanProcessor({ exporter: new ConsoleLineExporter(config.serviceName) }));
  }
  const fanOut = new SpanFanOut(processors);
  const tracerProvider = installTracerProvider(config, resource, [fanOut]);
  const instrumentations = buildInstrumentations(config, options.isPresent, 'traces');
  const wantsMetrics =
    config.metrics !== undefined || config.prometheus !== undefined || config.consoleMetrics;
  const metricsPipeline = wantsMetrics
    ? new MetricsPipeline({
        config,
        resource,
        tracerProvider,
        exportWorker,
        // Built with the metrics SDK and registered with it alone.
        metricsInstrumentations: () => buildInstrumentations(config, options.isPresent, 'metrics'),
      })
    : undefined;
  if (metricsPipeline !== undefined) pipelines.push(metricsPipeline);
  if (pipelines.length > 0) {
    // Needed for one span only: it leaves the fan-out once it has fired.
    const firstDone: FirstRequestDone = new FirstRequestDone(() => {
      fanOut.remove(firstDone);
      warmUp();
    });
    fanOut.add(firstDone);
    // Loaded ahead of the first export, off the start-up path, if no request came first.
    setTimeout(() => {
      for (const pipeline of pipelines) pipeline.preload();
    }, PRELOAD_AFTER_MS).unref();
  }

  registerInstrumentations({
    tracerProvider,
    meterProvider: metricsPipeline?.meterProvider,
    instrumentations,
  });
  try {
    installEsmHook(hookedModules(instrumentations));
  } catch (error) {
    logLine(`ESM modules are not instrumented (CommonJS ones still are): ${String(error)}`);
  }

  /** A flush ran out of time: the collector had its chance, and an exit does not wait for it again. */
  let flushRanOut = false;
  const flush = async (timeoutMs = config.shutdownTimeoutMs, atExit = false): Promise<void> => {
    // A process that is done before the worker started sends its last exports from this thread.
    if (atExit && (config.traces !== undefined || config.metrics !== undefined))
      exportWorker().sendFromHere();
    warmUpNow();
    const spansUndelivered = (traces?.undelivered() ?? 0) > 0;
    const work = [fanOut.forceFlush(), metricsPipeline?.flush(atExit, spansUndelivered)];
    if (!(await withTimeout(Promise.all(work), timeoutMs))) flushRanOut = true;
  };
  let stopped: Promise<void> | undefined;
  const shutdown = (timeoutMs = config.shutdownTimeoutMs): Promise<void> => {
    if (stopped !== undefined) return stopped;
    stopped = withTimeout(
      Promise.all([tracerProvider.shutdown().catch(() => undefined), metricsPipeline?.shutdown()]),
      timeoutMs,
    )
      .finally(() => {
        for (const instrumentation of instrumentations) instrumentation.disable();
        // The process may go on without the agent: its thread goes too.
        void worker?.terminate();
      })
      .then(() => undefined);
    return stopped;
  };
  return {
    config,
    fanOut,
    ready: Promise.resolve(resource.waitForAsyncAttributes?.()).catch(() => undefined),
    flush,
    shutdown,
    undelivered: () => traces?.undelivered() ?? 0,
    flushSync: () => {
      if (flushRanOut) return;
      for (const pipeline of pipelines) pipeline.flushSync(config.shutdownTimeoutMs);
    },
    finalReport: () => {
      for (const pipeline of pipelines) pipeline.finalReport();
    },
  };
}

/** How the export worker sends each exported signal. */
function workerSignals(config: Config): ConstructorParameters<typeof ExportWorker>[0]['signals'] {
  const metricsSignal = config.metrics;
  return {
    ...(config.traces === undefined ? {} : { traces: config.traces }),
    ...(metricsSignal === undefined
      ? {}
      : { metrics: { ...metricsSignal, timeoutMs: metricsExportTimeoutMs(config, metricsSignal) } }),
  };
}

/** Resolves when `work` settles (true) or after `ms` (false), whichever is first; never rejects. */
async function withTimeout(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
