// The one interface each signal's way out of the process (traces, metrics) has, so that boot/sdk.ts wires
// pipelines instead of closures and boot/shutdown.ts drives them alike. Implemented by traces/pipeline.ts
// and metrics/pipeline.ts.

/** One signal from the app's API calls to the collector. */
export interface SignalPipeline {
  /** Loads what export needs (the export worker) ahead of the first export; sends nothing. */
  preload(): void;
  /** Opens the way to the collector ahead of the first real export (see ExportGuard.warmUp). */
  warmUp(): void;
  /**
   * Sends everything finished so far and waits for it; never rejects. `atExit` when the event
   * loop is emptying; `othersPending` when another signal has something to send anyway.
   */
  flush(atExit: boolean, othersPending?: boolean): Promise<void>;
  /** Hands what is left to the export worker and waits for it, blocking: for process.exit(). */
  flushSync(timeoutMs: number): void;
  /** Flushes and stops; nothing is exported after it. */
  shutdown(): Promise<void>;
  /** Items finished but not yet delivered or counted as lost; 0 means an exit has nothing to wait for. */
  undelivered(): number;
  /** Says, once, what was lost if export was failing at exit. */
  finalReport(): void;
}
