// The export worker on its own: real serialized requests, handed from this thread to the real
// built worker (dist/export/worker/worker.js), reach a real receiver over gRPC, OTLP/HTTP protobuf
// and JSON; a refused, hung or failing collector gives the transport's own one-line reason within
// the timeout; headers and TLS files are used; the ExportGuard reports what fails as before.
// The hand-off at exit: export-worker-exit.test.ts; how long it keeps a process: -lifetime.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { after, before, test } from 'node:test';
import { status } from '@grpc/grpc-js';
import { signalProbe } from '../../src/export/collector-probe.js';
import { ExportGuard } from '../../src/export/guard.js';
import { ExportReporter } from '../../src/export/reporter.js';
import { WorkerExporter } from '../../src/export/worker-exporter.js';
import { ExportWorker } from '../../src/export/worker-host.js';
import { blackHole } from '../helpers/black-hole.js';
import { tlsReceiver } from '../helpers/certificate.js';
import { faultCollector } from '../helpers/fault-collector.js';
import { closedPort, type Receiver, receiver, spansOf } from '../helpers/otlp.js';
import { metricsExport, metricsRequest, traceRequest, tracesExport } from '../helpers/otlp-requests.js';
import { ROOT } from '../helpers/run-fixture.js';

const WORKER_URL = new URL('dist/export/worker/worker.js', `file://${ROOT}/`);

let r: Receiver;
before(async () => {
  r = await receiver();
});
after(() => r.close());

/** An exporter of traces to `env`'s endpoint through a new worker, terminated after the test. */
async function exporterFor(
  t: { after: (fn: () => Promise<void>) => void },
  env: Record<string, string>,
): Promise<WorkerExporter> {
  const worker = new ExportWorker({ signals: { traces: tracesExport(env) }, workerUrl: WORKER_URL });
  t.after(() => worker.terminate());
  return WorkerExporter.load(worker, 'traces');
}

/** Exports one request; resolves with the error message, or undefined on success. */
function exportOnce(exporter: WorkerExporter, bytes: Uint8Array): Promise<string | undefined> {
  return new Promise((resolve) => exporter.export(bytes, (result) => resolve(result.error?.message)));
}

for (const protocol of ['grpc', 'http/protobuf', 'http/json'] as const) {
  for (const compression of ['none', 'gzip'] as const) {
    test(`${protocol} (compression ${compression}): the spans of a serialized request reach the receiver`, async (t) => {
      const service = `worker-${protocol}-${compression}`;
      const exporter = await exporterFor(t, {
        OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? r.grpcEndpoint : r.httpEndpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_COMPRESSION: compression,
      });
      const bytes = traceRequest(service, ['one', 'two'], protocol === 'http/json');
      // A view of a bigger buffer (as Buffer pools give) is copied, not transferred whole.
      const slab = new Uint8Array(bytes.byteLength + 16);
      slab.set(bytes, 8);
      assert.equal(await exportOnce(exporter, slab.subarray(8, 8 + bytes.byteLength)), undefined);
      // A small Buffer is a view of Node's shared pool, which cannot be transferred.
      assert.equal(await exportOnce(exporter, Buffer.from(bytes)), undefined);
      assert.equal(await exportOnce(exporter, bytes), undefined);
      await r.waitFor(() => spansOf(r, service).length === 6, 5000);
      assert.deepEqual(
        spansOf(r, service)
          .map((span) => span.name)
          .sort(),
        ['one', 'one', 'one', 'two', 'two', 'two'],
      );
    });
  }
}

for (const protocol of ['grpc', 'http/protobuf', 'http/json'] as const) {
  test(`${protocol}: traces and metrics share one worker, each to its own service path`, async (t) => {
    const service = `worker-metrics-${protocol}`;
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? r.grpcEndpoint : r.httpEndpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    };
    const worker = new ExportWorker({
      signals: { traces: tracesExport(env), metrics: metricsExport(env) },
      workerUrl: WORKER_URL,
    });
    t.after(() => worker.terminate());
    const [traces, metrics] = await Promise.all([
      WorkerExporter.load(worker, 'traces'),
      WorkerExporter.load(worker, 'metrics'),
    ]);
    const json = protocol === 'http/json';
    const results = await Promise.all([
      exportOnce(metrics, await metricsRequest(service, 'worker.counter', json)),
      exportOnce(traces, traceRequest(service, ['with.metrics'], json)),
    ]);
    assert.deepEqual(results, [undefined, undefined]);
    await r.waitFor(
      () => r.metrics.some((m) => m.resource['service.name'] === service && m.name === 'worker.counter'),
      5000,
    );
    await r.waitFor(() => spansOf(r, service).length === 1, 5000);
  });
}

test('under the ExportGuard (probe, then the worker as its load step): the reporter says the gRPC status, then the recovery', async (t) => {
  const collector = await faultCollector({ mode: { kind: 'status', code: status.UNAVAILABLE } });
  t.after(() => collector.close());
  const traces = tracesExport({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint });
  const worker = new ExportWorker({ signals: { traces }, workerUrl: WORKER_URL });
  t.after(() => worker.terminate());
  const lines: string[] = [];
  const guard = new ExportGuard<Uint8Array>({
    probe: signalProbe(traces, traces.timeoutMs),
    load: () => WorkerExporter.load(worker, 'traces'),
    reporter: new ExportReporter({
      signal: 'traces',
      unit: 'spans',
      endpoint: traces.displayEndpoint,
      log: (line) => lines.push(line),
    }),
    count: () => 1,
    timeoutMs: traces.timeoutMs,
    initialBackoffMs: 50,
  });
  const exportVia = (bytes: Uint8Array) =>
    new Promise<number>((resolve) => guard.export(bytes, (result) => resolve(result.code)));
  assert.equal(await exportVia(traceRequest('guarded', ['lost'])), 1);
  assert.match(
    lines[0] ?? '',
    new RegExp(
      `^cannot export traces to ${collector.endpoint} \\(14 UNAVAILABLE: fault injected: status 14\\);`,
    ),
  );
  collector.mode = { kind: 'ok' };
  await collector.waitFor(() => !guard.isDown(), 2000);
  assert.equal(await exportVia(traceRequest('guarded', ['kept'])), 0);
  assert.match(lines[1] ?? '', /^traces export to \S+ works again; 1 spans were dropped while it failed$/);
  assert.deepEqual(
    collector.spansOf('guarded').map((span) => span.name),
    ['kept'],
  );
});

test('grpc over TLS: the CA file is used, and without it the export fails with the TLS reason', async (t) => {
  const { receiver: secure, certificate } = await tlsReceiver(t);
  // A name, not 127.0.0.1: grpc-js would send the IP address as the server name (DEP0123).
  const endpoint = `https://localhost:${secure.grpcPort}`;
  const trusted = await exporterFor(t, {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_CERTIFICATE: certificate.certFile,
  });
  assert.equal(await exportOnce(trusted, traceRequest('worker-tls', ['secure'])), undefined);
  await secure.waitFor(() => spansOf(secure, 'worker-tls').length === 1, 5000);
  const untrusted = await exporterFor(t, {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
  });
  assert.match(
    (await exportOnce(untrusted, traceRequest('worker-tls', ['refused']))) ?? '',
    /^14 UNAVAILABLE: .*self-signed certificate/,
  );
});

test('an unreadable TLS file fails each export with the file named', async (t) => {
  const exporter = await exporterFor(t, {
    OTEL_EXPORTER_OTLP_ENDPOINT: r.grpcEndpoint,
    OTEL_EXPORTER_OTLP_CERTIFICATE: '/nonexistent/ca.pem',
  });
  assert.equal(
    await exportOnce(exporter, traceRequest('worker-bad-tls', ['x'])),
    'cannot read the CA certificate (OTEL_EXPORTER_OTLP_CERTIFICATE) file /nonexistent/ca.pem (ENOENT)',
  );
});

test('a worker that cannot start fails the load with the reason', async () => {
  const worker = new ExportWorker({
    signals: { traces: tracesExport({ OTEL_EXPORTER_OTLP_ENDPOINT: r.grpcEndpoint }) },
    workerUrl: new URL('dist/export/worker/missing.js', `file://${ROOT}/`),
  });
  await assert.rejects(
    WorkerExporter.load(worker, 'traces'),
    /^Error: the export worker stopped: Cannot find module/,
  );
});

test('an empty request (the warm-up export) goes, and may be sent again', async (t) => {
  for (const protocol of ['grpc', 'http/protobuf'] as const) {
    const exporter = await exporterFor(t, {
      OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? r.grpcEndpoint : r.httpEndpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    });
    const empty = traceRequest('empty', []);
    assert.equal(empty.byteLength, 0);
    assert.equal(await exportOnce(exporter, empty), undefined);
    assert.equal(await exportOnce(exporter, empty), undefined);
  }
});

test('grpc: a refused collector fails the export at once with the gRPC status line', async (t) => {
  const port = await closedPort();
  const exporter = await exporterFor(t, {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
  });
  const started = Date.now();
  const error = await exportOnce(exporter, traceRequest('refused', ['x']));
  assert.match(error ?? '', /^14 UNAVAILABLE: .*ECONNREFUSED/);
  assert.ok(Date.now() - started < 1500, `failed after ${Date.now() - started} ms`);
});

test('http/protobuf: a refused collector fails with the connect error within the timeout', async (t) => {
  const port = await closedPort();
  const exporter = await exporterFor(t, {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_TIMEOUT: '500',
  });
  const started = Date.now();
  const error = await exportOnce(exporter, traceRequest('refused', ['x']));
  assert.match(error ?? '', /^connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  assert.ok(Date.now() - started < 1000, `failed after ${Date.now() - started} ms`);
});

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  test(`${protocol}: a collector that never answers times the export out within its timeout`, async (t) => {
    const hole = await blackHole();
    t.after(() => hole.close());
    const exporter = await exporterFor(t, {
      OTEL_EXPORTER_OTLP_ENDPOINT: hole.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_EXPORTER_OTLP_TIMEOUT: '400',
    });
    const started = Date.now();
    const error = await exportOnce(exporter, traceRequest('hung', ['x']));
    const took = Date.now() - started;
    assert.match(error ?? '', protocol === 'grpc' ? /^4 DEADLINE_EXCEEDED: / : /^Request timed out$/);
    assert.ok(took >= 350 && took < 1200, `failed after ${took} ms`);
  });
}

test('grpc: UNAVAILABLE fails with its status line, and the same worker exports once the collector is OK', async (t) => {
  const collector = await faultCollector({ mode: { kind: 'status', code: status.UNAVAILABLE } });
  t.after(() => collector.close());
  const exporter = await exporterFor(t, {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cret,x-tenant=acme',
  });
  const error = await exportOnce(exporter, traceRequest('flaky', ['x']));
  assert.equal(error, '14 UNAVAILABLE: fault injected: status 14');
  assert.deepEqual(collector.lastMetadata?.get('authorization'), ['Bearer s3cret']);
  assert.deepEqual(collector.lastMetadata?.get('x-tenant'), ['acme']);
  collector.mode = { kind: 'ok' };
  assert.equal(await exportOnce(exporter, traceRequest('flaky', ['after'])), undefined);
  assert.deepEqual(
    collector.spansOf('flaky').map((span) => span.name),
    ['after'],
  );
});

test('http/protobuf: headers arrive, 503 is retried within the timeout, 400 fails with the status text', async (t) => {
  const seen: IncomingHttpHeaders[] = [];
  const answers = [503, 200, 400];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume().on('end', () => {
      res.writeHead(answers.shift() ?? 500, { 'retry-after': '0' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  const exporter = await exporterFor(t, {
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}/custom/path`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cret',
    OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
  });
  assert.equal(await exportOnce(exporter, traceRequest('headers', ['x'])), undefined);
  assert.equal(seen.length, 2, 'the 503 was retried');
  assert.equal(seen[0]?.authorization, 'Bearer s3cret');
  assert.equal(seen[0]?.['content-type'], 'application/x-protobuf');
  assert.equal(await exportOnce(exporter, traceRequest('headers', ['y'])), 'Bad Request');
  assert.equal(seen.length, 3, 'a 400 is not retried');
});
