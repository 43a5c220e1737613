// The redis instrumentation, built as its own module so that it is loaded only when needed.
export { RedisInstrumentation as Instrumentation } from '@opentelemetry/instrumentation-redis';
