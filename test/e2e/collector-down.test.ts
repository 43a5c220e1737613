// Collector down or hanging: the service answers every request as before, and the agent says so
// once per signal (one warning line, no stack trace, nothing per batch). Fixture: http-service.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { blackHole } from '../helpers/black-hole.js';
import { closedPort } from '../helpers/otlp.js';
import { portOf, startFixture, supervise } from '../helpers/run-fixture.js';

const WARNING = /^@logos\/otel: cannot export (traces|metrics) to http:\/\/127\.0\.0\.1:\d+ /;
const FINAL = /^@logos\/otel: (traces|metrics) export to http:\/\/127\.0\.0\.1:\d+ failed until exit: \d+ /;

function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '');
}

test('collector on a closed port: every request is answered, one warning line, nothing else', async () => {
  const port = await closedPort();
  const app = startFixture({
    script: 'http-service.mjs',
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_SERVICE_NAME: 'collector-down',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
    },
    timeoutMs: 15_000,
  });
  await supervise(
    app,
    async () => {
      const appPort = await portOf(app);
      // 40 requests over ~1.6 s: several batches fail, some after the first back-off (1 s) is over.
      for (let round = 0; round < 8; round++) {
        const bodies = await Promise.all(
          Array.from({ length: 5 }, async () => {
            const res = await fetch(`http://127.0.0.1:${appPort}/hello`);
            return `${res.status} ${await res.text()}`;
          }),
        );
        assert.deepEqual(bodies, Array(5).fill('200 hello '), app.output());
        await sleep(200);
      }

      const running = stderrLines(app.stderr);
      assert.equal(running.filter((l) => l.includes('cannot export traces')).length, 1, app.output());
      assert.ok(running.filter((l) => l.includes('cannot export metrics')).length <= 1, app.output());
      assert.deepEqual(
        running.filter((l) => !WARNING.test(l)),
        [],
        `only the one warning per signal while running\n${app.output()}`,
      );

      const exit = await app.stop();
      assert.deepEqual(
        { code: exit.code, signal: exit.signal },
        { code: null, signal: 'SIGTERM' },
        app.output(),
      );
      const all = stderrLines(app.stderr);
      assert.doesNotMatch(app.stderr, /^\s+at /m, 'no stack trace');
      // At exit, at most one closing count per signal of what was dropped.
      assert.deepEqual(
        all.filter((l) => !WARNING.test(l) && !FINAL.test(l)),
        [],
        `only the warnings and the closing counts\n${app.output()}`,
      );
      assert.ok(all.filter((l) => FINAL.test(l)).length <= 2, app.output());
      assert.deepEqual(
        app.stdout.split('\n').filter((l) => l !== ''),
        [app.stdout.split('\n')[0]],
        'stdout has only the app own line',
      );
    },
    { stop: 'SIGKILL' },
  );
});

test('a collector that never answers: one warning line per signal, none from the SDK itself', async () => {
  const hole = await blackHole();
  const app = startFixture({
    script: 'http-service.mjs',
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: hole.endpoint,
      OTEL_SERVICE_NAME: 'collector-hangs',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      // The metric reader gives up (after one interval) before the export's own 1 s deadline.
      OTEL_METRIC_EXPORT_INTERVAL: '500',
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
    },
    timeoutMs: 15_000,
  });
  try {
    await supervise(
      app,
      async () => {
        const appPort = await portOf(app);
        for (let i = 0; i < 10; i++) {
          const res = await fetch(`http://127.0.0.1:${appPort}/hello`);
          assert.equal(`${res.status} ${await res.text()}`, '200 hello ', app.output());
          await sleep(200);
        }
        const lines = stderrLines(app.stderr);
        assert.equal(lines.filter((l) => l.includes('cannot export traces')).length, 1, app.output());
        assert.equal(lines.filter((l) => l.includes('cannot export metrics')).length, 1, app.output());
        assert.deepEqual(
          lines.filter((l) => !WARNING.test(l)),
          [],
          `only the one warning per signal while running\n${app.output()}`,
        );
      },
      { stop: 'SIGKILL' },
    );
  } finally {
    await hole.close();
  }
});
