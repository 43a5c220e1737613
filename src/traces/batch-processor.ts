// Queues finished spans, each already encoded for the wire, and exports them in batches. Used
// instead of the SDK's BatchSpanProcessor because the agent needs what that one lacks: every
// dropped span counted (queue full, collector failing, a span that cannot be encoded), no span
// queued while the collector is known down, a queue bounded by bytes as well as by spans, what is
// left handed over synchronously at exit, and timers that never keep the process alive.
// Built by traces/pipeline.ts.
import type { Context } from '@opentelemetry/api';
import { TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { ExportGuard } from '../export/guard.js';
import type { ExportReporter } from '../export/reporter.js';

export interface BatchOptions {
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduledDelayMs: number;
  /** The most bytes the encoded spans in the queue may hold. */
  readonly maxQueueBytes: number;
}

/** What the queue holds for each finished span, and how many bytes that is. */
export interface SpanEncoder<Q> {
  /** Called once per span, at its end. */
  readonly encode: (span: ReadableSpan) => Q;
  readonly size: (item: Q) => number;
}

/** Batches spans for an {@link ExportGuard}; a flush waits only for what was queued when it began. */
export class BatchProcessor<Q> implements SpanProcessor {
  private queue: Q[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly guard: ExportGuard<Q[]>,
    private readonly reporter: ExportReporter,
    private readonly options: BatchOptions,
    private readonly encoder: SpanEncoder<Q>,
  ) {}

  /** Spans ended but not yet handed over, plus exports in progress. */
  get undelivered(): number {
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
    let item: Q;
    let size: number;
    try {
      item = this.encoder.encode(span);
      size = this.encoder.size(item);
    } catch (error) {
      this.reporter.failed(1, `a span could not be encoded: ${String(error)}`);
      return;
    }
    if (this.queuedBytes + size > this.options.maxQueueBytes) {
      this.reporter.failed(1, 'the span queue is full');
      return;
    }
    this.queue.push(item);
    this.queuedBytes += size;
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

  /** Takes every queued span out of the queue, for a synchronous hand-off at exit. */
  drain(): Q[] {
    this.clearTimer();
    const all = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    return all;
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
    const batch = this.take(this.options.maxExportBatchSize);
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

  private take(count: number): Q[] {
    const batch = this.queue.splice(0, count);
    for (const item of batch) this.queuedBytes -= this.encoder.size(item);
    return batch;
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
