// `logos-otel dev` (the real dist/cli.js process) under a bounded flood of bad OTLP requests over
// HTTP and gRPC: each gets its proper error, the process stays up with bounded memory, and the next
// good requests are received and printed. Run by test/faults/run.ts.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client, credentials, type ServiceError, status } from '@grpc/grpc-js';
import { otlpSchema } from '../../src/receiver/otlp/schema.js';
import { ROOT, startFixture, supervise } from '../helpers/run-fixture.js';
import { check, describeExit, type Row, row } from './lib.js';

const CLI = join(ROOT, 'dist', 'cli.js');
const TRACE_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
/** The receiver's default request limit is 8 MiB: 9 MiB is over it. */
const OVERSIZED = 9 * 1024 * 1024;
/** Peak RSS at most this much above the idle receiver's, MiB. */
const PEAK_OVER_MIB = 160;
/**
 * Two more floods may raise the peak by at most this much in all: memory is bounded, not growing
 * (GC timing alone moves it by up to ~25 MiB; a leak of the oversized bodies would add 45 MiB a flood).
 */
const LATER_FLOODS_GROWTH_MIB = 48;
const identity = (b: Buffer): Buffer => b;

function traceRequest(name: string): Buffer {
  const { request: message } = otlpSchema().traces;
  const span = {
    traceId: Buffer.alloc(16, 7),
    spanId: Buffer.alloc(8, name.length),
    name,
    kind: 2,
    startTimeUnixNano: 1_000_000,
    endTimeUnixNano: 2_000_000,
  };
  const resourceSpans = [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'flood' } }] },
      scopeSpans: [{ spans: [span] }],
    },
  ];
  return Buffer.from(message.encode(message.fromObject({ resourceSpans })).finish());
}

/** One POST; resolves with the status (0 for a connection error), never rejects. */
function post(port: number, headers: Record<string, string>, body: Buffer, chunked = false): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', headers, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(res.statusCode ?? 0));
      },
    );
    req.setTimeout(10_000, () => req.destroy());
    // The receiver may answer 413 and close before the whole body is sent: the answer is what counts.
    req.on('error', () => resolve(0));
    if (chunked) {
      for (let sent = 0; sent < body.length; sent += 64 * 1024)
        req.write(body.subarray(sent, sent + 64 * 1024));
      req.end();
    } else req.end(body);
  });
}

function grpcCall(client: Client, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      TRACE_PATH,
      identity,
      identity,
      body,
      { deadline: Date.now() + 10_000 },
      (error) => resolve((error as ServiceError | null)?.code ?? status.OK),
    );
  });
}

function rssMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const kb = Number(
    new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1],
  );
  return Math.round((kb / 1024) * 10) / 10;
}

export async function receiverFlood(only?: (name: string) => boolean): Promise<Row[]> {
  const r = row('logos-otel dev: 3 floods of 260 bad requests (HTTP and gRPC)');
  if (only && !only(r.fault)) return [];
  const dev = startFixture({
    script: CLI,
    register: false,
    args: ['dev', '--grpc-port', '0', '--http-port', '0', '--quiet-ms', '200'],
    timeoutMs: 60_000,
  });
  let client: Client | undefined;
  try {
    return await supervise(
      dev,
      async () => {
        const ready = /gRPC http:\/\/(127\.0\.0\.1:\d+) and HTTP http:\/\/127\.0\.0\.1:(\d+)/;
        const match = ready.exec(
          await dev.line(ready, { stream: 'stderr', timeoutMs: 10_000 }),
        ) as RegExpExecArray;
        const [, grpcAddress = '', httpPortText = ''] = match;
        const httpPort = Number(httpPortText);
        const pid = dev.child.pid as number;
        client = new Client(grpcAddress, credentials.createInsecure());
        const idleRss = rssMiB(pid, 'VmRSS');

        const good = traceRequest('flood.good');
        const truncated = good.subarray(0, good.length - 7);
        const garbage = Buffer.from(Array.from({ length: 1024 }, (_, i) => (i * 7919) % 251));
        const big = Buffer.alloc(OVERSIZED, 1);
        const bomb = gzipSync(Buffer.alloc(100 * 1024 * 1024));
        const protobuf = { 'content-type': 'application/x-protobuf' };
        // [what, how many, send one, the answer it must get]
        const kinds: [string, number, () => Promise<number>, number][] = [
          ['HTTP garbage protobuf', 50, () => post(httpPort, protobuf, garbage), 400],
          ['HTTP truncated protobuf', 50, () => post(httpPort, protobuf, truncated), 400],
          [
            'HTTP broken JSON',
            25,
            () => post(httpPort, { 'content-type': 'application/json' }, Buffer.from('{"resourceSpans":[')),
            400,
          ],
          ['HTTP wrong content type', 25, () => post(httpPort, { 'content-type': 'text/plain' }, good), 415],
          ['HTTP oversized (Content-Length)', 5, () => post(httpPort, protobuf, big), 413],
          ['HTTP oversized (chunked)', 5, () => post(httpPort, protobuf, big, true), 413],
          [
            'HTTP gzip bomb (100 MiB of zeros)',
            5,
            () => post(httpPort, { ...protobuf, 'content-encoding': 'gzip' }, bomb),
            413,
          ],
          ['gRPC garbage', 50, () => grpcCall(client as Client, garbage), status.INVALID_ARGUMENT],
          ['gRPC truncated', 40, () => grpcCall(client as Client, truncated), status.INVALID_ARGUMENT],
          ['gRPC oversized', 5, () => grpcCall(client as Client, big), status.RESOURCE_EXHAUSTED],
        ];
        let sent = 0;
        const wrong: string[] = [];
        const flood = async (): Promise<void> => {
          for (const [what, count, send, want] of kinds) {
            // Eight at a time: a flood, but a bounded one.
            for (let i = 0; i < count; i += 8) {
              const answers = await Promise.all(Array.from({ length: Math.min(8, count - i) }, send));
              sent += answers.length;
              for (const got of answers) if (got !== want) wrong.push(`${what}: got ${got}, want ${want}`);
            }
          }
        };
        const started = Date.now();
        await flood();
        const firstPeak = rssMiB(pid, 'VmHWM');
        await flood();
        await flood();
        const floodMs = Date.now() - started;
        const peak = rssMiB(pid, 'VmHWM');
        const okHttp = await post(httpPort, protobuf, traceRequest('flood.after.http'));
        const okGrpc = await grpcCall(client, traceRequest('flood.after.grpc'));
        const printed = (name: string): Promise<boolean> =>
          dev
            .line((line) => line.includes(name), { timeoutMs: 2000 })
            .then(
              () => true,
              () => false,
            );
        const seen = [await printed('flood.after.http'), await printed('flood.after.grpc')];
        const after = rssMiB(pid, 'VmRSS');
        r.requests = sent;
        r.errors = wrong.length;
        r.peakRssMiB = peak;
        r.made = 2;
        r.delivered = seen.filter(Boolean).length;
        r.note = `floods took ${floodMs} ms; RSS idle ${idleRss} MiB, peak ${firstPeak} MiB after one flood, ${peak} MiB after three, ${after} MiB at the end`;
        check(r, wrong.length === 0, `improper answers: ${[...new Set(wrong)].slice(0, 4).join('; ')}`);
        check(
          r,
          dev.child.exitCode === null && dev.child.signalCode === null,
          `the receiver died\n${dev.output()}`,
        );
        check(
          r,
          okHttp === 200 && okGrpc === status.OK,
          `good requests after the flood: HTTP ${okHttp}, gRPC ${okGrpc}`,
        );
        check(r, seen.every(Boolean), `the good spans were not printed\n${dev.output().slice(-1500)}`);
        check(r, peak <= idleRss + PEAK_OVER_MIB, `peak RSS ${peak} MiB, idle ${idleRss} MiB`);
        check(
          r,
          peak <= firstPeak + LATER_FLOODS_GROWTH_MIB,
          `peak RSS grew from ${firstPeak} to ${peak} MiB in two more floods`,
        );
        check(r, !/^\s+at /m.test(dev.stderr), `a stack trace on stderr\n${dev.stderr.slice(-1500)}`);
        const stopAt = Date.now();
        dev.child.kill('SIGINT');
        const exit = await dev.exited;
        r.exit = describeExit(exit);
        r.exitMs = exit.at - stopAt;
        check(r, exit.code === 0, `exit ${r.exit} after SIGINT`);
        return [r];
      },
      { stop: 'SIGKILL' },
    );
  } finally {
    client?.close();
  }
}
