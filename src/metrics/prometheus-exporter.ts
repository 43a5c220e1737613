// The Prometheus pull exporter, loaded only with OTEL_METRICS_EXPORTER=prometheus (by metrics/meter-provider.ts).
export { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
