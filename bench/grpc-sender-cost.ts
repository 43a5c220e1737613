// The export worker's gRPC transport, old (grpc-js, bench/lib/grpc-js-sender.ts) against new
// (node:http2, src/export/worker/grpc-sender.ts), side by side in one run: (1) the worker thread's
// CPU per 512-span export request to a grpc-js server, identity and gzip, back to back and at 8
// requests/s, with the OTLP/HTTP sender (node:http) as a reference, and (2) the time from `new
// Worker` (ExportWorker.start()) to the worker's ready message. Both workers are bundled by esbuild
// as scripts/build.mjs bundles dist/ (grpc-js external), differing only in the transport.
// Run: npx tsx bench/grpc-sender-cost.ts [--quick] [--rounds N]
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { Server, ServerCredentials, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { build, type Plugin } from 'esbuild';
import { parseConfig } from '../src/config/config.js';
import type { SignalExport } from '../src/config/export.js';
import { ExportWorker } from '../src/export/worker-host.js';
import { exportService } from '../src/receiver/server/grpc-server.js';
import { benchOptions } from './lib/cli.js';
import { fmt, printTable, RESULTS } from './lib/report.js';
import { BATCH, serverSpans } from './lib/server-spans.js';
import { summarize } from './lib/stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(RESULTS, 'grpc-sender-cost');
const VARIANTS = ['grpc-js', 'node:http2'] as const;
type Variant = (typeof VARIANTS)[number];

/** Builds the bench worker of `variant` into OUT/<variant>/; its entry's URL. */
async function bundle(variant: Variant): Promise<URL> {
  const outdir = join(OUT, variant.replace(':', '-'));
  const oldSender: Plugin = {
    name: 'grpc-js-sender',
    setup(b) {
      b.onResolve({ filter: /^\.\/grpc-sender\.js$/ }, (args) =>
        args.importer.endsWith(join('export-worker', 'worker.ts'))
          ? { path: join(ROOT, 'bench/lib/grpc-js-sender.ts') }
          : undefined,
      );
    },
  };
  await build({
    entryPoints: { worker: join(ROOT, 'bench/lib/sender-bench-worker.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22.15',
    external: ['@grpc/grpc-js'],
    plugins: variant === 'grpc-js' ? [oldSender] : [],
    banner: {
      js: "import { createRequire as __logosOtelCreateRequire } from 'node:module'; const require = __logosOtelCreateRequire(import.meta.url);",
    },
    minifyWhitespace: true,
    logLevel: 'warning',
  });
  return new URL(`file://${join(outdir, 'worker.js')}`);
}

/** A grpc-js server whose trace Export answers OK at once, without decoding. */
async function collector(): Promise<{ endpoint: string; close: () => void }> {
  const server = new Server();
  server.addService(exportService('traces'), {
    Export: (_call: ServerUnaryCall<Buffer, Buffer>, done: sendUnaryData<Buffer>) =>
      done(null, Buffer.alloc(0)),
  });
  const port = await new Promise<number>((ok, fail) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? fail(error) : ok(bound),
    ),
  );
  return { endpoint: `http://127.0.0.1:${port}`, close: () => server.forceShutdown() };
}

/** A node:http server that reads each request and answers 200 at once. */
async function httpCollector(): Promise<{ endpoint: string; close: () => void }> {
  const server = createServer((req, res) => {
    req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

function tracesExport(endpoint: string, compression: 'none' | 'gzip'): SignalExport {
  const traces = parseConfig({
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_COMPRESSION: compression,
  }).config.traces;
  if (traces === undefined) throw new Error('no traces export');
  return traces;
}

/** The private worker thread of an ExportWorker (a bench may look inside). */
function threadOf(worker: ExportWorker): Worker {
  return (worker as unknown as { worker: Worker }).worker;
}

/** The worker thread's CPU time so far, in microseconds. */
function workerCpuUs(thread: Worker): Promise<number> {
  return new Promise((done) => {
    const listen = (message: { type: string; cpu?: NodeJS.CpuUsage }): void => {
      if (message.type !== 'bench-cpu' || message.cpu === undefined) return;
      thread.off('message', listen);
      done(message.cpu.user + message.cpu.system);
    };
    thread.on('message', listen);
    thread.postMessage({ type: 'bench-cpu' });
  });
}

/** Milliseconds from ExportWorker.start() (it calls `new Worker`) to the worker's ready. */
async function startMs(url: URL, config: SignalExport): Promise<number> {
  const worker = new ExportWorker({ signals: { traces: config }, workerUrl: url });
  const started = performance.now();
  await worker.start();
  const ms = performance.now() - started;
  await worker.terminate();
  return ms;
}

/**
 * Worker CPU microseconds per request over `count` sequential exports of `request`, `gapMs` apart
 * (0: back to back, every cache hot; 125: 8 requests/s, the 4000 spans/s of bench/span-cost.ts,
 * where each request finds the worker asleep and its caches cold).
 */
async function cpuPerRequest(
  worker: ExportWorker,
  request: Uint8Array,
  count: number,
  gapMs: number,
): Promise<number> {
  const thread = threadOf(worker);
  const before = await workerCpuUs(thread);
  for (let i = 0; i < count; i++) {
    // A copy each time: the host transfers (detaches) a buffer it is handed whole.
    await worker.send('traces', request.slice());
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  return ((await workerCpuUs(thread)) - before) / count;
}

async function main(): Promise<void> {
  const options = benchOptions();
  const rounds = options.rounds ?? (options.quick ? 3 : 9);
  const perRound = options.quick ? 50 : 200;
  const request = ProtobufTraceSerializer.serializeRequest(serverSpans());
  if (request === undefined) throw new Error('the serializer returned nothing');
  rmSync(OUT, { recursive: true, force: true });
  const urls = { 'grpc-js': await bundle('grpc-js'), 'node:http2': await bundle('node:http2') };
  const server = await collector();
  const plain = await httpCollector();
  try {
    const startup: Record<Variant, number[]> = { 'grpc-js': [], 'node:http2': [] };
    // The floor: the same worker with an OTLP/HTTP signal, which loads no gRPC transport at all.
    const floor: number[] = [];
    const httpExport = { ...tracesExport(server.endpoint, 'none'), protocol: 'http/protobuf' as const };
    for (let round = 0; round < rounds + 1; round++) {
      for (const variant of round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
        const ms = await startMs(urls[variant], tracesExport(server.endpoint, 'none'));
        // The first round warms the file cache for both.
        if (round > 0) startup[variant].push(ms);
      }
      const ms = await startMs(urls['node:http2'], httpExport);
      if (round > 0) floor.push(ms);
    }
    const rows: string[][] = [];
    const paces = [
      { label: 'back to back', gapMs: 0, count: perRound },
      { label: '8 requests/s', gapMs: 125, count: options.quick ? 8 : 16 },
    ];
    for (const compression of ['none', 'gzip'] as const) {
      // The reference: the same worker sending OTLP/HTTP protobuf (node:http) to a plain server.
      const labels = [...VARIANTS, 'reference: http/protobuf'];
      const configs = [
        ...VARIANTS.map(() => tracesExport(server.endpoint, compression)),
        { ...tracesExport(plain.endpoint, compression), protocol: 'http/protobuf' as const },
      ];
      const bundles = [...VARIANTS.map((variant) => urls[variant]), urls['node:http2']];
      const workers = configs.map(
        (config, i) => new ExportWorker({ signals: { traces: config }, workerUrl: bundles[i] }),
      );
      await Promise.all(workers.map((worker) => worker.start()));
      for (const worker of workers) await cpuPerRequest(worker, request, perRound, 0); // warm-up: JIT
      for (const pace of paces) {
        const cpu = workers.map((): number[] => []);
        for (let round = 0; round < rounds; round++)
          for (const [i, worker] of workers.entries())
            cpu[i]?.push(await cpuPerRequest(worker, request, pace.count, pace.gapMs));
        for (const [i, label] of labels.entries())
          rows.push([`${label}, ${compression}, ${pace.label}`, fmt(summarize(cpu[i] as number[]))]);
      }
      await Promise.all(workers.map((worker) => worker.terminate()));
    }
    printTable(
      `Export worker CPU per ${BATCH}-span export request (${request.byteLength} bytes), us`,
      ['transport', 'worker CPU us/request median (min-max)'],
      rows,
    );
    printTable(
      'Time from new Worker to the export worker ready (one gRPC signal), ms',
      ['transport', 'ms median (min-max)'],
      [
        ...VARIANTS.map((variant) => [variant, fmt(summarize(startup[variant]), 1)]),
        ['(floor: an http/protobuf signal, no gRPC)', fmt(summarize(floor), 1)],
      ],
    );
    console.log(
      `${rounds} rounds (${perRound} requests back to back, ${paces[1]?.count} at 8/s), ${process.version}`,
    );
  } finally {
    server.close();
    plain.close();
    rmSync(OUT, { recursive: true, force: true });
  }
}

await main();
