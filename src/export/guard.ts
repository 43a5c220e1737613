// Wraps a real OTLP exporter so that a missing, slow or broken collector costs the service nothing:
// the exporter is loaded on first use (off the start-up path) and only once the collector answers a
// plain connect, each export has a hard time limit, and after a failure exports are dropped without
// being serialized until a back-off has passed. Made by traces/pipeline.ts and metrics/meter-provider.ts.
import { context, diag, ROOT_CONTEXT } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode, suppressTracing } from '@opentelemetry/core';
import { errorLine } from '../util/error-line.js';
import type { ExportReporter } from './reporter.js';

/** The part of a span or metric exporter the guard drives. */
export interface Exporter<T> {
  export(items: T, resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
  /**
   * Sends `batches` and blocks until they, and every export in flight, are sent or `timeoutMs` has
   * passed (for an 'exit' handler, where no turn of the event loop is left); whether they were.
   */
  exportSync?(batches: readonly T[], timeoutMs: number): boolean;
}

export interface ExportGuardOptions<T> {
  /** Builds the real exporter; called once, at the first export the collector is there for. */
  readonly load: () => Promise<Exporter<T>>;
  /**
   * Builds the exporter synchronously, for the hand-off at exit when {@link load} has not finished
   * (a process that ends right after its first spans); without it, those spans count as lost.
   */
  readonly loadAtExit?: () => Exporter<T>;
  /**
   * A cheap check that an export can work at all (the TLS files usable, the collector answering a
   * TCP connect), rejecting with the reason when not; run before each attempt to load the exporter,
   * until one succeeds.
   */
  readonly probe?: () => Promise<void>;
  readonly reporter: ExportReporter;
  /** How many items one export carries (spans in a batch; 1 for a metrics export). */
  readonly count: (items: T) => number;
  /** An export with nothing in it (no spans; no metrics), sent once by {@link ExportGuard.warmUp}. */
  readonly empty?: () => T;
  readonly timeoutMs: number;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

const EXPORT_CONTEXT = suppressTracing(ROOT_CONTEXT);

/** How long the exporter may take to start (after the probe) before the export counts as failed. */
const LOAD_LIMIT_MS = 10_000;

/** Marks an error the guard has already reported, so the global error handler stays quiet. */
export const REPORTED = Symbol.for('@logos/otel.reported');

/** Loads, time-limits and circuit-breaks one real exporter (see the file comment). */
export class ExportGuard<T> implements Exporter<T> {
  private exporter: Promise<Exporter<T>> | undefined;
  /** The exporter, once loaded: what a synchronous export at exit can use. */
  private loaded: Exporter<T> | undefined;
  /** Exports accepted but not yet handed to the exporter (it is loading, or a promise turn away). */
  private readonly unsent = new Set<{ readonly items: T; readonly finish: (result: ExportResult) => void }>();
  private downUntil = 0;
  private backoffMs: number;
  private inFlightCount = 0;
  private stopped = false;
  /** Whether anything has gone through send(): a real export or the empty one. */
  private sent = false;
  /** When the current streak of failures began; undefined while exports succeed. */
  private failingSince: number | undefined;
  /** Bumped at each failure that starts or lengthens a back-off. */
  private failures = 0;

  constructor(private readonly options: ExportGuardOptions<T>) {
    this.backoffMs = options.initialBackoffMs ?? 1000;
  }

  /** True while the collector is known to be failing: callers may drop work without queuing it. */
  isDown(now = Date.now()): boolean {
    return now < this.downUntil;
  }

  /** Items (spans) inside the exports now in progress. */
  get inFlightItems(): number {
    return this.inFlightCount;
  }

  /** Whether anything (an export, or the empty one of {@link warmUp}) has been sent through the exporter. */
  get used(): boolean {
    return this.sent;
  }

  /**
   * Loads the real exporter ahead of the first export, and sends nothing. A collector that does not
   * answer the probe is not reported here (the service may never make a span): the next export
   * probes again.
   */
  preload(): void {
    if (this.stopped) return;
    context
      .with(EXPORT_CONTEXT, () => this.real())
      .then(() => diag.debug('export: an exporter is loaded ahead of the first export'))
      .catch(() => undefined);
  }

  /**
   * Sends an empty export ahead of the first real one: exporters open their connection only at
   * their first call, so without this a short script would pay for the handshake in its exit flush,
   * and learn only there that the collector is down. After it, the first real export finds the
   * connection open, or the collector known to be failing (and the reason already said). Called
   * once the first request is over (boot/sdk.ts), when an exit flush would have to reach the collector
   * anyway: an idle process never waits for a collector that does not answer. Only the first call
   * counts.
   */
  warmUp(): void {
    if (this.sent || this.stopped) return;
    const empty = this.options.empty;
    if (empty === undefined) this.preload();
    else this.send(empty(), 0, () => undefined);
  }

  export(items: T, resultCallback: (result: ExportResult) => void): void {
    this.send(items, this.options.count(items), resultCallback);
  }

  private send(items: T, count: number, resultCallback: (result: ExportResult) => void): void {
    this.sent = true;
    if (this.stopped || this.isDown()) {
      this.options.reporter.failed(count, undefined);
      resultCallback(failure(new Error('export skipped: the collector is failing')));
      return;
    }
    this.inFlightCount += count;
    const failuresAtStart = this.failures;
    let settled = false;
    const finish = (result: ExportResult): void => {
      if (settled) return;
      settled = true;
      this.unsent.delete(entry);
      clearTimeout(timer);
      this.inFlightCount -= count;
      if (result.code === ExportResultCode.SUCCESS) {
        this.backoffMs = this.options.initialBackoffMs ?? 1000;
        this.downUntil = 0;
        this.failingSince = undefined;
        this.options.reporter.succeeded();
        resultCallback(result);
      } else if (this.failures !== failuresAtStart) {
        // Exports in flight when another one failed fail with it: one outage, one back-off step
        // (ten exports stuck on a 1 s hang would otherwise push the back-off to its 30 s maximum).
        this.options.reporter.failed(count, undefined);
        resultCallback(failure(result.error));
      } else {
        this.failures++;
        this.renewAfterLongOutage();
        this.downUntil = Date.now() + this.backoffMs;
        // A skipped export costs nothing, so the back-off stays short: export resumes within seconds.
        this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 5000);
        this.options.reporter.failed(count, describe(result.error));
        resultCallback(failure(result.error));
      }
    };
    // Starting the exporter (the export worker: a thread, gRPC loaded in it) has its own, longer
    // limit: a busy machine may take more than an export's time limit for it, and that says
    // nothing about the collector. The export's deadline starts once the exporter is there; it
    // also covers a stuck callback.
    const entry = { items, finish };
    this.unsent.add(entry);
    let timer = deadline(LOAD_LIMIT_MS, `the exporter did not start within ${LOAD_LIMIT_MS} ms`);
    function deadline(ms: number, message: string): NodeJS.Timeout {
      const t = setTimeout(() => finish(failure(new Error(message))), ms);
      t.unref();
      return t;
    }
    // Nothing the exporter does (gRPC or HTTP calls) may itself be traced, nor join the app's trace.
    context.with(EXPORT_CONTEXT, () =>
      this.real().then(
        (exporter) => {
          if (settled) return;
          this.unsent.delete(entry);
          clearTimeout(timer);
          timer = deadline(this.options.timeoutMs, `export timed out after ${this.options.timeoutMs} ms`);
          try {
            exporter.export(items, finish);
          } catch (error) {
            finish(failure(error));
          }
        },
        (error: unknown) => finish(failure(error)),
      ),
    );
  }

  /**
   * At exit, no turn of the event loop left: sends `items`, and the exports accepted but not yet
   * handed over, through an exporter that is already loaded and can block for it, and counts them
   * as lost otherwise; never throws. Whether they (and the exports in flight) were delivered.
   */
  exportAtExit(items: T, timeoutMs: number): boolean {
    const waiting = [...this.unsent];
    const batches = [...waiting.map((e) => e.items), items].filter((b) => this.options.count(b) > 0);
    const count = this.options.count(items);
    // Exports in flight are waited for too: the exporter finishes them before it answers.
    if (batches.length === 0 && this.inFlightCount === 0) return true;
    if (this.stopped || this.isDown()) {
      if (count > 0) this.options.reporter.failed(count, undefined);
      return false;
    }
    let exporter = this.loaded;
    try {
      exporter ??= this.options.loadAtExit?.();
    } catch {
      exporter = undefined;
    }
    if (exporter?.exportSync === undefined) {
      if (count > 0) this.options.reporter.failed(count, undefined);
      return false;
    }
    let delivered = false;
    try {
      delivered = context.with(EXPORT_CONTEXT, () => exporter.exportSync?.(batches, timeoutMs) ?? false);
    } catch {
      delivered = false;
    }
    const result: ExportResult = delivered
      ? { code: ExportResultCode.SUCCESS }
      : failure(new Error(`the export at exit did not finish within ${timeoutMs} ms`));
    for (const entry of waiting) entry.finish(result);
    if (delivered) {
      this.inFlightCount = 0;
      this.options.reporter.succeeded();
    } else if (count > 0) {
      this.options.reporter.failed(count, `the export at exit did not finish within ${timeoutMs} ms`);
    }
    return delivered;
  }

  async forceFlush(): Promise<void> {
    if (this.exporter === undefined) return;
    const exporter = await this.exporter.catch(() => undefined);
    await exporter?.forceFlush?.().catch(() => undefined);
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.exporter === undefined) return;
    const exporter = await this.exporter.catch(() => undefined);
    await exporter?.shutdown().catch(() => undefined);
  }

  /** Notes the exporter `loading` gives, for {@link exportAtExit}. */
  private keep(loading: Promise<Exporter<T>>): Promise<Exporter<T>> {
    return loading.then((exporter) => {
      this.loaded = exporter;
      return exporter;
    });
  }

  /**
   * After 10 s of failures, the next export gets a fresh exporter: gRPC's channel backs off its own
   * reconnection (up to minutes), so an old channel can stay unconnected long after the collector
   * is back. The old exporter finishes what it has in flight, then closes.
   */
  private renewAfterLongOutage(now = Date.now()): void {
    if (this.failingSince === undefined) {
      this.failingSince = now;
      return;
    }
    if (now - this.failingSince < 10_000 || this.exporter === undefined) return;
    const old = this.exporter;
    this.exporter = undefined;
    this.loaded = undefined;
    this.failingSince = now;
    void old.then((exporter) => exporter.shutdown()).catch(() => undefined);
  }

  /**
   * The real exporter, loaded once the probe (if any) has reached the collector. A failed probe
   * fails this export and is forgotten, so that the next one, after the back-off, probes again; a
   * failed load is kept, as it would fail again the same way.
   */
  private real(): Promise<Exporter<T>> {
    if (this.exporter !== undefined) return this.exporter;
    const probe = this.options.probe;
    if (probe === undefined) {
      this.exporter = this.keep(this.options.load());
      return this.exporter;
    }
    const reached = probe();
    // A guard shut down while the probe ran has no use for an exporter.
    const loading = reached.then(() =>
      this.stopped ? Promise.reject(new Error('export skipped: shut down')) : this.keep(this.options.load()),
    );
    this.exporter = loading;
    reached.catch(() => {
      if (this.exporter === loading) this.exporter = undefined;
    });
    return loading;
  }
}

function failure(error: unknown): ExportResult {
  const err = error instanceof Error ? error : new Error(String(error));
  Object.defineProperty(err, REPORTED, { value: true });
  return { code: ExportResultCode.FAILED, error: err };
}

/** A short reason for the first warning: the gRPC status line, without stack or secrets. */
function describe(error: Error | undefined): string | undefined {
  if (error === undefined) return undefined;
  const firstLine = errorLine(error);
  return firstLine.length > 160 ? `${firstLine.slice(0, 157)}...` : firstLine;
}
