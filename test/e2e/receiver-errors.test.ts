// The receiver under bad input: malformed and oversized requests on gRPC and HTTP, wrong path, method
// and content type, the span bound, and close() freeing ports. In-process, over 127.0.0.1 only.
import assert from 'node:assert/strict';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Client, credentials, type ServiceError, status } from '@grpc/grpc-js';
import { type Receiver, startReceiver } from '../../src/receiver/index.js';
import { otlpSchema } from '../../src/receiver/otlp/schema.js';

const TRACE_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const identity = (b: Buffer) => b;

/** A valid ExportTraceServiceRequest with `count` spans named `name-i`, encoded by our schema. */
function traceRequest(count: number, name = 'span'): Buffer {
  const { request } = otlpSchema().traces;
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId: Buffer.alloc(16, 1),
    spanId: Buffer.alloc(8, i + 1),
    name: `${name}-${i}`,
    kind: 2,
    startTimeUnixNano: 1,
    endTimeUnixNano: 2,
  }));
  return Buffer.from(
    request.encode(request.fromObject({ resourceSpans: [{ scopeSpans: [{ spans }] }] })).finish(),
  );
}

/** One unary call with raw bytes; resolves with the error or the raw response, never rejects. */
function grpcCall(
  client: Client,
  path: string,
  body: Buffer,
): Promise<{ error: ServiceError | null; response?: Buffer }> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, identity, identity, body, (error, response) =>
      resolve({ error, response }),
    );
  });
}

interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request without keep-alive; `chunks` sends the body in pieces without a Content-Length. */
function http(
  url: string,
  {
    method = 'POST',
    headers = {},
    body,
    chunks,
  }: { method?: string; headers?: OutgoingHttpHeaders; body?: Buffer; chunks?: Buffer[] },
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
      );
    });
    // The receiver may answer (413) and close before the body is fully sent; the reply is what counts.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (chunks) {
      for (const chunk of chunks) req.write(chunk);
      req.end();
    } else req.end(body);
  });
}

const PROTOBUF = { 'Content-Type': 'application/x-protobuf' };

describe('gRPC robustness', () => {
  let receiver: Receiver;
  let client: Client;
  before(async () => {
    receiver = await startReceiver({ httpPort: false, limits: { maxRequestBytes: 4096 } });
    client = new Client(receiver.grpcEndpoint.replace('http://', ''), credentials.createInsecure());
  });
  after(async () => {
    client.close();
    await receiver.close();
  });

  test('a truncated message gets INVALID_ARGUMENT, and the next good request succeeds', async () => {
    const good = traceRequest(2);
    const bad = await grpcCall(client, TRACE_PATH, good.subarray(0, good.length - 5));
    assert.equal(bad.error?.code, status.INVALID_ARGUMENT);
    assert.match(bad.error?.details ?? '', /invalid OTLP protobuf traces request/);
    const ok = await grpcCall(client, TRACE_PATH, good);
    assert.equal(ok.error, null);
    assert.equal(ok.response?.length, 0, 'an empty ExportTraceServiceResponse');
    assert.deepEqual(
      receiver.spans.map((s) => s.name),
      ['span-0', 'span-1'],
    );
  });

  test('the metrics and logs services answer too', async () => {
    for (const service of ['metrics.v1.MetricsService', 'logs.v1.LogsService']) {
      const { error } = await grpcCall(
        client,
        `/opentelemetry.proto.collector.${service}/Export`,
        Buffer.alloc(0),
      );
      assert.equal(error, null, service);
    }
  });

  test('a request over maxRequestBytes gets RESOURCE_EXHAUSTED, also when it only grows once decompressed', async () => {
    const big = traceRequest(1, 'x'.repeat(5000));
    const plain = await grpcCall(client, TRACE_PATH, big);
    assert.equal(plain.error?.code, status.RESOURCE_EXHAUSTED);

    const gzipClient = new Client(
      receiver.grpcEndpoint.replace('http://', ''),
      credentials.createInsecure(),
      {
        'grpc.default_compression_algorithm': 2, // gzip: 5 kB of 'x' travels as a few dozen bytes
      },
    );
    try {
      const compressed = await grpcCall(gzipClient, TRACE_PATH, big);
      assert.equal(compressed.error?.code, status.RESOURCE_EXHAUSTED);
      assert.match(compressed.error?.details ?? '', /decompresses to a size larger than 4096/);
      const ok = await grpcCall(gzipClient, TRACE_PATH, traceRequest(1, 'after'));
      assert.equal(ok.error, null, 'still serving, and gzip requests within the limit are fine');
    } finally {
      gzipClient.close();
    }
  });
});

describe('HTTP robustness', () => {
  let receiver: Receiver;
  let url: string;
  before(async () => {
    receiver = await startReceiver({ grpcPort: false, limits: { maxRequestBytes: 4096, maxSpans: 5 } });
    url = `${receiver.httpEndpoint}/v1/traces`;
  });
  after(() => receiver.close());

  test('malformed protobuf gets 400 with a google.rpc.Status body, then a good request gets 200', async () => {
    const bad = await http(url, { headers: PROTOBUF, body: traceRequest(1).subarray(0, 10) });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers['content-type'], 'application/x-protobuf');
    const decoded = otlpSchema().status.toObject(otlpSchema().status.decode(bad.body));
    assert.equal(decoded.code, 3);
    assert.match(decoded.message, /invalid OTLP protobuf traces request/);

    receiver.clear();
    const ok = await http(url, { headers: PROTOBUF, body: traceRequest(1) });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['content-type'], 'application/x-protobuf');
    assert.equal(ok.body.length, 0);
    assert.equal(receiver.spans.length, 1);
  });

  test('JSON: malformed gets 400 with a JSON Status, valid gets 200 {}', async () => {
    const headers = { 'Content-Type': 'application/json; charset=utf-8' };
    const bad = await http(url, { headers, body: Buffer.from('{"resourceSpans": [') });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers['content-type'], 'application/json');
    assert.equal(JSON.parse(bad.body.toString()).code, 3);
    const ok = await http(`${receiver.httpEndpoint}/v1/logs`, {
      headers,
      body: Buffer.from('{"resourceLogs":[]}'),
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(ok.body.toString()), {});
  });

  test('wrong path 404, wrong method 405, wrong content type or encoding 415', async () => {
    assert.equal((await http(`${receiver.httpEndpoint}/v1/profiles`, { headers: PROTOBUF })).status, 404);
    assert.equal((await http(`${receiver.httpEndpoint}/`, { method: 'GET' })).status, 404);
    const get = await http(url, { method: 'GET' });
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
    const text = await http(url, { headers: { 'Content-Type': 'text/plain' }, body: Buffer.from('hi') });
    assert.equal(text.status, 415);
    assert.match(text.body.toString(), /application\/x-protobuf or application\/json/);
    assert.equal((await http(url, { body: traceRequest(1) })).status, 415, 'no Content-Type at all');
    const proto = await http(url, { headers: { 'Content-Type': 'constructor' }, body: traceRequest(1) });
    assert.equal(proto.status, 415, 'header values are not looked up on Object.prototype');
    const brotli = await http(url, {
      headers: { ...PROTOBUF, 'Content-Encoding': 'br' },
      body: traceRequest(1),
    });
    assert.equal(brotli.status, 415);
    const odd = await http(url, {
      headers: { ...PROTOBUF, 'Content-Encoding': 'toString' },
      body: traceRequest(1),
    });
    assert.equal(odd.status, 415);
  });

  test('bodies over maxRequestBytes get 413: declared, streamed, or inflated from gzip', async () => {
    const big = traceRequest(1, 'y'.repeat(5000));
    const declared = await http(url, { headers: PROTOBUF, body: big });
    assert.equal(declared.status, 413);
    assert.equal(otlpSchema().status.toObject(otlpSchema().status.decode(declared.body)).code, 8);
    const streamed = await http(url, {
      headers: PROTOBUF,
      chunks: [big.subarray(0, 3000), big.subarray(3000)],
    });
    assert.equal(streamed.status, 413);
    const bomb = await http(url, {
      headers: { ...PROTOBUF, 'Content-Encoding': 'gzip' },
      body: gzipSync(big),
    });
    assert.equal(bomb.status, 413);
    const corrupt = await http(url, {
      headers: { ...PROTOBUF, 'Content-Encoding': 'gzip' },
      body: Buffer.from('nope'),
    });
    assert.equal(corrupt.status, 400);
    const gzipOk = await http(url, {
      headers: { ...PROTOBUF, 'Content-Encoding': 'gzip' },
      body: gzipSync(traceRequest(1)),
    });
    assert.equal(gzipOk.status, 200, 'still serving');
  });

  test('the store keeps only the newest maxSpans spans', async () => {
    receiver.clear();
    for (const batch of ['a', 'b', 'c']) {
      assert.equal((await http(url, { headers: PROTOBUF, body: traceRequest(4, batch) })).status, 200);
    }
    assert.deepEqual(
      receiver.spans.map((s) => s.name),
      ['b-3', 'c-0', 'c-1', 'c-2', 'c-3'],
    );
    assert.equal(receiver.store.dropped.spans, 7);
  });
});

describe('startReceiver and close', () => {
  const listenOn = (port: number) =>
    new Promise<() => Promise<void>>((resolve, reject) => {
      const server = createNetServer();
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port }, () =>
        resolve(() => new Promise((done) => server.close(() => done()))),
      );
    });

  test('close() frees both ports promptly although clients keep connections open', async () => {
    const receiver = await startReceiver({ closeGraceMs: 50 });
    const { grpcPort, httpPort } = receiver;
    assert.notEqual(grpcPort, httpPort);
    assert.equal(receiver.grpcEndpoint, `http://127.0.0.1:${grpcPort}`);
    assert.equal(receiver.httpEndpoint, `http://127.0.0.1:${httpPort}`);
    const client = new Client(`127.0.0.1:${grpcPort}`, credentials.createInsecure());
    try {
      assert.equal((await grpcCall(client, TRACE_PATH, traceRequest(1))).error, null);
      const pending = receiver.waitFor(() => false, 60_000);
      const started = Date.now();
      await receiver.close();
      assert.ok(Date.now() - started < 1000, `close() took ${Date.now() - started}ms`);
      await assert.rejects(pending, /cancelled: the receiver was closed/);
      for (const port of [grpcPort, httpPort]) await (await listenOn(port))();
      assert.equal(receiver.spans.length, 1, 'what was received stays readable');
      await receiver.close();
    } finally {
      client.close();
    }
  });

  test('a protocol can be disabled; its endpoint getter says so', async () => {
    const receiver = await startReceiver({ grpcPort: false });
    try {
      assert.throws(() => receiver.grpcEndpoint, /started with grpcPort: false/);
      assert.match(receiver.httpEndpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await receiver.close();
    }
  });

  test('a busy port rejects with the address, and invalid options throw', async () => {
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await assert.rejects(
        startReceiver({ httpPort: port }),
        new RegExp(`could not listen on 127.0.0.1:${port}`),
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    await assert.rejects(startReceiver({ grpcPort: 70_000 }), /grpcPort must be a port number/);
    await assert.rejects(startReceiver({ limits: { maxRequestBytes: -1 } }), /maxRequestBytes/);
  });
});
