// A span processor that hands each span to a changing list of processors, so that processors can
// be added after the provider is built (the test kit). Loaded by sdk.ts and testing.ts.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { logOnce } from './logger.js';

/** Fans spans out to its processors; one that throws is reported once and does not stop the others. */
export class SpanFanOut implements SpanProcessor {
  private processors: SpanProcessor[];

  constructor(processors: SpanProcessor[] = []) {
    this.processors = [...processors];
  }

  add(processor: SpanProcessor): void {
    this.processors = [...this.processors, processor];
  }

  remove(processor: SpanProcessor): void {
    this.processors = this.processors.filter((p) => p !== processor);
  }

  // Loops with try/catch inside rather than a closure per processor and call: this runs three times
  // per span, and the closures were most of SpanFanOut's cost (bench/span-record.ts).
  onStart(span: Span, parentContext: Context): void {
    for (const p of this.processors) {
      try {
        p.onStart(span, parentContext);
      } catch (error) {
        report(error);
      }
    }
  }

  onEnding(span: Span): void {
    for (const p of this.processors) {
      if (p.onEnding === undefined) continue;
      try {
        p.onEnding(span);
      } catch (error) {
        report(error);
      }
    }
  }

  onEnd(span: ReadableSpan): void {
    for (const p of this.processors) {
      try {
        p.onEnd(span);
      } catch (error) {
        report(error);
      }
    }
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.forceFlush().catch(() => undefined)));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.shutdown().catch(() => undefined)));
  }
}

function report(error: unknown): void {
  logOnce(`processor:${String(error)}`, `a span processor failed and was skipped: ${String(error)}`);
}
