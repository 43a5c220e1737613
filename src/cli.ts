#!/usr/bin/env node
// The `logos-otel` command. `logos-otel dev` runs the local OTLP receiver (gRPC 4317, HTTP 4318 on
// loopback) and prints each finished trace as a tree, and a metrics summary, until Ctrl-C.
import { parseArgs } from 'node:util';
import { startReceiver } from './receiver/index.js';
import { summarizeMetrics } from './receiver/metrics-summary.js';
import { TracePrinter } from './receiver/trace-printer.js';

const USAGE = `usage: logos-otel dev [--host 127.0.0.1] [--grpc-port 4317] [--http-port 4318] [--json] [--quiet-ms 1000] [--metrics-every 30]

  Receives OTLP traces, metrics and logs over gRPC and HTTP (protobuf or JSON) and prints each
  finished trace as a tree. Point services at it with OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317.
  --json            one JSON object per trace on stdout instead of the tree
  --metrics-every   seconds between metrics summaries (0: none)
  --grpc-port/--http-port 0 picks a free port; 'off' disables that protocol`;

function port(value: string | undefined, fallback: number, name: string): number | false {
  if (value === undefined) return fallback;
  if (value === 'off') return false;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`--${name} must be a port number or 'off', not '${value}'`);
  return n;
}

async function dev(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      'grpc-port': { type: 'string' },
      'http-port': { type: 'string' },
      json: { type: 'boolean', default: false },
      'quiet-ms': { type: 'string', default: '1000' },
      'metrics-every': { type: 'string', default: '30' },
    },
  });
  const receiver = await startReceiver({
    host: values.host,
    grpcPort: port(values['grpc-port'], 4317, 'grpc-port'),
    httpPort: port(values['http-port'], 4318, 'http-port'),
  });
  const printer = new TracePrinter({
    write: (text) => process.stdout.write(text),
    json: values.json,
    quietMs: Number(values['quiet-ms']) || 1000,
  });
  receiver.onBatch(printer.onBatch);
  const endpoints = [
    values['grpc-port'] !== 'off' ? `gRPC ${receiver.grpcEndpoint}` : '',
    values['http-port'] !== 'off' ? `HTTP ${receiver.httpEndpoint}` : '',
  ].filter(Boolean);
  process.stderr.write(`logos-otel dev: receiving OTLP on ${endpoints.join(' and ')}; Ctrl-C stops\n`);

  const every = Number(values['metrics-every']) * 1000;
  let seenMetrics = 0;
  const summary = setInterval(
    () => {
      if (receiver.metrics.length === seenMetrics) return;
      seenMetrics = receiver.metrics.length;
      if (!values.json) process.stdout.write(`metrics\n${summarizeMetrics(receiver.metrics).join('\n')}\n\n`);
    },
    every > 0 ? every : 2 ** 31 - 1,
  );
  summary.unref();

  const stop = async (): Promise<void> => {
    clearInterval(summary);
    printer.close();
    await receiver.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'dev') return dev(rest);
  process.stderr.write(`${USAGE}\n`);
  process.exitCode = command === undefined || command === '--help' || command === '-h' ? 0 : 2;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`logos-otel: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
