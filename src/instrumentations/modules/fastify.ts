// The fastify instrumentation (ours, on fastify's diagnostics channels), built as its own module so
// that it is loaded only when needed.
export { FastifyInstrumentation as Instrumentation } from '../fastify/fastify.js';
