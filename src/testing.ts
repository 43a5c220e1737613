// The test kit (`@logos/otel/testing`): lets a service's own tests capture the spans it makes,
// in-process, whether or not the register entry is loaded.
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { buildResource } from './boot/resource.js';
import { claimStart, currentAgent, pushSpanServiceName, setAgent } from './boot/state.js';
import { parseConfig } from './config/config.js';
import { RedactionProcessor } from './traces/redaction-processor.js';
import { SpanFanOut } from './traces/span-fan-out.js';
import { installTracerProvider } from './traces/tracing.js';

export type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** Spans captured since {@link captureSpans} (or the last clear()). */
export interface SpanCapture {
  /** Every captured span, oldest first. */
  readonly spans: readonly ReadableSpan[];
  /** The first span named `name`, or undefined. */
  find(name: string): ReadableSpan | undefined;
  /** Every span named `name`. */
  filter(name: string): ReadableSpan[];
  /** The names of all captured spans, in order. */
  names(): string[];
  clear(): void;
  /** Stops capturing. */
  stop(): void;
}

/**
 * Starts capturing finished spans. With the agent running, spans are captured beside its normal
 * export; without it, a minimal in-process tracer provider (no export) is installed first.
 * `serviceName` is the name withSpan gives dot-less operations until stop() (`plan` ->
 * `sophia.plan`), even when the register already named the agent after package.json; the
 * resource's `service.name` stays the running agent's.
 */
export function captureSpans(options: { serviceName?: string } = {}): SpanCapture {
  const fanOut = currentAgent()?.fanOut ?? installTestProvider(options.serviceName);
  const serviceName = options.serviceName;
  const restoreName = serviceName ? pushSpanServiceName(serviceName) : () => undefined;
  // Spans are kept as they end, synchronously, so a test can assert right after the call.
  let captured: ReadableSpan[] = [];
  const processor: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (span) => {
      captured.push(span);
    },
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  fanOut.add(processor);
  const spans = (): ReadableSpan[] => [...captured];
  return {
    get spans() {
      return spans();
    },
    find: (name) => spans().find((span) => span.name === name),
    filter: (name) => spans().filter((span) => span.name === name),
    names: () => spans().map((span) => span.name),
    clear: () => {
      captured = [];
    },
    stop: () => {
      fanOut.remove(processor);
      restoreName();
    },
  };
}

function installTestProvider(serviceName: string | undefined): SpanFanOut {
  const env = serviceName === undefined ? process.env : { ...process.env, OTEL_SERVICE_NAME: serviceName };
  const { config } = parseConfig(env);
  const fanOut = new SpanFanOut([new RedactionProcessor()]);
  if (claimStart()) {
    installTracerProvider(config, buildResource(config, false), [fanOut]);
    setAgent({
      config,
      fanOut,
      flush: async () => undefined,
      shutdown: async () => undefined,
    });
  }
  return currentAgent()?.fanOut ?? fanOut;
}
