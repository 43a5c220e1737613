// Queues finished spans and exports them in batches. Used instead of the SDK's BatchSpanProcessor
// because the agent needs three things that one lacks: every dropped span counted (queue full or
// collector failing), no span queued while the collector is known down, and timers that never keep
// the process alive. Loaded by sdk.ts when traces are exported.
import type { Context } from '@opentelemetry/api';
import { TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { ExportGuard } from './export-guard.js';
import type { ExportReporter } from './export-reporter.js';

export interface BatchOptions {
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduledDelayMs: number;
}

/** Batches spans for an {@link ExportGuard}; a flush waits only for what was queued when it began. */
export class BatchProcessor implements SpanProcessor {
  private queue: ReadableSpan[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly guard: ExportGuard<ReadableSpan[]>,
    private readonly reporter: ExportReporter,
    private readonly options: BatchOptions,
    /** Called when spans start queuing, to have the exporter loaded and connected by the first export. */
    private readonly warmUp: () => void,
  ) {}

  /** Spans ended but not yet handed over, plus exports in progress. */
  get pending(): number {
    return this.queue.length + this.inFlight.size;
  }

  /** Spans ended but not yet handed to an export. */
  get queued(): number {
    return this.queue.length;
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.stopped || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.guard.isDown() || this.queue.length >= this.options.maxQueueSize) {
      this.reporter.failed(1, this.guard.isDown() ? undefined : 'the span queue is full');
      return;
    }
    this.queue.push(span);
    if (this.queue.length === 1) this.warmUp();
    if (this.queue.length >= this.options.maxExportBatchSize) {
      if (this.inFlight.size === 0) void this.sendBatch();
    } else {
      this.schedule();
    }
  }

  /** Exports every span queued now and waits for those exports (and any already running); never rejects. */
  async forceFlush(): Promise<void> {
    this.clearTimer();
    const sent: Promise<void>[] = [...this.inFlight];
    while (this.queue.length > 0) sent.push(this.sendBatch());
    await Promise.all(sent);
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    // The app goes on serving while the flush is under way: spans that end meanwhile go too.
    do await this.forceFlush();
    while (this.queue.length > 0);
    this.stopped = true;
    await this.guard.shutdown();
  }

  private sendBatch(): Promise<void> {
    this.clearTimer();
    const batch = this.queue.splice(0, this.options.maxExportBatchSize);
    if (batch.length === 0) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.guard.export(batch, () => resolve()));
    this.inFlight.add(done);
    void done.then(() => {
      this.inFlight.delete(done);
      if (this.queue.length >= this.options.maxExportBatchSize) void this.sendBatch();
      else if (this.queue.length > 0) this.schedule();
    });
    return done;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sendBatch();
    }, this.options.scheduledDelayMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
