// The traces signal from a finished span to the collector as one object: the span processor that
// encodes and queues each span, the export guard in front of the exporter, and the reporter that
// words what is lost. Built by boot/sdk.ts when traces are exported.
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Config } from '../config/config.js';
import type { SignalExport } from '../config/export.js';
import { signalProbe } from '../export/collector-probe.js';
import { type Exporter, ExportGuard } from '../export/guard.js';
import { ExportReporter } from '../export/reporter.js';
import type { SignalPipeline } from '../export/signal-pipeline.js';
import { BatchProcessor, type SpanEncoder } from './batch-processor.js';

/** How spans are encoded for the queue, and the exporter that sends a batch of them. */
export interface TraceTransport<Q> {
  readonly encoder: SpanEncoder<Q>;
  /** Builds the exporter; called once the collector answers, after the resource has settled. */
  readonly load: (signal: SignalExport, resource: Resource) => Promise<Exporter<Q[]>>;
  /** The same, synchronously, for the hand-off at exit before {@link load} has finished. */
  readonly loadAtExit: (signal: SignalExport, resource: Resource) => Exporter<Q[]>;
}

/** Spans from their end to the collector (see the file comment). */
export class TracePipeline<Q> implements SignalPipeline {
  private readonly reporter: ExportReporter;
  private readonly guard: ExportGuard<Q[]>;
  private readonly batch: BatchProcessor<Q>;

  constructor(config: Config, signal: SignalExport, resource: Resource, transport: TraceTransport<Q>) {
    this.reporter = new ExportReporter({ signal: 'traces', unit: 'spans', endpoint: signal.displayEndpoint });
    const timeoutMs = Math.min(signal.timeoutMs, config.bsp.exportTimeoutMs);
    this.guard = new ExportGuard<Q[]>({
      probe: signalProbe(signal, timeoutMs),
      load: async () => {
        await resource.waitForAsyncAttributes?.();
        return transport.load(signal, resource);
      },
      loadAtExit: () => transport.loadAtExit(signal, resource),
      reporter: this.reporter,
      count: (spans) => spans.length,
      empty: () => [],
      timeoutMs,
    });
    this.batch = new BatchProcessor(this.guard, this.reporter, config.bsp, transport.encoder);
  }

  /** The span processor that feeds this pipeline. */
  get processor(): SpanProcessor {
    return this.batch;
  }

  preload(): void {
    this.guard.preload();
  }

  warmUp(): void {
    this.guard.warmUp();
  }

  flush(): Promise<void> {
    return this.batch.forceFlush();
  }

  flushSync(timeoutMs: number): void {
    this.guard.exportAtExit(this.batch.drain(), timeoutMs);
  }

  shutdown(): Promise<void> {
    return this.batch.shutdown();
  }

  undelivered(): number {
    return this.batch.undelivered;
  }

  finalReport(): void {
    this.reporter.finalSummary(this.batch.queued + this.guard.inFlightItems);
  }
}
