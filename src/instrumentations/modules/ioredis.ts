// The ioredis instrumentation, built as its own module so that it is loaded only when needed.
export { IORedisInstrumentation as Instrumentation } from '@opentelemetry/instrumentation-ioredis';
