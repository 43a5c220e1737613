// Export-capacity benchmark app: makes RATE spans a second for DURATION_MS through the OpenTelemetry
// API (whichever agent is loaded records them), each shaped like an HTTP server span, then prints
// {"made","elapsedMs"} and ends, leaving the agent to flush at exit.
import { trace } from '@opentelemetry/api';

const rate = Number(process.env.RATE ?? 1000);
const durationMs = Number(process.env.DURATION_MS ?? 3000);
const tracer = trace.getTracer('bench-span-load');
const start = performance.now();
let made = 0;

function makeSpans() {
  const elapsed = performance.now() - start;
  const due = Math.min(Math.floor((Math.min(elapsed, durationMs) * rate) / 1000), made + rate);
  for (; made < due; made++) {
    const span = tracer.startSpan('GET /items/:id', {
      kind: 1,
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/items/:id',
        'url.path': `/items/${made}`,
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
  if (elapsed < durationMs) setTimeout(makeSpans, 5);
  else console.log(JSON.stringify({ made, elapsedMs: Math.round(performance.now() - start) }));
}
makeSpans();
