// The fs instrumentation, built as its own module so that it is loaded only when needed.
export { FsInstrumentation as Instrumentation } from '@opentelemetry/instrumentation-fs';
