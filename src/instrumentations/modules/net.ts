// The net instrumentation, built as its own module so that it is loaded only when needed.
export { NetInstrumentation as Instrumentation } from '@opentelemetry/instrumentation-net';
