// Reads the PEM files the TLS variables name (OTEL_EXPORTER_OTLP_CERTIFICATE and the client pair)
// and checks that TLS can use them, without loading an exporter. Loaded by the export worker's
// senders (export/worker/), which hand them to TLS, and by export/collector-probe.ts, so that a bad
// file is reported as such before the collector is dialled.
import { readFile } from 'node:fs/promises';
import type { SignalExport } from './export.js';

/** The contents of the TLS files one signal names. */
export type Tls = { ca?: Buffer; cert?: Buffer; key?: Buffer };

/** Reads the PEM files the TLS variables name; a file that cannot be read fails with its name. */
export async function readTls(signal: SignalExport): Promise<Tls> {
  const read = async (path: string | undefined, what: string): Promise<Buffer | undefined> => {
    if (path === undefined) return undefined;
    try {
      return await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new Error(`cannot read the ${what} file ${path} (${code})`);
    }
  };
  const [ca, cert, key] = await Promise.all([
    read(signal.tls.caFile, 'CA certificate (OTEL_EXPORTER_OTLP_CERTIFICATE)'),
    read(signal.tls.certFile, 'client certificate (OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE)'),
    read(signal.tls.keyFile, 'client key (OTEL_EXPORTER_OTLP_CLIENT_KEY)'),
  ]);
  return { ca, cert, key };
}

/**
 * Rejects with the reason the exporter would fail with when the TLS files cannot be read or are
 * not usable PEM (as Node's TLS, which both exporters use, parses them); resolves at once when
 * none is named.
 */
export async function checkTls(signal: SignalExport): Promise<void> {
  const { caFile, certFile, keyFile } = signal.tls;
  if (caFile === undefined && certFile === undefined && keyFile === undefined) return;
  const tls = await readTls(signal);
  // A plain-text connection never parses them: reading them is all the exporter does then.
  if (signal.insecure) return;
  // Not imported up front: node:tls and crypto are not loaded at start-up in every app.
  const { createSecureContext } = await import('node:tls');
  createSecureContext({ ...tls });
}
