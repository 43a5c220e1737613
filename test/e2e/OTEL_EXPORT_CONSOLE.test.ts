// OTEL_EXPORT_CONSOLE=true prints one compact line per finished span on stderr, and no secrets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portOf, startFixture, supervise } from '../helpers/run-fixture.js';

test('each finished span is one readable line: service, name, duration, ids, key attributes', async () => {
  const app = startFixture({
    script: 'http-service.mjs',
    env: { OTEL_EXPORT_CONSOLE: 'true', OTEL_SERVICE_NAME: 'sophia' },
  });
  await supervise(app, async () => {
    const port = await portOf(app);
    const self = encodeURIComponent(`http://127.0.0.1:${port}/health?token=s3cret`);
    await (await fetch(`http://127.0.0.1:${port}/hello?next=${self}&api_key=k3y`)).text();
    await app.stop();
    const lines = app.stderr.trim().split('\n');
    assert.equal(lines.length, 3, 'server span, fetch client span, manual span; /health makes none');
    for (const line of lines) {
      assert.match(
        line,
        /^\[otel\] sophia \S+ \d+(\.\d+)?ms (server|client|internal) trace=[0-9a-f]{32} span=[0-9a-f]{16}/,
      );
    }
    const server = lines.find((line) => / server /.test(line)) ?? '';
    assert.match(server, /http\.request\.method=GET/);
    assert.match(server, /http\.response\.status_code=200/);
    assert.match(lines.find((line) => line.includes('fixture.work')) ?? '', /work\.kind=hello/);
    const client = lines.find((line) => / client /.test(line)) ?? '';
    const traceOf = (line: string) => /trace=(\w+)/.exec(line)?.[1];
    assert.equal(traceOf(client), traceOf(server));
    assert.ok(!app.stderr.includes('s3cret') && !app.stderr.includes('k3y'), app.stderr);
  });
});
