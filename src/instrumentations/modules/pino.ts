// The pino instrumentation, built as its own module so that it is loaded only when needed.
export { PinoInstrumentation as Instrumentation } from '@opentelemetry/instrumentation-pino';
