// A self-signed certificate for localhost and 127.0.0.1, made with openssl in a fresh temporary
// directory, for the TLS tests (npm test makes sure openssl is there: scripts/stack-tools.mjs), and
// a TLS receiver that uses one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type Receiver, startReceiver } from '../../src/receiver/index.js';

export interface Certificate {
  readonly keyFile: string;
  readonly certFile: string;
  readonly key: Buffer;
  readonly cert: Buffer;
  /** Deletes the directory holding the files. */
  remove(): void;
}

/** Makes a key and a one-day certificate whose names are localhost and 127.0.0.1. */
export function selfSignedCertificate(): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'logos-otel-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost'],
      ...['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
      ...['-keyout', keyFile, '-out', certFile],
    ],
    { stdio: 'ignore' },
  );
  return {
    keyFile,
    certFile,
    key: readFileSync(keyFile),
    cert: readFileSync(certFile),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A gRPC-only receiver on 127.0.0.1 serving TLS with a new self-signed certificate; both go when
 * `t` ends. Its clients trust it through `certificate.certFile`.
 */
export async function tlsReceiver(t: TestContext): Promise<{ receiver: Receiver; certificate: Certificate }> {
  const certificate = selfSignedCertificate();
  t.after(() => certificate.remove());
  const receiver = await startReceiver({
    host: '127.0.0.1',
    grpcPort: 0,
    httpPort: false,
    tls: { cert: certificate.cert, key: certificate.key },
  });
  t.after(() => receiver.close());
  return { receiver, certificate };
}
