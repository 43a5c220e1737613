// The undici instrumentation, built as its own module so that it is loaded only when needed.
export { UndiciInstrumentation as Instrumentation } from '@opentelemetry/instrumentation-undici';
