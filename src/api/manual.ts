// The public manual API: tracers, meters, loggers, the span helper for `{service}.{operation}`
// spans and the current trace id. Imported by services through `@logos/otel`; starts nothing.
import {
  type Attributes,
  context,
  type Meter,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { spanServiceName } from '../boot/state.js';
import { isPromiseLike } from '../util/promise-like.js';
import { type LooseAttributes, toAttributes, toException } from './attributes.js';

const SCOPE = '@logos/otel';

/** A tracer from the global provider (a no-op until the agent starts). */
export function getTracer(name: string = SCOPE, version?: string): Tracer {
  return trace.getTracer(name, version);
}

/** A meter from the global provider: a no-op unless metrics are exported; usable at import time. */
export function getMeter(name: string = SCOPE, version?: string): Meter {
  return metrics.getMeter(name, version);
}

/** Options of {@link withSpan} besides the attributes. */
export interface SpanHelperOptions {
  readonly attributes?: LooseAttributes;
  readonly kind?: SpanKind;
  /** The tracer (instrumentation scope) name; defaults to the span name's service part. */
  readonly tracer?: string;
}

/**
 * Runs `fn` inside a new current span named `name` and ends the span when `fn` returns or settles.
 * A name without a dot is prefixed with the service name (`embed` -> `hermes.embed`). A throw or a
 * rejection is recorded on the span, which is marked as an error, and then passed on unchanged.
 */
export function withSpan<T>(name: string, fn: (span: Span) => T): T;
export function withSpan<T>(
  name: string,
  attributes: LooseAttributes | SpanHelperOptions,
  fn: (span: Span) => T,
): T;
export function withSpan<T>(
  name: string,
  second: LooseAttributes | SpanHelperOptions | ((span: Span) => T),
  third?: (span: Span) => T,
): T {
  const fn = (typeof second === 'function' ? second : third) as (span: Span) => T;
  const options: SpanHelperOptions & { attributes?: Attributes } =
    typeof second === 'function' ? {} : asOptions(second);
  const fullName = spanName(name);
  const tracer = trace.getTracer(options.tracer ?? fullName.split('.')[0] ?? SCOPE);
  const span = tracer.startSpan(fullName, {
    kind: options.kind ?? SpanKind.INTERNAL,
    attributes: options.attributes,
  });
  let result: T;
  try {
    result = context.with(trace.setSpan(context.active(), span), fn, undefined, span);
  } catch (error) {
    fail(span, error);
    span.end();
    throw error;
  }
  if (isPromiseLike(result)) {
    return result.then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        fail(span, error);
        span.end();
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

/** Sets attributes on the current span, made safe as in {@link withSpan}. */
export function setSpanAttributes(attributes: LooseAttributes): void {
  trace.getActiveSpan()?.setAttributes(toAttributes(attributes));
}

/** The current trace id (32 hex digits), for log lines and error reports; undefined outside a trace. */
export function currentTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

function spanName(name: string): string {
  if (name.includes('.')) return name;
  const service = spanServiceName();
  return service ? `${service}.${name}` : name;
}

function asOptions(
  value: LooseAttributes | SpanHelperOptions,
): { attributes: Attributes } & SpanHelperOptions {
  // Options only when every key is an option of the right type; otherwise these are attributes
  // (so an attribute named `kind` or `tracer` stays an attribute).
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const looksLikeOptions =
    keys.length > 0 &&
    keys.every(
      (key) =>
        (key === 'attributes' && typeof record[key] === 'object' && record[key] !== null) ||
        (key === 'kind' && typeof record[key] === 'number') ||
        (key === 'tracer' && typeof record[key] === 'string'),
    );
  if (looksLikeOptions) {
    const options = value as SpanHelperOptions;
    return { ...options, attributes: toAttributes(options.attributes) };
  }
  return { attributes: toAttributes(value as LooseAttributes) };
}

function fail(span: Span, error: unknown): void {
  try {
    const exception = toException(error);
    span.recordException(exception);
    const message = typeof exception === 'string' ? exception : exception.message;
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: typeof message === 'string' ? message : undefined,
    });
  } catch {
    // Recording must never replace the app's own error.
  }
}
