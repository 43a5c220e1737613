// Builds the tracer provider, the sampler and the propagators from a Config and makes them global.
// Loaded by boot/sdk.ts and by the test kit when no agent is running.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type TracerProvider as ApiTracerProvider,
  type Context,
  context,
  propagation,
  type TextMapPropagator,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { Config, PropagatorName } from '../config/config.js';
import { loadModule } from '../lazy-module.js';
import { LeanTracerProvider } from './lean-tracer/provider.js';
import { SafeExceptionsProcessor } from './safe-exceptions.js';

type Extra = typeof import('./extra-propagators.js');

/** The sampler OTEL_TRACES_SAMPLER asks for. */
export function buildSampler(config: Pick<Config, 'sampler' | 'samplerRatio'>): Sampler {
  const ratio = new TraceIdRatioBasedSampler(config.samplerRatio);
  switch (config.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/** One propagator per name; B3 and X-Ray are loaded only when asked for. */
function buildPropagator(name: PropagatorName): TextMapPropagator | undefined {
  switch (name) {
    case 'tracecontext':
      return new W3CTraceContextPropagator();
    case 'baggage':
      return new W3CBaggagePropagator();
    case 'b3': {
      const b3 = loadModule<Extra>('traces/extra-propagators');
      return new b3.B3Propagator({ injectEncoding: b3.B3InjectEncoding.SINGLE_HEADER });
    }
    case 'b3multi': {
      const b3 = loadModule<Extra>('traces/extra-propagators');
      return new b3.B3Propagator({ injectEncoding: b3.B3InjectEncoding.MULTI_HEADER });
    }
    case 'xray': {
      const xray = loadModule<Extra>('traces/extra-propagators');
      return new xray.AWSXRayPropagator();
    }
    default:
      return undefined;
  }
}

let installed: AsyncLocalStorageContextManager | undefined;

/**
 * The AsyncLocalStorage behind the global context manager, when it is the one installed here (or
 * another AsyncLocalStorageContextManager), so that instrumentations can bind it to diagnostics
 * channels (`channel.bindStore`) instead of patching.
 */
export function contextStorage(): AsyncLocalStorage<Context> | undefined {
  // A second instance of this module (tsx's CLI compiles the lazily required instrumentation modules
  // on its own, with their own copy of the shared chunk) has no `installed`: the global one is the
  // same manager, reached through the API's global.
  const manager =
    installed ?? (context as unknown as { _getContextManager?: () => unknown })._getContextManager?.();
  // The manager keeps its storage in a field TypeScript calls private; it is the documented way the
  // manager works (one AsyncLocalStorage holding the active Context), pinned by our dependency.
  const storage = (manager as { _asyncLocalStorage?: unknown } | undefined)?._asyncLocalStorage;
  return storage instanceof AsyncLocalStorage ? (storage as AsyncLocalStorage<Context>) : undefined;
}

/** What the agent needs of its tracer provider, whichever records the spans. */
export interface AgentTracerProvider extends ApiTracerProvider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * The lean provider (src/lean-tracer: the same spans for a third of the SDK's CPU, see
 * docs/benchmarks.md), or the SDK's with LOGOS_OTEL_TRACER=sdk. The lean span records exceptions
 * safely itself, so it needs no SafeExceptionsProcessor.
 */
function buildProvider(
  config: Pick<Config, 'sampler' | 'samplerRatio' | 'spanLimits' | 'tracer'>,
  resource: Resource,
  processors: SpanProcessor[],
): AgentTracerProvider {
  const options = { resource, sampler: buildSampler(config), spanLimits: { ...config.spanLimits } };
  if (config.tracer === 'lean') return new LeanTracerProvider({ ...options, spanProcessors: processors });
  return new TracerProvider({ ...options, spanProcessors: [new SafeExceptionsProcessor(), ...processors] });
}

/** A tracer provider for `config` with `processors`, installed as the global one with its context manager. */
export function installTracerProvider(
  config: Pick<Config, 'sampler' | 'samplerRatio' | 'propagators' | 'spanLimits' | 'tracer'>,
  resource: Resource,
  processors: SpanProcessor[],
): AgentTracerProvider {
  const provider = buildProvider(config, resource, processors);
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  if (context.setGlobalContextManager(contextManager)) installed = contextManager;
  const propagators = config.propagators
    .map(buildPropagator)
    .filter((p): p is TextMapPropagator => p !== undefined);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators }));
  trace.setGlobalTracerProvider(provider);
  return provider;
}
