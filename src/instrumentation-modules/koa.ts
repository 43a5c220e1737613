// The koa instrumentation, built as its own module so that it is loaded only when needed.
export { KoaInstrumentation as Instrumentation } from '@opentelemetry/instrumentation-koa';
