// Makes sure finished telemetry leaves the process without changing how the process exits:
// a flush when the event loop empties (beforeExit), and on SIGTERM/SIGINT a bounded flush before
// the process dies of the signal as Node would have, unless the app handles the signal itself.
// Loaded by boot/start.ts.
import type { StartedAgent } from './sdk.js';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Installs the exit and signal handling for `agent`; returns a function that removes it. */
export function installShutdown(agent: StartedAgent): () => void {
  let exitFlushes = 0;
  let flushing = false;

  const onBeforeExit = (): void => {
    // Each flush lets the loop empty again; flush only while there is something new to send.
    if (flushing || (exitFlushes > 0 && agent.undelivered() === 0)) return;
    flushing = true;
    exitFlushes++;
    agent.flush(undefined, true).then(() => {
      flushing = false;
      // The collector did not answer in time: give up on it rather than hold the process.
      if (agent.undelivered() > 0) process.exit();
    });
  };

  // Every exit but death by a signal comes here, also process.exit() and an uncaught exception,
  // which leave no turn of the event loop: what is left goes to the export worker, which sends it
  // while this thread waits (bounded), and what was lost is said, not lost silently.
  const onExit = (): void => {
    agent.flushSync();
    agent.finalReport();
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    const appHandles = process.listenerCount(signal) > 1;
    if (appHandles) {
      // The app decides what the signal means; we only get the spans out meanwhile.
      void agent.flush();
      return;
    }
    if (flushing) {
      die(signal);
      return;
    }
    flushing = true;
    // The process dies right after: a flush, then what ended meanwhile (the app goes on serving)
    // handed over synchronously, rather than a shutdown, which would drop those.
    agent.flush().then(() => {
      agent.flushSync();
      agent.finalReport();
      die(signal);
    });
  };

  const die = (signal: NodeJS.Signals): void => {
    remove();
    process.kill(process.pid, signal);
  };

  process.on('beforeExit', onBeforeExit);
  process.on('exit', onExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  const remove = (): void => {
    process.removeListener('beforeExit', onBeforeExit);
    process.removeListener('exit', onExit);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
  return remove;
}
