// Bad OTEL_* values: the app starts and works, each bad variable gets one warning line naming it
// and what is used instead, and no secret is printed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portOf, startFixture, supervise } from '../helpers/run-fixture.js';

const BAD: Record<string, string> = {
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://user:hunter2@[::1',
  OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer hunter2,oops',
  OTEL_EXPORTER_OTLP_TIMEOUT: 'soon',
  OTEL_TRACES_SAMPLER: 'sometimes',
  OTEL_METRIC_EXPORT_INTERVAL: '-1',
  OTEL_BSP_MAX_QUEUE_SIZE: 'lots',
  OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,warp-drive',
  OTEL_PROPAGATORS: 'tracecontext,pigeon',
  OTEL_LOG_LEVEL: 'shouty',
  OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '0',
  OTEL_SDK_DISABLED: 'perhaps',
};

test('the app starts with every variable malformed and says one line per variable', async () => {
  const app = startFixture({ script: 'http-service.mjs', env: { ...BAD, OTEL_SERVICE_NAME: 'bad' } });
  await supervise(app, async () => {
    const port = await portOf(app);
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/hello`)).text(), 'hello ');
    const exit = await app.stop();
    assert.equal(exit.signal, 'SIGTERM');
    const lines = app.stderr.trim().split('\n');
    for (const variable of Object.keys(BAD)) {
      const mine = lines.filter((line) => line.includes(variable));
      assert.equal(mine.length, 1, `${variable}: ${mine.join(' | ')}`);
      assert.match(mine[0] ?? '', /^@logos\/otel: /);
    }
    assert.ok(
      lines.every((line) => line.startsWith('@logos/otel: ')),
      'nothing but our warnings',
    );
    assert.ok(!app.stderr.includes('hunter2'), 'no secret in any line');
    assert.ok(!/\n\s+at /.test(app.stderr), 'no stack trace');
  });
});

test('OTEL_SDK_DISABLED=true: the app runs untouched and silent', async () => {
  const app = startFixture({
    script: 'http-service.mjs',
    env: { OTEL_SDK_DISABLED: 'true', OTEL_EXPORT_CONSOLE: 'true' },
  });
  await supervise(app, async () => {
    const port = await portOf(app);
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/hello`)).text(), 'hello ');
    await app.stop();
    assert.equal(app.stderr, '');
  });
});
