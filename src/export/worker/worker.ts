// Entry of the export worker thread, started by src/export/worker-host.ts (built as
// dist/export/worker/worker.js): owns the OTLP connections and sends the serialized requests the
// service's thread hands over, so that neither gRPC nor any network work runs on that thread.
import { parentPort, workerData } from 'node:worker_threads';
import { errorLine } from '../../util/error-line.js';
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
} from './messages.js';
import { buildSenders, closeSender } from './senders.js';

const port = parentPort;
const setup = workerData as WorkerSetup;

/** Each signal's sender, built at start so that the first export pays no loading. */
const senders = new Map<WorkerSignal, Promise<Sender>>();
/** Exports in progress: a flush at exit waits for them too. */
const inFlight = new Set<Promise<boolean>>();

/** Sends one request; settles with whether it went, and `onError` has the reason if not. */
function send(request: ExportRequest, timeoutMs: number | undefined, onError: (reason: string) => void) {
  const config = setup.signals[request.signal];
  const sender = senders.get(request.signal);
  const work = (async () => {
    if (config === undefined || sender === undefined) throw new Error(`${request.signal} are not exported`);
    await (await sender).send(new Uint8Array(request.bytes), timeoutMs ?? config.timeoutMs);
  })().then(
    () => true,
    (error: unknown) => {
      onError(errorLine(error));
      return false;
    },
  );
  inFlight.add(work);
  void work.finally(() => inFlight.delete(work));
  return work;
}

async function flush(message: Extract<ToWorker, { type: 'flush' }>): Promise<void> {
  const done = new Int32Array(message.done);
  const earlier = [...inFlight];
  const results = await Promise.all(
    message.requests.map((request) => send(request, message.timeoutMs, () => undefined)),
  );
  await Promise.all(earlier);
  Atomics.store(done, FLUSH_SENT, results.filter(Boolean).length);
  Atomics.store(done, FLUSH_FAILED, results.filter((ok) => !ok).length);
  Atomics.store(done, FLUSH_FINISHED, 1);
  Atomics.notify(done, FLUSH_FINISHED);
}

function post(message: FromWorker): void {
  port?.postMessage(message);
}

if (port !== null) {
  for (const [signal, sender] of buildSenders(setup.signals)) senders.set(signal, sender);
  port.on('message', (message: ToWorker) => {
    if (message.type === 'export') {
      let error = '';
      void send(message, undefined, (why) => {
        error = why;
      }).then((ok) =>
        post(ok ? { type: 'reply', id: message.id, ok } : { type: 'reply', id: message.id, ok, error }),
      );
    } else if (message.type === 'flush') void flush(message);
    else closeSender(senders.get(message.signal));
  });
  void Promise.allSettled(senders.values()).then(() => post({ type: 'ready' }));
}
