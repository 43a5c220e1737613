// The dns instrumentation, built as its own module so that it is loaded only when needed.
export { DnsInstrumentation as Instrumentation } from '@opentelemetry/instrumentation-dns';
