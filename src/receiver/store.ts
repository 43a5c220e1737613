// The bounded in-memory store of everything the receiver accepted, with batch events and waitFor.
// Created by index.ts (startReceiver); fed by server/grpc-server.ts and server/http-server.ts.
import { BoundedQueue } from './bounded-queue.js';
import type { ReceiverLimits } from './server/limits.js';
import type { ReceivedBatch, ReceivedLog, ReceivedMetric, ReceivedSpan } from './types.js';

/** Called once per accepted Export request, after its items are in the store. */
export type BatchListener = (batch: ReceivedBatch) => void;

interface Waiter {
  check(): void;
  cancel(reason: string): void;
}

const DEFAULT_WAIT_MS = 5000;

const warnListenerFailed = (error: unknown): void => {
  process.emitWarning(`receiver onBatch listener failed: ${String(error)}`, {
    code: 'LOGOS_OTEL_RECEIVER_LISTENER',
  });
};

const names = (items: readonly { name: string }[]): string => {
  const shown = [...new Set(items.map((i) => JSON.stringify(i.name)))].slice(-8);
  return shown.length ? ` (last: ${shown.join(', ')})` : '';
};

/** Received spans, metrics and logs, oldest first, bounded by ReceiverLimits. */
export class TelemetryStore {
  readonly #spans: BoundedQueue<ReceivedSpan>;
  readonly #metrics: BoundedQueue<ReceivedMetric>;
  readonly #logs: BoundedQueue<ReceivedLog>;
  readonly #maxMetricPoints: number;
  readonly #listeners = new Set<BatchListener>();
  readonly #waiters = new Set<Waiter>();

  constructor(limits: Readonly<ReceiverLimits>) {
    this.#spans = new BoundedQueue(limits.maxSpans, limits.maxStoredBytes);
    this.#metrics = new BoundedQueue(limits.maxMetricPoints, limits.maxStoredBytes);
    this.#logs = new BoundedQueue(limits.maxLogs, limits.maxStoredBytes);
    this.#maxMetricPoints = limits.maxMetricPoints;
  }

  /** Snapshot of the stored spans (frozen array, same object until the store changes). */
  get spans(): readonly ReceivedSpan[] {
    return this.#spans.items;
  }

  /** Snapshot of the stored metrics; one entry per metric per export. */
  get metrics(): readonly ReceivedMetric[] {
    return this.#metrics.items;
  }

  /** Snapshot of the stored log records. */
  get logs(): readonly ReceivedLog[] {
    return this.#logs.items;
  }

  /** How many spans, metric data points and log records were dropped to respect the limits. */
  get dropped(): { spans: number; metricPoints: number; logs: number } {
    return { spans: this.#spans.dropped, metricPoints: this.#metrics.dropped, logs: this.#logs.dropped };
  }

  /** Stores a decoded batch, then tells the batch listeners and pending waitFor calls. */
  add(batch: ReceivedBatch): void {
    const share = batch.items.length ? batch.bytes / batch.items.length : 0;
    switch (batch.signal) {
      case 'traces':
        for (const span of batch.items) this.#spans.push(span, 1, share);
        break;
      case 'logs':
        for (const log of batch.items) this.#logs.push(log, 1, share);
        break;
      case 'metrics':
        for (const metric of batch.items) {
          // One metric with more points than the whole budget keeps its newest points.
          const dataPoints = metric.dataPoints.slice(-this.#maxMetricPoints);
          const kept = dataPoints.length === metric.dataPoints.length ? metric : { ...metric, dataPoints };
          this.#metrics.dropped += metric.dataPoints.length - dataPoints.length;
          this.#metrics.push(kept, dataPoints.length, share);
        }
        break;
    }
    for (const listener of this.#listeners) {
      // A listener is user code (e.g. a trace printer): it must not break the receiver.
      try {
        const result: unknown = listener(batch);
        if (result instanceof Promise) result.catch(warnListenerFailed);
      } catch (error) {
        warnListenerFailed(error);
      }
    }
    this.#checkWaiters();
  }

  /** Forgets everything stored (and the dropped counters); listeners stay subscribed. */
  clear(): void {
    this.#spans.clear();
    this.#metrics.clear();
    this.#logs.clear();
    this.#checkWaiters();
  }

  /**
   * Subscribes to accepted batches, e.g. to group spans into traces as they arrive.
   * @returns a function that unsubscribes.
   */
  onBatch(listener: BatchListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * Resolves once `predicate(store)` is true: checked now and after every batch or clear.
   * Rejects after `timeoutMs` (default 5000) with what the store holds, if the predicate throws,
   * or if the receiver closes first.
   */
  waitFor(predicate: (store: TelemetryStore) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          let done: boolean;
          try {
            done = predicate(this);
          } catch (error) {
            finish(() => reject(error));
            return;
          }
          if (done) finish(resolve);
        },
        cancel: (reason) =>
          finish(() => reject(new Error(`waitFor cancelled: ${reason}; ${this.summary()}`))),
      };
      const timer = setTimeout(() => {
        const source = predicate.toString().replace(/\s+/g, ' ').slice(0, 200);
        finish(() =>
          reject(
            new Error(`waitFor timed out after ${timeoutMs}ms waiting for ${source}; ${this.summary()}`),
          ),
        );
      }, timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        settle();
      };
      this.#waiters.add(waiter);
      waiter.check();
    });
  }

  /** Rejects every pending waitFor; used by Receiver.close() so no test hangs on a dead receiver. */
  cancelWaiters(reason: string): void {
    for (const waiter of [...this.#waiters]) waiter.cancel(reason);
  }

  /** One line saying what is stored, for error messages: counts and the latest names. */
  summary(): string {
    const dropped = this.dropped;
    const lost = dropped.spans + dropped.metricPoints + dropped.logs;
    const logBodies = this.logs.map((l) => ({ name: typeof l.body === 'string' ? l.body : l.severityText }));
    return (
      `store has ${this.spans.length} spans${names(this.spans)}, ` +
      `${this.metrics.length} metrics${names(this.metrics)}, ${this.logs.length} logs${names(logBodies)}` +
      (lost ? `; dropped ${dropped.spans} spans, ${dropped.metricPoints} points, ${dropped.logs} logs` : '')
    );
  }

  #checkWaiters(): void {
    for (const waiter of [...this.#waiters]) waiter.check();
  }
}
