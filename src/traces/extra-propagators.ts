// Propagators beyond W3C, loaded only when OTEL_PROPAGATORS names them (by traces/tracing.ts).

export { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
export { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
