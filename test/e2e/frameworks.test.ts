// Express, Fastify and Koa services started with the one --import flag trace their routes: a server
// span named after the route, the framework's own spans beneath it, the outgoing fetch as a client
// span below those, and the downstream service in the same trace. Health checks make no spans.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  exportTo,
  KIND,
  type ReceivedSpan,
  type Receiver,
  receiver,
  spansOf,
  waitForSpan,
} from '../helpers/otlp.js';
import { type Fixture, portOf, startFixture, supervise } from '../helpers/run-fixture.js';

interface Framework {
  readonly name: string;
  readonly script: string;
  /** The instrumentation scope of the framework's own spans. */
  readonly scope: string;
  /** Span names from the fetch client span up to the root server span. */
  readonly clientPath: readonly string[];
  /** Spans of the framework that are children of the server span, by name. */
  readonly underServer: readonly string[];
}

const FRAMEWORKS: readonly Framework[] = [
  {
    name: 'express',
    script: 'express-app.mjs',
    scope: '@opentelemetry/instrumentation-express',
    clientPath: ['GET', 'request handler', 'GET /items/:id'],
    underServer: ['middleware - stamp', 'request handler'],
  },
  {
    name: 'fastify',
    script: 'fastify-app.mjs',
    scope: '@logos/otel/instrumentation-fastify',
    clientPath: ['GET', 'request handler - /items/:id', 'GET /items/:id'],
    underServer: ['request handler - /items/:id'],
  },
  {
    name: 'koa',
    script: 'koa-app.mjs',
    scope: '@opentelemetry/instrumentation-koa',
    clientPath: ['GET', 'router - /items/:id', 'middleware - stamp', 'GET /items/:id'],
    underServer: ['middleware - stamp'],
  },
];

let r: Receiver;
let downstream: Fixture;
let downPort: number;
before(async () => {
  r = await receiver();
  downstream = startFixture({ script: 'http-service.mjs', env: exportTo(r, 'frameworks-downstream') });
  downPort = await portOf(downstream);
});
after(async () => {
  await downstream?.stop();
  await r.close();
});

// Each app is its own process with its own service name: they run side by side.
describe('one --import flag, every framework', { concurrency: true }, () => {
  /** The names from `span` up to its trace's root, following parent ids among `spans`. */
  function pathToRoot(spans: readonly ReceivedSpan[], span: ReceivedSpan): string[] {
    const names = [span.name];
    let current: ReceivedSpan | undefined = span;
    while (current.parentSpanId !== '' && names.length < 20) {
      const parentId: string = current.parentSpanId;
      current = spans.find((s) => s.spanId === parentId);
      if (current === undefined) return [...names, `<missing ${parentId}>`];
      names.push(current.name);
    }
    return names;
  }

  for (const framework of FRAMEWORKS) {
    test(`${framework.name}: route, framework, client and downstream spans form one trace`, async () => {
      const service = `frameworks-${framework.name}`;
      const app = startFixture({ script: framework.script, env: exportTo(r, service) });
      await supervise(
        app,
        async () => {
          const port = await portOf(app);
          assert.equal(await (await fetch(`http://127.0.0.1:${port}/health`)).text(), 'ok');
          const next = `http://127.0.0.1:${downPort}/hello`;
          const res = await fetch(`http://127.0.0.1:${port}/items/42?next=${encodeURIComponent(next)}`);
          assert.equal(res.status, 200);
          assert.deepEqual(await res.json(), { id: '42', downstream: 'hello ' });

          const server = await waitForSpan(r, service, (s) => s.kind === KIND.server);
          const client = await waitForSpan(r, service, (s) => s.kind === KIND.client);
          const downServer = await waitForSpan(
            r,
            'frameworks-downstream',
            (s) => s.kind === KIND.server && s.traceId === server.traceId,
          );
          // The exit flush delivers whatever is left, so the checks below see every span the app made.
          await app.stop();
          const spans = spansOf(r, service);

          assert.equal(server.name, 'GET /items/:id');
          assert.equal(server.parentSpanId, '', 'the server span is the root');
          assert.equal(server.attributes['http.route'], '/items/:id');
          assert.equal(server.attributes['url.path'], '/items/42');
          assert.equal(server.attributes['http.request.method'], 'GET');
          assert.equal(server.attributes['http.response.status_code'], 200);

          const own = spans.filter((s) => s.scope.name === framework.scope);
          assert.ok(own.length > 0, `no spans from ${framework.scope}`);
          for (const span of own) assert.equal(span.kind, KIND.internal, span.name);
          for (const name of framework.underServer) {
            const span = own.find((s) => s.name === name);
            assert.equal(span?.parentSpanId, server.spanId, `${name} is a child of the server span`);
          }
          const handler = own.find((s) => s.name === framework.clientPath[1]);
          assert.equal(handler?.attributes['http.route'], '/items/:id');

          assert.deepEqual(pathToRoot(spans, client), framework.clientPath);
          assert.equal(client.scope.name, '@opentelemetry/instrumentation-undici');
          assert.equal(client.attributes['url.full'], next);
          assert.equal(client.attributes['http.response.status_code'], 200);
          assert.equal(
            downServer.parentSpanId,
            client.spanId,
            'the trace crosses into the downstream service',
          );

          assert.deepEqual(
            spans.filter((s) => s.traceId !== server.traceId).map((s) => s.name),
            [],
            'every span belongs to the /items trace (/health makes none)',
          );
          assert.equal(server.resource['service.name'], service);
          assert.equal(server.resource['telemetry.distro.name'], '@logos/otel');
          assert.equal(server.resource['process.pid'], app.child.pid);
        },
        { show: [downstream] },
      );
    });
  }
});
