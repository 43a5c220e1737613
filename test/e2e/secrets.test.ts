// Secrets stay out of telemetry and out of every line the agent prints: Authorization, Cookie,
// Set-Cookie and API-key headers are never on spans, URL credentials and secret query values are
// redacted, and OTEL_EXPORTER_OTLP_HEADERS values (sent to the collector) are never printed, even
// at OTEL_LOG_LEVEL=all with the console exporter on and the collector failing.
// Fixtures: secrets-service.mjs, short-script.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { status } from '@grpc/grpc-js';
import { type FaultCollector, faultCollector } from '../helpers/fault-collector.js';
import { closedPort, KIND } from '../helpers/otlp.js';
import { portOf, runFixture, startFixture, supervise } from '../helpers/run-fixture.js';

const OTLP_SECRET = 'SECRET-OTLP-HEADER';

let collector: FaultCollector;
before(async () => {
  collector = await faultCollector();
});
after(() => collector.close());

/** Everything a backend would store of a span, as one string to search. */
function dump(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
}

test('secret headers are never recorded and URL secrets are redacted, on server and client spans', async () => {
  const service = 'secrets';
  const app = startFixture({
    script: 'secrets-service.mjs',
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
      OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${OTLP_SECRET},x-tenant=logos`,
      OTEL_SERVICE_NAME: service,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_METRICS_EXPORTER: 'none',
    },
  });
  await supervise(
    app,
    async () => {
      const port = await portOf(app);
      const query = 'token=SECRET-Q-TOKEN&key=SECRET-Q-KEY&sig=SECRET-Q-SIG&signature=SECRET-Q-SIGNATURE';
      const res = await fetch(`http://127.0.0.1:${port}/front?${query}&password=SECRET-Q-PASSWORD&page=2`, {
        headers: {
          authorization: 'Bearer SECRET-IN-AUTH',
          cookie: 'sid=SECRET-IN-COOKIE',
          'x-api-key': 'SECRET-IN-API-KEY',
          'api-key': 'SECRET-IN-API-KEY2',
        },
      });
      assert.equal(await res.text(), 'ok');
      assert.match(res.headers.get('set-cookie') ?? '', /SECRET-SET-COOKIE/, 'the app did set a cookie');
      // One server span for /front, two client spans and two server spans for /down.
      await collector.waitFor(() => collector.spansOf(service).length >= 5, 10_000);
      const spans = collector.spansOf(service);
      assert.doesNotMatch(dump(spans), /SECRET/, `a secret reached the collector:\n${dump(spans)}`);

      const front = spans.find((s) => s.kind === KIND.server && s.attributes['url.path'] === '/front');
      assert.ok(front, dump(spans));
      assert.match(String(front.attributes['url.query']), /token=\[REDACTED\].*page=2/);
      const clients = spans.filter((s) => s.kind === KIND.client);
      assert.equal(clients.length, 2, dump(spans));
      const urls = clients.map((s) => String(s.attributes['url.full'])).sort();
      assert.match(urls.join(' '), /api_key=\[REDACTED\]&page=1/, 'http.get: the query is redacted');
      assert.match(
        urls.join(' '),
        /access_token=\[REDACTED\]&sig=\[REDACTED\]&page=3/,
        'fetch: the query is redacted',
      );
      assert.ok(
        urls.every((u) => u.startsWith('http://127.0.0.1:') || u.startsWith('http://[REDACTED]@127.0.0.1:')),
        `no user:password in url.full: ${urls.join(' ')}`,
      );

      // The configured header went to the collector, and nowhere else.
      assert.equal(collector.lastMetadata?.get('authorization')[0], `Bearer ${OTLP_SECRET}`);
      assert.equal(collector.lastMetadata?.get('x-tenant')[0], 'logos');
      assert.equal(app.stderr, '', app.output());
    },
    { stop: 'SIGKILL' },
  );
});

test('OTEL_EXPORTER_OTLP_HEADERS and endpoint credentials are never printed, whatever goes wrong', async () => {
  const failing = await faultCollector({ mode: { kind: 'status', code: status.UNAVAILABLE } });
  const closed = await closedPort();
  try {
    const endpoints = [
      failing.endpoint,
      `http://otel:SECRET-ENDPOINT-PASSWORD@127.0.0.1:${closed}`,
      `127.0.0.1:${closed}?token=SECRET-ENDPOINT-TOKEN`,
    ];
    for (const endpoint of endpoints) {
      for (const protocol of ['grpc', 'http/protobuf']) {
        const run = await runFixture({
          script: 'short-script.mjs',
          env: {
            OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
            OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
            OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${OTLP_SECRET},api-key=SECRET-API-KEY`,
            OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-trace-token=SECRET-TRACES-HEADER',
            OTEL_LOG_LEVEL: 'all',
            OTEL_EXPORT_CONSOLE: 'true',
            OTEL_METRIC_EXPORT_INTERVAL: '200',
            OTEL_SERVICE_NAME: 'secrets-printed',
            LOGOS_OTEL_SHUTDOWN_TIMEOUT: '500',
          },
          timeoutMs: 15_000,
        });
        const output = `${run.stdout}\n${run.stderr}`;
        assert.equal(run.code, 0, run.output);
        assert.match(run.stderr, /short\.work/, 'the console exporter printed the spans');
        assert.doesNotMatch(output, /SECRET/, `${endpoint} over ${protocol}:\n${run.output}`);
      }
    }
  } finally {
    await failing.close();
  }
});
