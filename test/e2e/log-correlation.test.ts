// pino and winston log records carry trace_id and span_id of the request's server span, also with
// no export configured.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portOf, startFixture, supervise } from '../helpers/run-fixture.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

test('pino and winston lines carry the trace id of the request', async () => {
  const app = startFixture({ script: 'log-correlation.mjs', env: { OTEL_SERVICE_NAME: 'logs' } });
  await supervise(app, async () => {
    const port = await portOf(app);
    await (
      await fetch(`http://127.0.0.1:${port}/`, {
        headers: { traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01` },
      })
    ).text();
    await app.stop();
    const records = app.stdout
      .split('\n')
      .filter((line) => line.includes('handling'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(records.length, 2, app.stdout);
    for (const record of records) {
      assert.equal(record.trace_id, TRACE_ID, JSON.stringify(record));
      assert.match(String(record.span_id), /^[0-9a-f]{16}$/);
      assert.notEqual(record.span_id, 'b7ad6b7169203331', 'the span is the service’s own server span');
    }
  });
});
