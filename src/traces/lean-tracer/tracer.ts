// The lean tracer: the SDK Tracer's startSpan decisions (suppression, parent from the context, ids,
// the configured Sampler, trace state, non-recording spans) in front of LeanSpan. Made by
// traces/lean-tracer/provider.ts.
import {
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  SamplingDecision,
  type Span,
  SpanKind,
  type SpanOptions,
  TraceFlags,
  type Tracer,
  type TraceState,
  trace,
} from '@opentelemetry/api';
import { type InstrumentationScope, isTracingSuppressed } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { Sampler, SpanProcessor } from '@opentelemetry/sdk-trace';
import { cleanAttributes, cleanLink, Put, putAttribute } from './attributes.js';
import { newSpanId, newTraceId } from './ids.js';
import { LeanSpan, type Limits } from './span.js';

/** The span of every call made with tracing suppressed: it records nothing and holds no state. */
const SUPPRESSED: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** What every tracer of one provider shares. */
export interface TracerShared {
  readonly resource: Resource;
  readonly sampler: Sampler;
  readonly limits: Limits;
  readonly processor: SpanProcessor;
}

export class LeanTracer implements Tracer {
  constructor(
    readonly instrumentationScope: InstrumentationScope,
    private readonly shared: TracerShared,
  ) {}

  startSpan(name: string, options: SpanOptions = {}, ctx: Context = context.active()): Span {
    if (options.root) ctx = trace.deleteSpan(ctx);
    if (isTracingSuppressed(ctx)) return SUPPRESSED;
    const { limits, sampler } = this.shared;
    const parentSpanContext = trace.getSpan(ctx)?.spanContext();
    const spanId = newSpanId();
    let traceId: string;
    let traceState: TraceState | undefined;
    let validParent: typeof parentSpanContext;
    if (parentSpanContext === undefined || !trace.isSpanContextValid(parentSpanContext))
      traceId = newTraceId();
    else {
      traceId = parentSpanContext.traceId;
      traceState = parentSpanContext.traceState;
      validParent = parentSpanContext;
    }
    const kind = options.kind ?? SpanKind.INTERNAL;
    const links = options.links ? options.links.map((link) => cleanLink(link, limits.link)) : [];
    const clean =
      options.attributes === undefined
        ? { attributes: {}, droppedAttributesCount: 0, count: 0 }
        : cleanAttributes(options.attributes, limits.attributes, false);
    const result = sampler.shouldSample(ctx, traceId, name, kind, clean.attributes, links);
    traceState = result.traceState ?? traceState;
    const traceFlags =
      result.decision === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE;
    const spanContext = { traceId, spanId, traceFlags, traceState };
    if (result.decision === SamplingDecision.NOT_RECORD) return trace.wrapSpanContext(spanContext);
    let dropped = clean.droppedAttributesCount;
    let count = clean.count;
    if (result.attributes !== undefined) {
      for (const key in result.attributes) {
        const put = putAttribute(
          clean.attributes,
          count,
          key,
          result.attributes[key],
          limits.attributes,
          false,
        );
        if (put === Put.Added) count++;
        else if (put === Put.Invalid || put === Put.OverLimit) dropped++;
      }
    }
    return new LeanSpan({
      resource: this.shared.resource,
      scope: this.instrumentationScope,
      processor: this.shared.processor,
      limits,
      context: ctx,
      spanContext,
      parentSpanContext: validParent,
      name,
      kind,
      attributes: clean.attributes,
      droppedAttributesCount: dropped,
      attributeCount: count,
      links,
      startTime: options.startTime,
    });
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    ctx: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    a?: F | SpanOptions,
    b?: F | Context,
    c?: F,
  ): ReturnType<F> | undefined {
    // The callback is the last argument, as in the SDK's arity-based reading.
    let options: SpanOptions | undefined;
    let ctx: Context | undefined;
    let fn: F;
    if (typeof c === 'function') {
      options = a as SpanOptions;
      ctx = b as Context;
      fn = c;
    } else if (typeof b === 'function') {
      options = a as SpanOptions;
      fn = b as F;
    } else if (typeof a === 'function') fn = a;
    else return undefined;
    const parent = ctx ?? context.active();
    const span = this.startSpan(name, options, parent);
    const run = fn as (span: Span) => ReturnType<F>;
    return context.with(trace.setSpan(parent, span), run, undefined, span);
  }
}
