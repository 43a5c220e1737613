// Stands in for @opentelemetry/winston-transport in the bundle (scripts/build.mjs): the winston
// instrumentation loads it only to send logs, and the agent runs it with disableLogSending (log
// correlation only, src/instrumentations/build.ts), so the transport and the logs SDK it needs stay out.
throw new Error('@logos/otel does not send winston logs (log correlation only)');
