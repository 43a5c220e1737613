// Export-capacity and span-cost benchmark app: makes RATE spans a second for DURATION_MS through the
// OpenTelemetry API (whichever agent is loaded records them), each shaped like an HTTP server span,
// then prints {"made","elapsedMs","windowSpans","windowCpuUs"} and ends, leaving the agent to flush
// at exit. The window is the steady state, from 1 s after the first span to the last: the spans made
// in it and the process's CPU time (all threads) meanwhile, one-time costs such as loading an
// exporter left out.
import { trace } from '@opentelemetry/api';

const rate = Number(process.env.RATE ?? 1000);
const durationMs = Number(process.env.DURATION_MS ?? 3000);
const tracer = trace.getTracer('bench-span-load');
const start = performance.now();
const WINDOW_FROM_MS = 1000;
let made = 0;
let window;

function makeSpans() {
  const elapsed = performance.now() - start;
  if (window === undefined && elapsed >= WINDOW_FROM_MS) window = { made, cpu: process.cpuUsage() };
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
  if (elapsed < durationMs) {
    setTimeout(makeSpans, 5);
    return;
  }
  const cpu = window && process.cpuUsage(window.cpu);
  console.log(
    JSON.stringify({
      made,
      elapsedMs: Math.round(performance.now() - start),
      windowSpans: window && made - window.made,
      windowCpuUs: cpu && cpu.user + cpu.system,
    }),
  );
}
makeSpans();
