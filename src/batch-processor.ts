// Queues finished spans and exports them in batches. Used instead of the SDK's BatchSpanProcessor
// because the agent needs three things that one lacks: every dropped span counted (queue full or
// collector failing), no span queued while the collector is known down, and timers that never keep
// the process alive. Loaded by sdk.ts when traces are exported.
import type { Context } from '@opentelemetry/api';
import { context, TraceFlags } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { ExportGuard } from './export-guard.js';
import type { ExportReporter } from './export-reporter.js';

export interface BatchOptions {
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduledDelayMs: number;
}

export class BatchProcessor implements SpanProcessor {
  private queue: ReadableSpan[] = [];
  private timer: NodeJS.Timeout | undefined;
  private exporting = 0;
  private stopped = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly guard: ExportGuard<ReadableSpan[]>,
    private readonly reporter: ExportReporter,
    private readonly options: BatchOptions,
  ) {}

  /** Spans ended but not yet handed over, plus exports in progress. */
  get pending(): number {
    return this.queue.length + this.exporting;
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.stopped || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.guard.isDown() || this.queue.length >= this.options.maxQueueSize) {
      this.reporter.failed(1, this.guard.isDown() ? undefined : 'the span queue is full');
      return;
    }
    this.queue.push(span);
    if (this.queue.length === 1) this.guard.warmUp();
    if (this.queue.length >= this.options.maxExportBatchSize) {
      if (this.exporting === 0) this.sendBatch();
    } else {
      this.schedule();
    }
  }

  /** Exports every queued span; resolves when all those exports have settled, never rejects. */
  async forceFlush(): Promise<void> {
    this.clearTimer();
    while (this.queue.length > 0) this.sendBatch();
    if (this.exporting > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    await this.forceFlush();
    this.stopped = true;
    await this.guard.shutdown();
  }

  private sendBatch(): void {
    this.clearTimer();
    const batch = this.queue.splice(0, this.options.maxExportBatchSize);
    if (batch.length === 0) return;
    this.exporting++;
    // Nothing the exporter does (gRPC or HTTP calls) may itself be traced.
    context.with(suppressTracing(context.active()), () => {
      this.guard.export(batch, () => {
        this.exporting--;
        if (this.queue.length >= this.options.maxExportBatchSize) this.sendBatch();
        else if (this.queue.length > 0) this.schedule();
        if (this.exporting === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    });
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sendBatch();
    }, this.options.scheduledDelayMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
