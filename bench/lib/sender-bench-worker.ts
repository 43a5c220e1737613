// The export worker (src/export/worker/worker.ts) as bench/grpc-sender-cost.ts builds it, plus one
// message of its own: {type: 'bench-cpu'} answers with this thread's CPU time so far, which only
// the worker itself can read. Bundled by that bench, once per gRPC transport.
import { parentPort } from 'node:worker_threads';
import '../../src/export/worker/worker.js';

parentPort?.on('message', (message: { type?: string }) => {
  if (message.type === 'bench-cpu')
    parentPort?.postMessage({ type: 'bench-cpu', cpu: process.threadCpuUsage() });
});
