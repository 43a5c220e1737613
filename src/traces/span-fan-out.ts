// A span processor that hands each span to a changing list of processors, so that processors can
// be added after the provider is built (the test kit). Loaded by boot/sdk.ts and testing.ts.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { logOnce } from '../util/logger.js';

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

  // Called for every span: indexed loops with the try inside, no closure or iterator per span.
  onStart(span: Span, parentContext: Context): void {
    const processors = this.processors;
    for (let i = 0; i < processors.length; i++) {
      const p = processors[i] as SpanProcessor;
      try {
        p.onStart(span, parentContext);
      } catch (error) {
        skipped(error);
      }
    }
  }

  onEnding(span: Span): void {
    const processors = this.processors;
    for (let i = 0; i < processors.length; i++) {
      const p = processors[i] as SpanProcessor;
      if (p.onEnding === undefined) continue;
      try {
        p.onEnding(span);
      } catch (error) {
        skipped(error);
      }
    }
  }

  onEnd(span: ReadableSpan): void {
    const processors = this.processors;
    for (let i = 0; i < processors.length; i++) {
      const p = processors[i] as SpanProcessor;
      try {
        p.onEnd(span);
      } catch (error) {
        skipped(error);
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

function skipped(error: unknown): void {
  logOnce(`processor:${String(error)}`, `a span processor failed and was skipped: ${String(error)}`);
}
