// The public manual API of @logos/otel. Importing it starts nothing: telemetry starts with the
// register entry (`node --import @logos/otel/register`) or with setupTelemetry().
export type { Meter, Span, Tracer } from '@opentelemetry/api';
export { SpanKind, SpanStatusCode } from '@opentelemetry/api';
export type { LooseAttributes } from './api/attributes.js';
export {
  currentTraceId,
  getMeter,
  getTracer,
  type SpanHelperOptions,
  setSpanAttributes,
  withSpan,
} from './api/manual.js';
export { getLogger, type ServiceLogger, type ServiceLoggerOptions } from './api/service-logger.js';
export { type SetupOptions, setupTelemetry, type Telemetry } from './boot/setup.js';
