// The http instrumentation, built as its own module so that it is loaded only when needed.
export { HttpInstrumentation as Instrumentation } from '@opentelemetry/instrumentation-http';
