// The export worker's gRPC transport (src/export/worker/grpc-sender.ts, on node:http2) against
// real grpc-js servers: identity and gzip messages decode, headers arrive as metadata, a gRPC
// error status and a deadline read as grpc-js words them, TLS uses the CA file, a restarted
// collector gets a new connection, and grpc_proxy and its kin tunnel the connection as grpc-js
// did. The worker around it: export-worker.test.ts.
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createConnection, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { status } from '@grpc/grpc-js';
import { grpcSender } from '../../src/export/worker/grpc-sender.js';
import type { Sender } from '../../src/export/worker/messages.js';
import { blackHole } from '../helpers/black-hole.js';
import { tlsReceiver } from '../helpers/certificate.js';
import { faultCollector } from '../helpers/fault-collector.js';
import { spansOf } from '../helpers/otlp.js';
import { traceRequest, tracesExport } from '../helpers/otlp-requests.js';
import { runFixture } from '../helpers/run-fixture.js';

type After = { after: (fn: () => unknown) => void };

async function senderFor(
  t: After,
  env: Record<string, string>,
  processEnv: NodeJS.ProcessEnv = {},
): Promise<Sender> {
  const sender = await grpcSender('traces', tracesExport(env), processEnv);
  t.after(() => sender.close());
  return sender;
}

/** Sends once; resolves with the error message, or undefined on success. */
async function sendOnce(sender: Sender, bytes: Uint8Array, timeoutMs = 5000): Promise<string | undefined> {
  try {
    await sender.send(bytes, timeoutMs);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A TCP relay to `port` that counts the bytes the client sends through it. */
async function countingRelay(t: After, port: number): Promise<{ endpoint: string; sent: () => number }> {
  let sent = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk: Buffer) => {
      sent += chunk.byteLength;
    });
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const bound = (server.address() as { port: number }).port;
  return { endpoint: `http://127.0.0.1:${bound}`, sent: () => sent };
}

/** An HTTP CONNECT proxy on 127.0.0.1 that notes what it is asked; `refuse` answers 407. */
async function connectProxy(
  t: After,
  refuse = false,
): Promise<{ url: string; asked: IncomingHttpHeaders[] }> {
  const asked: IncomingHttpHeaders[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer();
  server.on('connect', (req, client: Socket, head: Buffer) => {
    asked.push({ ...req.headers, target: req.url });
    sockets.add(client);
    client.on('error', () => undefined);
    if (refuse) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = createConnection(Number(port), host ?? '', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, asked };
}

test('identity and gzip: the request decodes on a grpc-js server, and gzip sends far fewer bytes', async (t) => {
  const collector = await faultCollector();
  t.after(() => collector.close());
  const names = Array.from({ length: 512 }, () => 'a.span.name.that.repeats.well');
  const sent: Record<string, number> = {};
  for (const compression of ['none', 'gzip'] as const) {
    const relay = await countingRelay(t, collector.port);
    const sender = await senderFor(t, {
      OTEL_EXPORTER_OTLP_ENDPOINT: relay.endpoint,
      OTEL_EXPORTER_OTLP_COMPRESSION: compression,
    });
    const bytes = traceRequest(`sender-${compression}`, names);
    assert.equal(await sendOnce(sender, bytes), undefined);
    assert.equal(collector.spansOf(`sender-${compression}`).length, 512);
    sent[compression] = relay.sent();
    assert.ok(compression === 'gzip' || relay.sent() > bytes.byteLength, `${relay.sent()} bytes sent`);
  }
  assert.ok((sent.gzip ?? 0) * 2 < (sent.none ?? 0), JSON.stringify(sent));
});

test('headers arrive as metadata, alongside the gRPC ones', async (t) => {
  const collector = await faultCollector();
  t.after(() => collector.close());
  const sender = await senderFor(t, {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cret,x-tenant=acme',
  });
  assert.equal(await sendOnce(sender, traceRequest('sender-headers', ['x'])), undefined);
  assert.deepEqual(collector.lastMetadata?.get('authorization'), ['Bearer s3cret']);
  assert.deepEqual(collector.lastMetadata?.get('x-tenant'), ['acme']);
  assert.deepEqual(collector.lastMetadata?.get('user-agent'), ['logos-otel-export-worker']);
});

test('a gRPC error status fails the call with its code, name and message; the session stays usable', async (t) => {
  const collector = await faultCollector({ mode: { kind: 'status', code: status.UNAVAILABLE } });
  t.after(() => collector.close());
  const sender = await senderFor(t, { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint });
  const request = traceRequest('sender-status', ['x']);
  assert.equal(await sendOnce(sender, request), '14 UNAVAILABLE: fault injected: status 14');
  collector.mode = { kind: 'status', code: status.RESOURCE_EXHAUSTED };
  assert.equal(await sendOnce(sender, request), '8 RESOURCE_EXHAUSTED: fault injected: status 8');
  collector.mode = { kind: 'ok' };
  assert.equal(await sendOnce(sender, request), undefined);
  assert.equal(collector.calls.failed, 2);
  assert.equal(collector.calls.ok, 1);
});

test('deadline: a server that takes the call and never answers, and one that never speaks HTTP/2', async (t) => {
  const collector = await faultCollector({ mode: { kind: 'hang' } });
  t.after(() => collector.close());
  const hole = await blackHole();
  t.after(() => hole.close());
  for (const endpoint of [collector.endpoint, hole.endpoint]) {
    const sender = await senderFor(t, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    const started = Date.now();
    const error = await sendOnce(sender, traceRequest('sender-hung', ['x']), 300);
    const took = Date.now() - started;
    assert.match(error ?? '', /^4 DEADLINE_EXCEEDED: /, endpoint);
    assert.ok(took >= 250 && took < 1000, `failed after ${took} ms`);
  }
  assert.equal(collector.calls.hung, 1, 'the call reached the hanging server');
});

test('after more than 5 deadlines in a row the session is dropped: calls still waiting on it fail at once', async (t) => {
  const hole = await blackHole();
  t.after(() => hole.close());
  const sender = await senderFor(t, { OTEL_EXPORTER_OTLP_ENDPOINT: hole.endpoint });
  // One long call waits on the stuck session while six short ones time out on it.
  const started = Date.now();
  const long = sendOnce(sender, traceRequest('sender-stuck', ['long']), 10_000);
  for (let i = 0; i < 6; i++)
    assert.match(
      (await sendOnce(sender, traceRequest('sender-stuck', ['x']), 100)) ?? '',
      /^4 DEADLINE_EXCEEDED: /,
    );
  const error = await long;
  const took = Date.now() - started;
  assert.match(error ?? '', /^14 UNAVAILABLE: /);
  assert.ok(took < 5000, `the waiting call failed after ${took} ms, not with the session`);
});

test('TLS: the CA file makes the self-signed server trusted; without it the call fails with the reason', async (t) => {
  const { receiver: secure, certificate } = await tlsReceiver(t);
  // An IP address too: node:http2 sends no server name for it (grpc-js sent one, with a warning).
  for (const host of ['localhost', '127.0.0.1']) {
    const trusted = await senderFor(t, {
      OTEL_EXPORTER_OTLP_ENDPOINT: `https://${host}:${secure.grpcPort}`,
      OTEL_EXPORTER_OTLP_CERTIFICATE: certificate.certFile,
    });
    assert.equal(await sendOnce(trusted, traceRequest(`sender-tls-${host}`, ['secure'])), undefined);
    assert.equal(spansOf(secure, `sender-tls-${host}`).length, 1);
  }
  const untrusted = await senderFor(t, {
    OTEL_EXPORTER_OTLP_ENDPOINT: `https://localhost:${secure.grpcPort}`,
  });
  assert.match(
    (await sendOnce(untrusted, traceRequest('sender-tls-untrusted', ['x']))) ?? '',
    /^14 UNAVAILABLE: .*self-signed certificate/,
  );
});

test('a collector that restarts: the call on the cut connection fails UNAVAILABLE, the next one reconnects', async (t) => {
  const collector = await faultCollector();
  t.after(() => collector.close());
  const sender = await senderFor(t, { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint });
  const request = traceRequest('sender-restart', ['x']);
  assert.equal(await sendOnce(sender, request), undefined);
  await collector.stop();
  assert.match((await sendOnce(sender, request)) ?? '', /^14 UNAVAILABLE: /);
  await collector.start();
  assert.equal(await sendOnce(sender, request), undefined);
  assert.equal(collector.spansOf('sender-restart').length, 2);
});

test('grpc_proxy: the call goes through a CONNECT tunnel (with its credentials), also over TLS; no_grpc_proxy skips it', async (t) => {
  const collector = await faultCollector();
  t.after(() => collector.close());
  const proxy = await connectProxy(t);
  const withUser = proxy.url.replace('//', '//me:p%40ss@');
  const plain = await senderFor(
    t,
    { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint },
    { grpc_proxy: withUser },
  );
  assert.equal(await sendOnce(plain, traceRequest('sender-proxy', ['x'])), undefined);
  assert.equal(collector.spansOf('sender-proxy').length, 1);
  assert.equal(proxy.asked[0]?.target, `127.0.0.1:${collector.port}`);
  assert.equal(proxy.asked[0]?.['proxy-authorization'], `Basic ${Buffer.from('me:p@ss').toString('base64')}`);

  const { receiver: secure, certificate } = await tlsReceiver(t);
  const tunnelled = await senderFor(
    t,
    {
      OTEL_EXPORTER_OTLP_ENDPOINT: `https://localhost:${secure.grpcPort}`,
      OTEL_EXPORTER_OTLP_CERTIFICATE: certificate.certFile,
    },
    { https_proxy: proxy.url },
  );
  assert.equal(await sendOnce(tunnelled, traceRequest('sender-proxy-tls', ['x'])), undefined);
  assert.equal(spansOf(secure, 'sender-proxy-tls').length, 1);
  assert.equal(proxy.asked[1]?.target, `localhost:${secure.grpcPort}`);

  const direct = await senderFor(
    t,
    { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint },
    { grpc_proxy: proxy.url, no_grpc_proxy: 'example.com,127.0.0.0/8' },
  );
  assert.equal(await sendOnce(direct, traceRequest('sender-no-proxy', ['x'])), undefined);
  assert.equal(proxy.asked.length, 2, 'no tunnel for a host in no_grpc_proxy');
});

test('a proxy that refuses the tunnel fails the call UNAVAILABLE with its answer', async (t) => {
  const collector = await faultCollector();
  t.after(() => collector.close());
  const proxy = await connectProxy(t, true);
  const sender = await senderFor(
    t,
    { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint },
    { http_proxy: proxy.url },
  );
  assert.equal(
    await sendOnce(sender, traceRequest('sender-proxy-refused', ['x'])),
    `14 UNAVAILABLE: the proxy 127.0.0.1:${new URL(proxy.url).port} answered CONNECT with HTTP 407`,
  );
  assert.equal(collector.calls.ok, 0);
});

test('an open session does not keep the process alive: a script that sent once ends by itself', async (t) => {
  const collector = await faultCollector();
  t.after(() => collector.close());
  const run = await runFixture({
    script: 'grpc-sender-idle.ts',
    tsx: true,
    register: false,
    env: { SENDER_ENDPOINT: collector.endpoint },
    timeoutMs: 10_000,
  });
  assert.deepEqual({ code: run.code, signal: run.signal }, { code: 0, signal: null }, run.output);
  assert.equal(run.stdout, 'sent\n');
  assert.equal(collector.spansOf('sender-idle').length, 1);
});
