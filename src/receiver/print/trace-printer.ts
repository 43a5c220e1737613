// Groups received spans into traces and prints each trace once it has gone quiet (no new span for
// `quietMs`), as a tree (or one JSON object with --json). Memory is bounded: at most `maxTraces`
// open traces and `maxSpansPerTrace` spans each. Used by `logos-otel dev` and the demo.

import type { ReceivedBatch, ReceivedSpan } from '../types.js';
import { renderTrace } from './trace-tree.js';

export interface TracePrinterOptions {
  readonly write: (text: string) => void;
  readonly json?: boolean;
  /** How long a trace must be quiet before it is printed. Default 1000 ms. */
  readonly quietMs?: number;
  readonly maxTraces?: number;
  readonly maxSpansPerTrace?: number;
}

interface OpenTrace {
  spans: ReceivedSpan[];
  lastAt: number;
  dropped: number;
}

/** Prints each trace once it has been quiet for `quietMs` (see the file comment). */
export class TracePrinter {
  private readonly open = new Map<string, OpenTrace>();
  private timer: NodeJS.Timeout | undefined;
  private readonly quietMs: number;
  constructor(private readonly options: TracePrinterOptions) {
    this.quietMs = options.quietMs ?? 1000;
  }

  /** Feed a receiver batch (pass it to `receiver.onBatch`). */
  readonly onBatch = (batch: ReceivedBatch): void => {
    if (batch.signal === 'traces') this.add(batch.items);
  };

  add(spans: readonly ReceivedSpan[], now = Date.now()): void {
    for (const span of spans) {
      let trace = this.open.get(span.traceId);
      if (trace === undefined) {
        if (this.open.size >= (this.options.maxTraces ?? 500)) this.printOldest();
        trace = { spans: [], lastAt: now, dropped: 0 };
        this.open.set(span.traceId, trace);
      }
      if (trace.spans.length < (this.options.maxSpansPerTrace ?? 1000)) trace.spans.push(span);
      else trace.dropped++;
      trace.lastAt = now;
    }
    this.schedule();
  }

  /** Prints every open trace now (at exit). */
  flush(): void {
    for (const id of [...this.open.keys()]) this.print(id);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const now = Date.now();
      for (const [id, trace] of this.open) if (now - trace.lastAt >= this.quietMs) this.print(id);
      if (this.open.size > 0) this.schedule();
    }, this.quietMs);
    this.timer.unref();
  }

  private printOldest(): void {
    const oldest = this.open.keys().next().value;
    if (oldest !== undefined) this.print(oldest);
  }

  private print(id: string): void {
    const trace = this.open.get(id);
    this.open.delete(id);
    if (trace === undefined) return;
    if (this.options.json) {
      this.options.write(
        `${JSON.stringify({ traceId: id, spans: trace.spans, droppedSpans: trace.dropped }, bigintAsString)}\n`,
      );
      return;
    }
    const lines = renderTrace(trace.spans);
    if (trace.dropped > 0) lines.push(`  (+${trace.dropped} more spans not shown)`);
    this.options.write(`${lines.join('\n')}\n\n`);
  }
}

function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
