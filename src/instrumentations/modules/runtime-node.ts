// The runtime-node instrumentation, built as its own module so that it is loaded only when needed.
export { RuntimeNodeInstrumentation as Instrumentation } from '@opentelemetry/instrumentation-runtime-node';
