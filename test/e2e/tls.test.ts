// OTLP/gRPC export over TLS to a receiver with a self-signed certificate (made at test time,
// test/helpers/certificate.ts): it works when OTEL_EXPORTER_OTLP_CERTIFICATE names the certificate, and without it the
// app runs on with one clear line saying why nothing is exported. Fixture: short-script.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Receiver, startReceiver } from '../../src/receiver/index.js';
import { type Certificate, selfSignedCertificate } from '../helpers/certificate.js';
import { spansOf } from '../helpers/otlp.js';
import { runFixture } from '../helpers/run-fixture.js';

let certificate: Certificate | undefined;
let r: Receiver;
/**
 * `https://localhost:port`: a name, not 127.0.0.1, because grpc-js sends an IP address as the TLS
 * server name, for which Node prints a DEP0123 deprecation warning on the app's stderr.
 */
let endpoint: string;

before(async () => {
  certificate = selfSignedCertificate();
  r = await startReceiver({
    host: '127.0.0.1',
    grpcPort: 0,
    httpPort: false,
    tls: { cert: certificate.cert, key: certificate.key },
  });
  endpoint = `https://localhost:${r.grpcPort}`;
});
after(async () => {
  await r?.close();
  certificate?.remove();
});

test('with OTEL_EXPORTER_OTLP_CERTIFICATE the spans arrive over TLS, and nothing is printed', async () => {
  const run = await runFixture({
    script: 'short-script.mjs',
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_CERTIFICATE: (certificate as Certificate).certFile,
      OTEL_SERVICE_NAME: 'tls-ok',
      SPANS: '5',
    },
    timeoutMs: 15_000,
  });
  assert.deepEqual({ code: run.code, signal: run.signal }, { code: 0, signal: null }, run.output);
  assert.equal(spansOf(r, 'tls-ok').filter((s) => s.name === 'short.work').length, 5, run.output);
  assert.equal(run.stderr, '', run.output);
});

test('without the certificate: no export, the app exits as usual, one line naming the reason', async () => {
  const run = await runFixture({
    script: 'short-script.mjs',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'tls-untrusted', EXIT_CODE: '4' },
    timeoutMs: 15_000,
  });
  assert.deepEqual({ code: run.code, signal: run.signal }, { code: 4, signal: null }, run.output);
  assert.deepEqual(spansOf(r, 'tls-untrusted'), []);
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  const traces = lines.filter((l) => l.includes('cannot export traces'));
  assert.equal(traces.length, 1, run.output);
  assert.match(
    traces[0] ?? '',
    /^@logos\/otel: cannot export traces to https:\/\/localhost:\d+ \(.*self-signed certificate/,
  );
  assert.ok(
    lines.every((l) => l.startsWith('@logos/otel: ')),
    `only the agent's own lines, no stack trace\n${run.output}`,
  );
});
