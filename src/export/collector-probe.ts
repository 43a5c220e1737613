// A plain TCP connect to the collector, made before the OTLP exporter (gRPC or HTTP and protobuf,
// ~50 ms of loading) is loaded, so that a collector that is not there costs a connect, not a load.
// Loaded by traces/pipeline.ts and metrics/pipeline.ts, for the ExportGuard of each signal, and by
// the doctor.
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { SignalExport } from '../config/export.js';
import { checkTls } from '../config/tls-files.js';

/** Where the collector of one signal listens: what its exporter would connect to. */
export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
}

/**
 * The ExportGuard probe of `signal`: its TLS files first (a bad one is the problem to report, as
 * it was when the exporter was built first), then a connect to its collector. Undefined when the
 * signal is not probed (a proxy may carry its connection): the exporter then loads at once.
 */
export function signalProbe(signal: SignalExport, timeoutMs: number): (() => Promise<void>) | undefined {
  const target = signal.probe;
  if (target === undefined) return undefined;
  // Good files stay good: they are read once, not at every retry (a bad one is checked again).
  let tlsChecked = false;
  return async () => {
    if (!tlsChecked) {
      await checkTls(signal);
      tlsChecked = true;
    }
    await probeCollector(target, timeoutMs);
  };
}

/** Probes in progress, by host and port: the two signals usually share one collector, and one connect. */
const inProgress = new Map<string, Promise<void>>();
/** When each collector last answered: a probe right after one (warm-up or exit flush) needs no connect. */
const answeredAt = new Map<string, number>();
const ANSWER_FRESH_MS = 1000;

/**
 * Resolves once a TCP connection to `target` opens (it is closed at once, nothing is sent) and
 * rejects with the connect error, or when none opens within `timeoutMs`. It never holds the
 * process open: an exit flush that waits for it has its own referenced deadline.
 */
export function probeCollector(target: ProbeTarget, timeoutMs: number): Promise<void> {
  const key = `${target.host}:${target.port}`;
  if (Date.now() - (answeredAt.get(key) ?? Number.NEGATIVE_INFINITY) < ANSWER_FRESH_MS)
    return Promise.resolve();
  let probe = inProgress.get(key);
  if (probe === undefined) {
    probe = dial(target, timeoutMs)
      .then(() => void answeredAt.set(key, Date.now()))
      .finally(() => inProgress.delete(key));
    inProgress.set(key, probe);
  }
  return probe;
}

async function dial(target: ProbeTarget, timeoutMs: number): Promise<void> {
  // Not imported up front: node:net is not loaded at start-up in every app.
  const { connect } = await import('node:net');
  return new Promise<void>((resolve, reject) => {
    // Never traced (net and dns instrumentations), nor part of the trace whose span set it off.
    const socket = context.with(suppressTracing(ROOT_CONTEXT), () =>
      connect({ host: target.host, port: target.port }),
    );
    socket.unref();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect to ${target.host}:${target.port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(reason(error)));
    });
  });
}

/** Node's own message ("connect ECONNREFUSED 127.0.0.1:4317"); one per address when several were tried. */
function reason(error: Error): string {
  if (error.message !== '') return error.message;
  const each = error instanceof AggregateError ? error.errors.map((e: Error) => e.message) : [];
  return each.length > 0 ? each.join('; ') : String((error as NodeJS.ErrnoException).code ?? error);
}
