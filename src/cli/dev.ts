// `logos-otel dev`: runs the local OTLP receiver (gRPC 4317, HTTP 4318 on loopback) and prints each
// finished trace as a tree, and a metrics summary, until a signal or until its parent dies. Loaded by cli.ts.

import { currentAgent } from '../boot/state.js';
import { type Receiver, startReceiver } from '../receiver/index.js';
import { summarizeMetrics } from '../receiver/print/metrics-summary.js';
import { TracePrinter } from '../receiver/print/trace-printer.js';
import { hostPort } from '../receiver/server/address.js';
import { parseFlags, readCount, readPort, UsageError } from './args.js';
import { watchParent } from './parent-watch.js';
import { bindProblem } from './port-check.js';

export const DEV_USAGE = `usage: logos-otel dev [--host 127.0.0.1] [--grpc-port 4317] [--http-port 4318] [--json]
                     [--quiet-ms 1000] [--metrics-every 30] [--outlive-parent]

  Receives OTLP traces, metrics and logs over gRPC and HTTP (protobuf or JSON) and prints each
  finished trace as a tree. Point services at it with OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317.
  --grpc-port/--http-port  0 picks a free port; 'off' disables that protocol (not both)
  --json                   one JSON object per trace on stdout instead of the tree
  --quiet-ms               a trace is printed once no span came for this long (ms, 1 to 3600000)
  --metrics-every          seconds between metrics summaries (0: none; at most 86400)
  --outlive-parent         keep running when the process that started it dies (by default it
                           stops, so a killed npx never leaves the ports taken)
  SIGINT (Ctrl-C), SIGTERM and SIGHUP stop it.`;

const FLAGS = {
  host: { type: 'string', default: '127.0.0.1' },
  'grpc-port': { type: 'string' },
  'http-port': { type: 'string' },
  json: { type: 'boolean', default: false },
  'quiet-ms': { type: 'string', default: '1000' },
  'metrics-every': { type: 'string', default: '30' },
  'outlive-parent': { type: 'boolean', default: false },
} as const;

/** Runs until stopped; a UsageError for bad flags, an Error (one line) when a port cannot be had. */
export async function dev(args: string[]): Promise<void> {
  const values = parseFlags('dev', args, FLAGS);
  if (values.help) {
    process.stdout.write(`${DEV_USAGE}\n`);
    return;
  }
  const host = String(values.host);
  const grpcPort = readPort('grpc-port', values['grpc-port'] as string | undefined, 4317);
  const httpPort = readPort('http-port', values['http-port'] as string | undefined, 4318);
  if (grpcPort === false && httpPort === false)
    throw new UsageError('--grpc-port and --http-port are both off: there would be nothing to receive on');
  const quietMs = readCount(
    'quiet-ms',
    String(values['quiet-ms']),
    1,
    3_600_000,
    'a whole number of milliseconds from 1 to 3600000',
  );
  const every = readCount(
    'metrics-every',
    String(values['metrics-every']),
    0,
    86_400,
    'a whole number of seconds from 0 (none) to 86400',
  );

  // An agent loaded into this process from the shell's NODE_OPTIONS would trace the receiver and
  // send it a span for each Export it takes, which it would trace again: an endless loop. The
  // receiver is a tool, not the service, so that agent is stopped before anything is received.
  await currentAgent()
    ?.shutdown(200)
    .catch(() => undefined);

  // Checked before grpc-js tries, which would print its own raw error line first.
  for (const [flag, port] of [
    ['grpc-port', grpcPort],
    ['http-port', httpPort],
  ] as const) {
    if (port === false || port === 0) continue;
    const problem = await bindProblem(host, port);
    if (problem !== undefined) throw new Error(portAdvice(problem, host, port, flag));
  }
  const receiver = await startReceiver({ host, grpcPort, httpPort }).catch((error: Error) => {
    const flag = /gRPC/.test(error.message) ? 'grpc-port' : 'http-port';
    const port = flag === 'grpc-port' ? grpcPort : httpPort;
    throw /EADDRINUSE/.test(error.message) && typeof port === 'number'
      ? new Error(portAdvice('EADDRINUSE', host, port, flag))
      : error;
  });
  const printer = new TracePrinter({
    write: (text) => process.stdout.write(text),
    json: Boolean(values.json),
    quietMs,
  });
  receiver.onBatch(printer.onBatch);
  const endpoints = [
    grpcPort !== false ? `gRPC ${receiver.grpcEndpoint}` : '',
    httpPort !== false ? `HTTP ${receiver.httpEndpoint}` : '',
  ].filter(Boolean);
  let seenMetrics = 0;
  const summary =
    every > 0
      ? setInterval(() => {
          if (receiver.metrics.length === seenMetrics) return;
          seenMetrics = receiver.metrics.length;
          if (!values.json)
            process.stdout.write(`metrics\n${summarizeMetrics(receiver.metrics).join('\n')}\n\n`);
        }, every * 1000)
      : undefined;
  summary?.unref();
  // Signals are handled before the line that says the receiver is up: a launcher may stop it as
  // soon as it reads that line.
  stopOn(receiver, printer, summary, !values['outlive-parent']);
  process.stderr.write(`logos-otel dev: receiving OTLP on ${endpoints.join(' and ')}; Ctrl-C stops\n`);
}

function portAdvice(problem: string, host: string, port: number, flag: string): string {
  const where = hostPort(host, port);
  if (problem === 'EADDRINUSE')
    return `port ${port} is in use (${where}): stop what holds it or pass --${flag} 0 for a free port`;
  if (problem === 'EACCES')
    return `port ${port} needs privileges (${where}): pick one above 1023 or pass --${flag} 0`;
  if (problem === 'EADDRNOTAVAIL')
    return `cannot listen on ${where}: --host is not an address of this machine`;
  return `cannot listen on ${where}: ${problem}`;
}

/** Signals and the parent's death close the receiver (ports freed) and exit, within a bound. */
function stopOn(
  receiver: Receiver,
  printer: TracePrinter,
  summary: NodeJS.Timeout | undefined,
  watch: boolean,
): void {
  let stopping = false;
  const stop = (why: string): void => {
    if (stopping) return;
    stopping = true;
    if (why !== 'SIGINT') process.stderr.write(`logos-otel dev: ${why}, stopping\n`);
    clearInterval(summary);
    // A stuck close must not keep the process (and the ports) past a second.
    setTimeout(() => process.exit(0), 1000).unref();
    try {
      printer.close();
    } catch {
      // Printing the last traces is a courtesy; freeing the ports is what matters.
    }
    receiver.close().finally(() => process.exit(0));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
  if (watch) watchParent(() => stop('the process that started it is gone'));
}
