// The grpc instrumentation, built as its own module so that it is loaded only when needed.
export { GrpcInstrumentation as Instrumentation } from '@opentelemetry/instrumentation-grpc';
