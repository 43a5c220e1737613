// The pg instrumentation, built as its own module so that it is loaded only when needed.
export { PgInstrumentation as Instrumentation } from '@opentelemetry/instrumentation-pg';
