// With no OTLP endpoint: nothing is exported, nothing is dialled, nothing is printed, and yet the
// service makes real spans, so W3C traceparent and baggage flow from its requests to its calls.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { portOf, startFixture, supervise } from '../helpers/run-fixture.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const INCOMING = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

let downstream: Server;
let downstreamPort = 0;
const seen: IncomingHttpHeaders[] = [];
const defaultPortHits: string[] = [];
const defaultPortServers: Server[] = [];

before(async () => {
  downstream = createServer((req, res) => {
    seen.push(req.headers);
    res.end('downstream');
  });
  await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
  downstreamPort = (downstream.address() as { port: number }).port;
  // Listeners on the default OTLP ports: any attempt to reach a collector would land here.
  for (const port of [4317, 4318]) {
    const server = createServer((req, res) => {
      defaultPortHits.push(`${port} ${req.url}`);
      res.end();
    });
    server.on('connection', () => defaultPortHits.push(`${port} connection`));
    await new Promise<void>((resolve) => {
      server.once('error', () => resolve());
      server.listen(port, '127.0.0.1', () => {
        defaultPortServers.push(server);
        resolve();
      });
    });
  }
});

after(async () => {
  downstream.close();
  for (const server of defaultPortServers) server.close();
});

for (const client of ['fetch', 'http'] as const) {
  test(`no endpoint: traceparent and baggage reach the ${client} call, nothing dialled or printed`, async () => {
    const app = startFixture({
      script: 'http-service.mjs',
      env: { OTEL_SERVICE_NAME: 'quiet' },
      nodeArgs: ['--require', './connect-spy.cjs'],
    });
    await supervise(app, async () => {
      const port = await portOf(app);
      seen.length = 0;
      const next = encodeURIComponent(`http://127.0.0.1:${downstreamPort}/down`);
      const res = await fetch(`http://127.0.0.1:${port}/hello?client=${client}&next=${next}`, {
        headers: { traceparent: INCOMING, baggage: 'tenant=acme' },
      });
      assert.equal(await res.text(), 'hello downstream');
      const outgoing = seen[0]?.traceparent;
      assert.ok(typeof outgoing === 'string', 'the outgoing call carries a traceparent');
      const [, traceId, parentId, flags] = outgoing.split('-');
      assert.equal(traceId, TRACE_ID, 'same trace as the incoming request');
      assert.notEqual(parentId, '00f067aa0ba902b7', 'the parent is the service’s own client span');
      assert.match(parentId ?? '', /^[0-9a-f]{16}$/);
      assert.equal(flags, '01');
      assert.match(String(seen[0]?.baggage), /tenant=acme/);

      const exit = await app.stop();
      assert.equal(exit.signal, 'SIGTERM');
      const connects = app.stderr.split('\n').filter((line) => line.startsWith('CONNECT'));
      assert.deepEqual(
        connects,
        [`CONNECT 127.0.0.1:${downstreamPort}`],
        'only the app’s own call is dialled',
      );
      assert.equal(app.stderr.replace(/^CONNECT .*\n/gm, ''), '', 'nothing is printed');
      assert.equal(app.stdout.trim(), `{"port":${port}}`);
      assert.deepEqual(defaultPortHits, []);
    });
  });
}

test('a request without traceparent starts a new trace with a real, sampled trace id', async () => {
  const app = startFixture({ script: 'http-service.mjs', env: {} });
  await supervise(app, async () => {
    const port = await portOf(app);
    seen.length = 0;
    await (
      await fetch(
        `http://127.0.0.1:${port}/hello?next=${encodeURIComponent(`http://127.0.0.1:${downstreamPort}/`)}`,
      )
    ).text();
    assert.match(String(seen[0]?.traceparent), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.doesNotMatch(String(seen[0]?.traceparent), /^00-0{32}/);
  });
});
