// The span processor list of the lean provider, called in order as the SDK's MultiSpanProcessor
// calls it (indexed loops: no iterator per span). Loaded by traces/lean-tracer/provider.ts.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

export class ProcessorList implements SpanProcessor {
  private readonly withEnding: SpanProcessor[];

  constructor(private readonly processors: readonly SpanProcessor[]) {
    // Most processors have no onEnding: the list of those that do is made once.
    this.withEnding = processors.filter((p) => typeof p.onEnding === 'function');
  }

  onStart(span: Span, parentContext: Context): void {
    const list = this.processors;
    for (let i = 0; i < list.length; i++) (list[i] as SpanProcessor).onStart(span, parentContext);
  }

  onEnding(span: Span): void {
    const list = this.withEnding;
    for (let i = 0; i < list.length; i++) (list[i] as SpanProcessor).onEnding?.(span);
  }

  onEnd(span: ReadableSpan): void {
    const list = this.processors;
    for (let i = 0; i < list.length; i++) (list[i] as SpanProcessor).onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.shutdown()));
  }
}
