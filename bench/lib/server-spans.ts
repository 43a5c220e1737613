// One batch of 512 ended server spans shaped like bench/apps/span-load.mjs makes them (an HTTP
// server span with nine attributes), made by the SDK. Used by bench/encode-cost.ts and
// bench/grpc-sender-cost.ts.
import { SpanKind } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

export const BATCH = 512;

/** A batch shaped like bench/apps/span-load.mjs makes: an HTTP server span with nine attributes. */
export function serverSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'bench-encode-cost',
      'service.version': '1.0.0',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.version': '3.0.0',
      'process.pid': process.pid,
      'host.name': 'bench-host',
    }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('@opentelemetry/instrumentation-http', '0.300.0');
  for (let i = 0; i < BATCH; i++) {
    const span = tracer.startSpan('GET /items/:id', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/items/:id',
        'url.path': `/items/${i}`,
        'url.scheme': 'http',
        'server.address': '127.0.0.1',
        'server.port': 8080,
        'network.protocol.version': '1.1',
        'user_agent.original': 'bench',
      },
    });
    span.setAttribute('http.response.status_code', 200);
    span.end();
  }
  return exporter.getFinishedSpans();
}
