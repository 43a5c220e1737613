// `npm run demo`: starts a local OTLP receiver and the three example services, runs
// `apollo plan "<goal>"`, prints the trace that crossed Apollo, Sophia and Hermes as a tree, and a
// metrics summary, then stops everything it started (also on Ctrl-C). With
// OTEL_EXPORTER_OTLP_ENDPOINT set, the services send to that collector instead.
import { probeEndpoint } from '../src/doctor/probe.js';
import { type Receiver, startReceiver } from '../src/receiver/index.js';
import { summarizeMetrics } from '../src/receiver/print/metrics-summary.js';
import { renderTrace } from '../src/receiver/print/trace-tree.js';
import { type Stack, startStack } from './stack.js';

const SERVICES = ['apollo', 'sophia', 'hermes'];
const goal = process.argv.slice(2).join(' ') || 'map the lab and fetch the red block';
const external = process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || undefined;
const say = (text: string) => process.stdout.write(`${text}\n`);

let receiver: Receiver | undefined;
let stack: Stack | undefined;

async function cleanUp(): Promise<void> {
  await stack?.stop();
  await receiver?.close();
}

process.once('SIGINT', () => {
  say('\ninterrupted: stopping the services');
  cleanUp().finally(() => process.exit(130));
});

async function main(): Promise<number> {
  if (external === undefined) receiver = await startReceiver({ grpcPort: 0, httpPort: false });
  const endpoint = external ?? receiver?.grpcEndpoint;
  say(`receiver: ${external ? `the collector at ${external}` : `local OTLP/gRPC receiver on ${endpoint}`}`);
  stack = await startStack({
    endpoint,
    env: { OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_METRIC_EXPORT_INTERVAL: '1000' },
  });
  say(`services: hermes ${stack.hermes.url}, sophia ${stack.sophia.url}, apollo api ${stack.apollo.url}`);
  say(`\n$ apollo plan ${JSON.stringify(goal)}`);
  const result = await stack.runApollo(['plan', goal]);
  say(result.stdout.trimEnd());
  if (result.stderr.trim()) say(result.stderr.trimEnd());
  if (receiver === undefined) {
    // Jaeger is only worth naming when a collector really took the export.
    const probe = await probeEndpoint(external as string);
    if (probe === 'answers')
      say(
        `\nspans and metrics went to ${external}; with the observability stack running, open Jaeger (http://localhost:16686) to see the trace.`,
      );
    else
      say(
        `\nnothing was delivered: ${external} ${probe === 'refused' ? 'refused the connection' : `gave ${probe}`}. Start the collector, or unset OTEL_EXPORTER_OTLP_ENDPOINT to see the trace here.`,
      );
    return result.code ?? 1;
  }

  const local = receiver;
  const traceOfCommand = () => local.spans.find((s) => s.name === 'apollo.command')?.traceId;
  const servicesIn = (traceId: string) =>
    new Set(local.spans.filter((s) => s.traceId === traceId).map((s) => String(s.resource['service.name'])));
  await local.waitFor(() => {
    const id = traceOfCommand();
    return id !== undefined && SERVICES.every((name) => servicesIn(id).has(name));
  }, 15_000);
  // Let the last batches land, then print the whole trace.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const traceId = traceOfCommand() as string;
  say(`\n${renderTrace(local.spans.filter((s) => s.traceId === traceId)).join('\n')}`);

  // Runtime metrics arrive from the first export on: wait until each service's latest request
  // histogram counts every request it served in the trace (the apollo CLI serves none).
  const trace = local.spans.filter((s) => s.traceId === traceId);
  const served = (service: string) =>
    trace.filter((s) => s.kind === 2 && s.resource['service.name'] === service).length;
  const counted = (service: string) =>
    local.metrics
      .filter((m) => m.name === 'http.server.request.duration' && m.resource['service.name'] === service)
      .at(-1)
      ?.dataPoints.reduce((n, p) => n + Number(p.count ?? 0), 0) ?? 0;
  const settled = () =>
    SERVICES.every(
      (name) =>
        counted(name) >= served(name) &&
        local.metrics.some((m) => m.name === 'v8js.memory.heap.used' && m.resource['service.name'] === name),
    );
  await local.waitFor(settled, 10_000).catch(() => undefined);
  say(`\nmetrics\n${summarizeMetrics(local.metrics).join('\n')}`);
  return result.code ?? 1;
}

main()
  .then(async (code) => {
    await cleanUp();
    process.exitCode = code;
  })
  .catch(async (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    await cleanUp();
    process.exitCode = 1;
  });
