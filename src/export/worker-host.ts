// Starts and talks to the one export worker thread (src/export/worker/worker.ts) shared by traces
// and metrics: hands it serialized OTLP requests, transferred, and gets one reply per request; at
// exit, hands over the last ones and blocks until they are sent (flushSync). An exit flush that
// comes before the worker has started sends from this thread instead (sendFromHere): a short script
// would otherwise wait ~50 ms for a thread to start. Loaded by the code that builds the exporters
// (see export/worker-exporter.ts); no gRPC library is ever loaded here.

import { Worker } from 'node:worker_threads';
import { diag } from '@opentelemetry/api';
import type { SignalExport } from '../config/export.js';
import { ownUrl } from '../lazy-module.js';
import { errorLine } from '../util/error-line.js';
import {
  type ExportRequest,
  FLUSH_FAILED,
  FLUSH_FINISHED,
  FLUSH_SENT,
  type FromWorker,
  type Sender,
  type ToWorker,
  type WorkerSetup,
  type WorkerSignal,
} from './worker/messages.js';
import { buildSenders, closeSender } from './worker/senders.js';

export interface ExportWorkerOptions {
  /** How each exported signal is sent; a signal left out is not exported. */
  readonly signals: Partial<Record<WorkerSignal, SignalExport>>;
  /** The worker's entry; by default dist/export/worker/worker.js beside this bundle. */
  readonly workerUrl?: URL;
}

/** What became of the requests a {@link ExportWorker.flushSync} handed over. */
export interface FlushResult {
  /** Whether the worker finished them (and every export in flight before) within the time limit. */
  readonly finished: boolean;
  readonly sent: number;
  readonly failed: number;
}

/** Time a reply may come after the export's own timeout before the main thread gives up on it. */
const REPLY_GRACE_MS = 1000;

/** How long the worker may take to start before it stops holding the process open. */
const START_HOLD_MS = 10_000;

interface Waiting {
  readonly signal: WorkerSignal;
  readonly settle: (error: Error | undefined) => void;
  /** Settles (never rejects) with the export. */
  readonly done: Promise<void>;
}

/** The export worker: started at the first {@link start}, never keeping the process alive when idle. */
export class ExportWorker {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  /** Reasons the worker holds the process open now: its start, and each export in flight. */
  private holds = 0;
  /** The process is exiting and the worker had not started: exports go from this thread. */
  private hereWanted = false;
  /** Each signal's sender on this thread, once {@link sendFromHere} took effect. */
  private here: Map<WorkerSignal, Promise<Sender>> | undefined;
  /** Exports in flight from this thread. */
  private readonly hereInFlight = new Set<{ readonly signal: WorkerSignal; readonly done: Promise<void> }>();

  constructor(private readonly options: ExportWorkerOptions) {}

  /**
   * For an exit flush (beforeExit): if the worker has not started, the exports from now on are sent
   * from this thread, with the worker's own senders. A hand-off at exit ({@link flushSync}) still
   * starts the worker, as no event-loop turn is left to send from here.
   */
  sendFromHere(): void {
    if (this.ready === undefined) this.hereWanted = true;
  }

  /** Starts the worker (once); resolves when its transports are loaded, rejects if it cannot start. */
  start(): Promise<void> {
    if (this.ready !== undefined) return this.ready;
    this.ready = this.hereWanted ? this.startHere() : this.startThread();
    this.ready.catch(() => undefined);
    return this.ready;
  }

  private startHere(): Promise<void> {
    const here = buildSenders(this.options.signals);
    this.here = here;
    diag.debug('export: the exit flush sends from the service thread (the export worker had not started)');
    return Promise.allSettled(here.values()).then(() => undefined);
  }

  private startThread(): Promise<void> {
    const worker = this.spawn();
    // A process that exits while the worker starts would lose the export that started it.
    const startHold = this.hold();
    const timer = setTimeout(startHold, START_HOLD_MS);
    timer.unref();
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          startHold();
          resolve();
        } else this.settle(message.id, message.ok ? undefined : new Error(message.error));
      });
      const gone = (why: string): void => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        // The next start starts it again (unless this thread sends: see sendFromHere).
        if (this.here === undefined) this.ready = undefined;
        const error = new Error(`the export worker stopped: ${why}`);
        clearTimeout(timer);
        startHold();
        reject(error);
        for (const id of [...this.waiting.keys()]) this.settle(id, error);
      };
      worker.on('error', (error) => gone(errorLine(error)));
      worker.on('exit', (code) => gone(`exit code ${code}`));
    });
    ready.catch(() => undefined);
    return ready;
  }

  /**
   * Sends one serialized request of `signal`; resolves once the collector took it. `bytes` is
   * handed over: when it is the whole of its ArrayBuffer, that buffer is transferred (detached).
   */
  send(signal: WorkerSignal, bytes: Uint8Array): Promise<void> {
    const timeoutMs = this.options.signals[signal]?.timeoutMs ?? 10_000;
    // start() never leaves a rejection unhandled (see there); it starts nothing already started.
    void this.start();
    if (this.here !== undefined) return this.sendHere(signal, bytes, timeoutMs);
    return new Promise<void>((resolve, reject) => {
      const worker = this.worker;
      if (worker === undefined) {
        reject(new Error('the export worker is not running'));
        return;
      }
      const id = this.nextId++;
      // The worker answers by the export's deadline; this only covers a worker that never does.
      const timer = setTimeout(
        () => this.settle(id, new Error(`export timed out after ${timeoutMs} ms`)),
        timeoutMs + REPLY_GRACE_MS,
      );
      timer.unref();
      const release = this.hold();
      let markDone: () => void = () => undefined;
      const done = new Promise<void>((settled) => {
        markDone = settled;
      });
      this.waiting.set(id, {
        signal,
        done,
        settle: (error) => {
          clearTimeout(timer);
          release();
          markDone();
          if (error === undefined) resolve();
          else reject(error);
        },
      });
      try {
        const buffer = ownBuffer(bytes);
        const message: ToWorker = { type: 'export', id, signal, bytes: buffer };
        worker.postMessage(message, [buffer]);
      } catch (error) {
        // Nothing was handed over: the export fails here, and holds nothing.
        this.settle(id, error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Sends from this thread; an export in flight holds the process open, as the worker's do. */
  private sendHere(signal: WorkerSignal, bytes: Uint8Array, timeoutMs: number): Promise<void> {
    const sender = this.here?.get(signal);
    if (sender === undefined) return Promise.reject(new Error(`${signal} are not exported`));
    const keepAlive = setInterval(() => undefined, 60_000);
    const work = sender
      .then((s) => s.send(bytes, timeoutMs))
      .catch((error: unknown) => {
        // As the worker answers: the first line of the reason.
        throw new Error(errorLine(error));
      });
    const entry = { signal, done: work.then(noop, noop).finally(() => clearInterval(keepAlive)) };
    this.hereInFlight.add(entry);
    void entry.done.then(() => this.hereInFlight.delete(entry));
    return work;
  }

  /** Resolves when the exports of `signal` in flight now have settled; never rejects. */
  async settled(signal?: WorkerSignal): Promise<void> {
    const all = [...this.waiting.values(), ...this.hereInFlight].filter(
      (waiting) => signal === undefined || waiting.signal === signal,
    );
    await Promise.all(all.map((waiting) => waiting.done));
  }

  /** Closes the connection of `signal` in the worker; the next export opens a new one. */
  reset(signal: WorkerSignal): void {
    const message: ToWorker = { type: 'reset', signal };
    this.worker?.postMessage(message);
    closeSender(this.here?.get(signal));
  }

  /**
   * For a `process.on('exit')` handler, where no event-loop turn is left: hands `requests` to the
   * worker and blocks this thread (Atomics.wait) until the worker has sent them and every export
   * already in flight, or `timeoutMs` has passed. Starts the worker if it is not running.
   */
  flushSync(
    requests: readonly { signal: WorkerSignal; bytes: Uint8Array }[],
    timeoutMs: number,
  ): FlushResult {
    if (requests.length === 0 && this.waiting.size === 0) return { finished: true, sent: 0, failed: 0 };
    // The thread, even where this thread was sending (sendFromHere): only the worker can send now.
    if (this.here !== undefined) {
      if (this.worker === undefined) void this.startThread();
    } else void this.start();
    const worker = this.worker;
    if (worker === undefined) return { finished: false, sent: 0, failed: requests.length };
    const done = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
    const state = new Int32Array(done);
    try {
      const owned: ExportRequest[] = requests.map(({ signal, bytes }) => ({
        signal,
        bytes: ownBuffer(bytes),
      }));
      const message: ToWorker = { type: 'flush', requests: owned, timeoutMs, done };
      worker.postMessage(
        message,
        owned.map((request) => request.bytes),
      );
    } catch {
      // Called from an 'exit' handler: a throw here would end the process with our stack.
      return { finished: false, sent: 0, failed: requests.length };
    }
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(state, FLUSH_FINISHED) === 0) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      Atomics.wait(state, FLUSH_FINISHED, 0, left);
    }
    const finished = Atomics.load(state, FLUSH_FINISHED) === 1;
    const sent = Atomics.load(state, FLUSH_SENT);
    return { finished, sent, failed: finished ? Atomics.load(state, FLUSH_FAILED) : requests.length - sent };
  }

  /** Stops the worker; exports still waiting fail. */
  async terminate(): Promise<void> {
    for (const sender of this.here?.values() ?? []) closeSender(sender);
    const worker = this.worker;
    if (worker === undefined) return;
    await worker.terminate();
  }

  private spawn(): Worker {
    const setup: WorkerSetup = { signals: this.options.signals };
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Workers ignore NODE_OPTIONS, but a child process the worker might start would not.
    delete env.NODE_OPTIONS;
    const worker = new Worker(this.options.workerUrl ?? ownUrl('export/worker/worker.js'), {
      workerData: setup,
      // Workers inherit the main thread's flags, --import of the agent included: this one runs bare.
      execArgv: [],
      env,
      name: '@logos/otel export',
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(id: number, error: Error | undefined): void {
    const waiting = this.waiting.get(id);
    if (waiting === undefined) return;
    this.waiting.delete(id);
    waiting.settle(error);
  }

  /**
   * An export in flight keeps the process alive until it is answered, as the network exporters'
   * own sockets and deadlines did (bounded by the export's timeout): an exit flush then sends.
   */
  private hold(): () => void {
    const worker = this.worker;
    if (this.holds++ === 0) worker?.ref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holds === 0) worker?.unref();
    };
  }
}

function noop(): void {}

/** An ArrayBuffer holding exactly `bytes` that may be transferred: a copy unless `bytes` owns all of one. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  // An empty request (the warm-up export) may be one shared constant: never detach it.
  if (bytes.byteLength === 0) return new ArrayBuffer(0);
  const buffer = bytes.buffer;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength)
    return buffer;
  // Not bytes.slice(): on a Buffer that is a view of the same memory (often Node's shared pool).
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}
