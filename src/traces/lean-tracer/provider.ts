// The lean tracer provider: an OpenTelemetry API TracerProvider recording spans without the SDK's
// Tracer and Span (see bench/span-record.ts for why), with the SDK's samplers, span limits and span
// processors. Built by traces/tracing.ts unless LOGOS_OTEL_TRACER=sdk.
import type { Tracer, TracerOptions, TracerProvider } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { Sampler, SpanLimits, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ProcessorList } from './processors.js';
import type { Limits } from './span.js';
import { LeanTracer, type TracerShared } from './tracer.js';

export interface LeanTracerProviderOptions {
  readonly resource: Resource;
  readonly sampler: Sampler;
  readonly spanLimits?: SpanLimits;
  readonly spanProcessors: readonly SpanProcessor[];
}

/** The SDK TracerProvider's defaults for limits left unset. */
export function fillLimits(limits: SpanLimits = {}): Limits {
  const length = limits.attributeValueLengthLimit ?? Number.POSITIVE_INFINITY;
  // The SDK ignores a length limit that is not positive (with a warning).
  const valueLength = length > 0 ? length : Number.POSITIVE_INFINITY;
  return {
    attributes: { count: limits.attributeCountLimit ?? 128, length: valueLength },
    event: { count: limits.attributePerEventCountLimit ?? 128, length: valueLength },
    link: { count: limits.attributePerLinkCountLimit ?? 128, length: valueLength },
    eventCount: limits.eventCountLimit ?? 128,
    linkCount: limits.linkCountLimit ?? 128,
  };
}

/**
 * Where it knowingly differs from the SDK's TracerProvider: it never writes to diag (invalid
 * attributes, calls on ended spans, a second end() are silently ignored, as the SDK ignores them
 * after its warning); the sampler sees the start attributes already under the span limits; span
 * start times come from a wall-clock reading at most a second old carried on the monotonic clock;
 * there is no idGenerator, meterProvider (otel.sdk.span.* metrics) or forceFlush timeout option.
 */
export class LeanTracerProvider implements TracerProvider {
  private readonly shared: TracerShared;
  private readonly processors: ProcessorList;
  private readonly tracers = new Map<string, LeanTracer>();

  constructor(options: LeanTracerProviderOptions) {
    this.processors = new ProcessorList(options.spanProcessors);
    this.shared = {
      resource: options.resource,
      sampler: options.sampler,
      limits: fillLimits(options.spanLimits),
      processor: this.processors,
    };
  }

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    const key = `${name}@${version ?? ''}:${options?.schemaUrl ?? ''}`;
    let tracer = this.tracers.get(key);
    if (tracer === undefined) {
      tracer = new LeanTracer({ name, version, schemaUrl: options?.schemaUrl }, this.shared);
      this.tracers.set(key, tracer);
    }
    return tracer;
  }

  forceFlush(): Promise<void> {
    return this.processors.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.processors.shutdown();
  }
}
