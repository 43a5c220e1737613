// The express instrumentation, built as its own module so that it is loaded only when needed.
export { ExpressInstrumentation as Instrumentation } from '@opentelemetry/instrumentation-express';
