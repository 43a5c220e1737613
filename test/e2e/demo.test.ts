// `npm run demo` end to end, as a user runs it (through tsx, like the npm script): the trace tree
// crossing the three services, the metrics summary, everything stopped afterwards (also on Ctrl-C),
// and the same demo sending to a collector when OTEL_EXPORTER_OTLP_ENDPOINT is set.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { test } from 'node:test';
import { receiver } from '../helpers/otlp.js';
import { startFixture, supervise } from '../helpers/run-fixture.js';

const DEMO = '../../scripts/demo.ts';

/** The service URLs the demo printed, which must all be closed once it has exited. */
function serviceUrls(stdout: string): string[] {
  return [...stdout.matchAll(/(?:hermes|sophia|apollo api) (http:\/\/127\.0\.0\.1:\d+)/g)].map(
    (m) => m[1] as string,
  );
}

async function assertClosed(urls: string[]): Promise<void> {
  assert.equal(urls.length, 3, 'the demo names its three services');
  for (const url of urls) {
    await assert.rejects(fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }), `${url} is stopped`);
  }
}

test('the demo prints one trace across apollo, sophia and hermes, then stops everything', async () => {
  const demo = startFixture({
    script: DEMO,
    register: false,
    tsx: true,
    args: ['tidy the lab'],
    timeoutMs: 60_000,
  });
  const exit = await demo.exited;
  await supervise(demo, async () => {
    assert.equal(exit.code, 0, demo.output());
    const out = demo.stdout;
    assert.match(out, /\$ apollo plan "tidy the lab"/);
    assert.match(out, /^trace [0-9a-f]{32} .*services: .*(apollo|sophia|hermes)/m);
    for (const name of [
      'apollo.command',
      'apollo.api.sophia',
      'sophia.plan',
      'sophia.simulate',
      'hermes.embed',
      'hermes.llm',
    ]) {
      assert.match(out, new RegExp(`\\s${name.replace('.', '\\.')}\\s+\\|`), `${name} in the tree`);
    }
    assert.match(out, /^metrics$/m);
    assert.match(out, /^ {2}sophia: \d+ requests/m);
    assert.doesNotMatch(out, /Jaeger/, 'nothing went to a collector, so Jaeger has nothing to show');
    await assertClosed(serviceUrls(out));
  });
});

test('with OTEL_EXPORTER_OTLP_ENDPOINT the demo sends to that collector', async () => {
  const collector = await receiver();
  try {
    const demo = startFixture({
      script: DEMO,
      register: false,
      tsx: true,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.grpcEndpoint },
      timeoutMs: 60_000,
    });
    const exit = await demo.exited;
    assert.equal(exit.code, 0, demo.output());
    assert.match(demo.stdout, /went to http:\/\/127\.0\.0\.1:\d+; .*open Jaeger/);
    await collector.waitFor(() => {
      const names = new Set(collector.spans.map((s) => String(s.resource['service.name'])));
      return names.has('apollo') && names.has('sophia') && names.has('hermes');
    }, 10_000);
    await assertClosed(serviceUrls(demo.stdout));
  } finally {
    await collector.close();
  }
});

test('with OTEL_EXPORTER_OTLP_ENDPOINT at a closed port the demo says nothing was delivered, not "open Jaeger"', async () => {
  const closed = createServer().listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const demo = startFixture({
    script: DEMO,
    register: false,
    tsx: true,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` },
    timeoutMs: 60_000,
  });
  const exit = await demo.exited;
  assert.equal(exit.code, 0, demo.output());
  assert.match(
    demo.stdout,
    new RegExp(`nothing was delivered: http://127\\.0\\.0\\.1:${port} refused the connection`),
  );
  assert.doesNotMatch(demo.stdout, /Jaeger/);
  await assertClosed(serviceUrls(demo.stdout));
});

test('Ctrl-C stops the demo and every service it started', async () => {
  const demo = startFixture({ script: DEMO, register: false, tsx: true, timeoutMs: 60_000 });
  await supervise(demo, async () => {
    // Interrupt once the services are up.
    await demo.line(() => serviceUrls(demo.stdout).length >= 3, { timeoutMs: 30_000 }).catch(() => undefined);
    demo.child.kill('SIGINT');
    const exit = await demo.exited;
    assert.equal(exit.code, 130, demo.output());
    await assertClosed(serviceUrls(demo.stdout));
  });
});
