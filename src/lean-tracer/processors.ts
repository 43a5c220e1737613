// The span processor list of the lean provider, called in order as the SDK's MultiSpanProcessor
// calls it. Loaded by lean-tracer/provider.ts.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

export class ProcessorList implements SpanProcessor {
  private readonly withEnding: SpanProcessor[];

  constructor(private readonly processors: readonly SpanProcessor[]) {
    // Most processors have no onEnding: the list of those that do is made once.
    this.withEnding = processors.filter((p) => typeof p.onEnding === 'function');
  }

  onStart(span: Span, parentContext: Context): void {
    for (const p of this.processors) p.onStart(span, parentContext);
  }

  onEnding(span: Span): void {
    for (const p of this.withEnding) p.onEnding?.(span);
  }

  onEnd(span: ReadableSpan): void {
    for (const p of this.processors) p.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.shutdown()));
  }
}
