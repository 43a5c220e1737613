// Tells, once, when the first unit of work (a request, or a script's call) is over: the first span
// that ends with no parent in this process. What may take the thread for a few milliseconds (the
// metrics SDK loading) waits for it, so that it lands between requests, not inside the first one.
// Added to the span fan-out by boot/sdk.ts.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/** Calls `then` once, at the end of the first span that has no local parent. */
export class FirstRequestDone implements SpanProcessor {
  private done = false;

  constructor(private readonly then: () => void) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.done) return;
    const parent = span.parentSpanContext;
    if (parent !== undefined && parent.isRemote !== true) return;
    this.done = true;
    this.then();
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
