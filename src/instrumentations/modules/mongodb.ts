// The mongodb instrumentation, built as its own module so that it is loaded only when needed.
export { MongoDBInstrumentation as Instrumentation } from '@opentelemetry/instrumentation-mongodb';
