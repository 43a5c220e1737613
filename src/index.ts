// The public manual API of @logos/otel. Importing it starts nothing: telemetry starts with the
// register entry (`node --import @logos/otel/register`) or with setupTelemetry().
export type { Meter, Span, Tracer } from '@opentelemetry/api';
export { SpanKind, SpanStatusCode } from '@opentelemetry/api';
export type { LooseAttributes } from './attributes.js';
export {
  currentTraceId,
  getMeter,
  getTracer,
  type SpanHelperOptions,
  setSpanAttributes,
  withSpan,
} from './manual.js';
export { getLogger, type ServiceLogger, type ServiceLoggerOptions } from './service-logger.js';
export { type SetupOptions, setupTelemetry, type Telemetry } from './setup.js';
