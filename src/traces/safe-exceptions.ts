// Makes `span.recordException` safe for whatever an app throws, on every span of the SDK, whichever
// instrumentation calls it. Installed by traces/tracing.ts as the first span processor.
// The SDK's own version reads `code`, `name`, `message` and `stack` off the value and, for anything
// else, warns with the value in a template string: a thrown Symbol then becomes a TypeError thrown
// into the app (upstream's koa instrumentation records before rethrowing), and app data reaches stderr.
import type { Exception, HrTime } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { toException } from '../api/attributes.js';

type RecordException = (this: Span, exception: Exception, time?: HrTime) => void;

const SAFE = Symbol('logos.otel.safeRecordException');

/** Replaces `recordException` on the prototype of the first span it sees; costs one check after. */
export class SafeExceptionsProcessor implements SpanProcessor {
  private done = false;

  onStart(span: Span): void {
    if (this.done) return;
    this.done = true;
    const proto = Object.getPrototypeOf(span) as { recordException?: RecordException; [SAFE]?: true };
    const original = proto.recordException;
    if (typeof original !== 'function' || proto[SAFE] === true) return;
    proto[SAFE] = true;
    proto.recordException = function recordException(this: Span, exception: unknown, time?: HrTime) {
      try {
        original.call(this, toException(exception), time);
      } catch {
        // A value whose properties throw when read: the event is left out, the app's error stands.
      }
    };
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
