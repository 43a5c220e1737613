// The agent's own failures never reach the app: an instrumentation whose patch throws (a real
// instrumentation against a deliberately malformed package) is left out, and an exporter that cannot
// be built (TLS client files that are not PEM) leaves the app serving; each is said once.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { closedPort, exportTo, type Receiver, receiver, spansOf } from '../helpers/otlp.js';
import { portOf, ROOT, runFixture, startFixture, supervise } from '../helpers/run-fixture.js';

let r: Receiver;
/** test/.tmp-*: inside the package (so the app can import @logos/otel), ignored by git. */
let dir: string;

before(async () => {
  r = await receiver();
  dir = mkdtempSync(join(ROOT, 'test', '.tmp-agent-failures-'));
  // An "express" whose version is in the instrumentation's range (>=4 <6) but which has no Router:
  // @opentelemetry/instrumentation-express's patch throws a TypeError on it.
  const pkg = join(dir, 'node_modules', 'express');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: 'express', version: '5.0.0', main: 'index.js' }),
  );
  writeFileSync(
    join(pkg, 'index.js'),
    "module.exports = function express() { return 'broken express works'; };\n",
  );
  const body = (load: string) =>
    `${load}\nconst { withSpan } = await import('@logos/otel');\n` +
    "await withSpan('broken.work', async () => console.log(express()));\n";
  writeFileSync(join(dir, 'app.mjs'), body("import express from 'express';"));
  writeFileSync(
    join(dir, 'app.cjs'),
    `(async () => {\n${body("const express = require('express');")}})();\n`,
  );
  writeFileSync(join(dir, 'not-pem.pem'), 'this is not a PEM file\n');
});
after(async () => {
  await r.close();
  rmSync(dir, { recursive: true, force: true });
});

for (const app of ['app.mjs', 'app.cjs']) {
  test(`an instrumentation that throws while patching is left out; the app (${app}) runs and it is said once`, async () => {
    const service = `broken-express-${app.replace('.', '-')}`;
    const run = await runFixture({ script: join(dir, app), env: exportTo(r, service), timeoutMs: 15_000 });
    assert.deepEqual({ code: run.code, signal: run.signal }, { code: 0, signal: null }, run.output);
    assert.match(run.stdout, /^broken express works$/m, run.output);
    assert.deepEqual(
      run.stderr.split('\n').filter((l) => l !== ''),
      [
        '@logos/otel: the express instrumentation failed while patching express and is left out: ' +
          "TypeError: Cannot read properties of undefined (reading 'route')",
      ],
      run.output,
    );
    assert.equal(
      spansOf(r, service).filter((s) => s.name === 'broken.work').length,
      1,
      'the agent still works',
    );
  });
}

test('an exporter that cannot be built (TLS client files not PEM): the app serves on, one line per signal', async () => {
  const port = await closedPort();
  const app = startFixture({
    script: 'http-service.mjs',
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `https://localhost:${port}`,
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: join(dir, 'not-pem.pem'),
      OTEL_EXPORTER_OTLP_CLIENT_KEY: join(dir, 'not-pem.pem'),
      OTEL_SERVICE_NAME: 'unbuildable-exporter',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
      // Back-off over quickly: several exports try (and fail) to build the exporter.
    },
    timeoutMs: 15_000,
  });
  await supervise(
    app,
    async () => {
      const appPort = await portOf(app);
      for (let i = 0; i < 12; i++) {
        const res = await fetch(`http://127.0.0.1:${appPort}/hello`);
        assert.equal(`${res.status} ${await res.text()}`, '200 hello ', app.output());
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const lines = app.stderr.split('\n').filter((l) => l !== '');
      for (const signal of ['traces', 'metrics']) {
        const mine = lines.filter((l) => l.includes(`cannot export ${signal}`));
        assert.equal(mine.length, 1, `one line for ${signal}\n${app.output()}`);
        assert.match(mine[0] ?? '', /\((error:.*PEM|.*certificate|.*key)/i, 'the reason is named');
      }
      assert.deepEqual(
        lines.filter((l) => !l.includes('cannot export')),
        [],
        `nothing else, no stack trace\n${app.output()}`,
      );
    },
    { stop: 'SIGKILL' },
  );
});
