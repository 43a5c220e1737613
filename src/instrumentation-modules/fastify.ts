// The fastify instrumentation, built as its own module so that it is loaded only when needed.
export { FastifyOtelInstrumentation as Instrumentation } from '@fastify/otel';
