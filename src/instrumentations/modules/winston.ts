// The winston instrumentation, built as its own module so that it is loaded only when needed.
export { WinstonInstrumentation as Instrumentation } from '@opentelemetry/instrumentation-winston';
