// Tells the user about export failures without flooding stderr: one warning at the first failure,
// then at most one summary a minute with the count of dropped items, and one line on recovery.
// Made by traces/pipeline.ts and metrics/pipeline.ts; fed by export/guard.ts.
import { logLine, RateLimitedLog } from '../util/logger.js';

/** What is counted for one signal ("spans", "metric exports"). */
export interface ExportReporterOptions {
  readonly signal: string;
  readonly unit: string;
  readonly endpoint: string;
  readonly summaryIntervalMs?: number;
  readonly log?: (message: string) => void;
}

/** Counts one signal's dropped items and words the few lines the user sees about them. */
export class ExportReporter {
  private failing = false;
  private droppedSinceSummary = 0;
  private droppedWhileDown = 0;
  private droppedTotal = 0;
  private readonly summaries: RateLimitedLog;
  private readonly log: (message: string) => void;

  constructor(private readonly options: ExportReporterOptions) {
    this.summaries = new RateLimitedLog(options.summaryIntervalMs ?? 60_000);
    this.log = options.log ?? logLine;
  }

  succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.log(
      `${this.options.signal} export to ${this.options.endpoint} works again; ${this.droppedWhileDown} ${this.options.unit} were dropped while it failed`,
    );
    this.droppedWhileDown = 0;
    this.droppedSinceSummary = 0;
  }

  /** Records `count` items lost; `reason` is shown only on the first failure of a streak. */
  failed(count: number, reason: string | undefined, now = Date.now()): void {
    this.droppedTotal += count;
    this.droppedWhileDown += count;
    this.droppedSinceSummary += count;
    if (!this.failing) {
      this.failing = true;
      this.summaries.due(now);
      this.log(
        `cannot export ${this.options.signal} to ${this.options.endpoint}${reason ? ` (${reason})` : ''}; ` +
          `the service is not affected, ${this.options.unit} are dropped until it works, and a count follows at most once a minute`,
      );
      return;
    }
    if (this.summaries.due(now)) {
      this.log(
        `${this.options.signal} export to ${this.options.endpoint} still failing: ${this.droppedSinceSummary} ${this.options.unit} dropped since the last report (${this.droppedTotal} in all)`,
      );
      this.droppedSinceSummary = 0;
    }
  }

  /** The closing line when the process exits with `inFlight` items still on their way, or items lost unreported. */
  finalSummary(inFlight = 0): void {
    if (inFlight > 0) {
      this.log(
        `${this.options.signal} export to ${this.options.endpoint} did not finish before exit: ${inFlight} ${this.options.unit} may be lost`,
      );
    }
    if (this.failing && this.droppedSinceSummary > 0) {
      this.log(
        `${this.options.signal} export to ${this.options.endpoint} failed until exit: ${this.droppedTotal} ${this.options.unit} dropped in all`,
      );
      this.droppedSinceSummary = 0;
    }
  }
}
