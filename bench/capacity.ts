// Scenario 5, export capacity: the highest rate of spans a process can make that all reach a live
// receiver (zero dropped), with the default batch settings and with the tuning below, under ours and
// upstream's register. A ladder of rates, each in a fresh process that makes spans for a few seconds
// and exits; it stops at the first rate with a drop, then tries one rate between. The process runs
// on the server core, the receiver (in this harness) on the other.
// Run: tsx bench/capacity.ts [--quick]
import { pathToFileURL } from 'node:url';
import { benchOptions } from './lib/cli.js';
import { countingReceiver, settled } from './lib/collector.js';
import { pinSelf } from './lib/proc.js';
import { printTable, writeMarkdown, writeResults } from './lib/report.js';
import { runSpanLoad } from './lib/span-load.js';
import { type Variant, variant } from './lib/variants.js';
import { appWorkspace } from './lib/workspace.js';

/** The tuning for a high span rate: a deeper queue and bigger batches (README, OTEL_BSP_*). */
export const TUNING: Readonly<Record<string, string>> = {
  OTEL_BSP_MAX_QUEUE_SIZE: '16384',
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048',
};

const LADDER = [4000, 8000, 16_000, 32_000, 64_000, 128_000];

interface Case {
  readonly v: Variant;
  readonly tuned: boolean;
}

const CASES: readonly Case[] = [
  { v: variant('upstream', 'live'), tuned: false },
  { v: variant('upstream', 'live', 'tuned'), tuned: true },
  { v: variant('ours', 'live'), tuned: false },
  { v: variant('ours', 'live', 'tuned'), tuned: true },
];

interface Step {
  readonly rate: number;
  readonly made: number;
  readonly delivered: number;
  readonly elapsedMs: number;
  /** CPU share of this harness (the receiver) while the spans were made: near 1 means the receiver was the limit. */
  readonly receiverCpu: number;
  /** The process made fewer spans than asked: its own CPU was the limit. */
  readonly cpuBound: boolean;
}

export async function runCapacity(argv?: readonly string[]): Promise<string> {
  const options = benchOptions(argv);
  const durationMs = options.quick ? 1500 : 3000;
  pinSelf();
  const receiver = await countingReceiver();
  const workspace = appWorkspace();
  let serial = 0;
  const step = async (c: Case, rate: number): Promise<Step> => {
    const service = `bench-capacity-${c.v.id}-${rate}-${serial++}`;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const report = await runSpanLoad({
      workspace,
      variant: c.v,
      endpoint: receiver.endpoint,
      service,
      rate,
      durationMs,
      env: c.tuned ? TUNING : undefined,
    });
    const delivered = await settled(() => receiver.spans(service), 500, 10_000);
    const cpu = process.cpuUsage(cpuBefore);
    const made = report.made;
    return {
      rate,
      made,
      delivered,
      elapsedMs: report.elapsedMs,
      receiverCpu: (cpu.user + cpu.system) / 1000 / (performance.now() - started),
      cpuBound: made < (0.95 * (rate * durationMs)) / 1000,
    };
  };

  const results: Record<string, { steps: Step[]; best: Step | undefined; firstDrop: Step | undefined }> = {};
  try {
    // Warms the receiver (its decoding is JIT-compiled) so the first case is not measured against a cold one.
    await step(CASES[CASES.length - 1] as Case, 8000);
    for (const c of CASES) {
      const steps: Step[] = [];
      let best: Step | undefined;
      let firstDrop: Step | undefined;
      for (const rate of LADDER) {
        const s = await step(c, rate);
        steps.push(s);
        if (s.delivered < s.made) {
          firstDrop = s;
          break;
        }
        best = s;
        if (s.cpuBound) break;
      }
      if (best !== undefined && firstDrop !== undefined) {
        const s = await step(c, Math.round(Math.sqrt(best.rate * firstDrop.rate) / 100) * 100);
        steps.push(s);
        if (s.delivered >= s.made) best = s;
        else firstDrop = s;
      }
      results[c.v.id] = { steps, best, firstDrop };
      process.stderr.write(`capacity: ${c.v.label} done\n`);
    }
  } finally {
    workspace.remove();
    await receiver.close();
  }

  const perSecond = (s: Step | undefined, n: number): string =>
    s === undefined ? 'n/a' : String(Math.round((n * 1000) / s.elapsedMs));
  const rows = CASES.map((c) => {
    const r = results[c.v.id] as (typeof results)[string];
    const limit = r.firstDrop
      ? `drops at ${r.firstDrop.rate}/s (${r.firstDrop.made - r.firstDrop.delivered} of ${r.firstDrop.made})`
      : r.best?.cpuBound
        ? `process CPU-bound at ${perSecond(r.best, r.best.made)}/s`
        : 'no drop up to the ladder top';
    return [
      c.v.label.replace(' (export on)', ''),
      c.tuned
        ? Object.entries(TUNING)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')
        : 'defaults',
      perSecond(r.best, r.best?.delivered ?? 0),
      limit,
      r.steps
        .map(
          (s) =>
            `${s.rate}:${s.delivered === s.made ? 'ok' : 'drop'}${s.receiverCpu > 0.9 ? '(rcv busy)' : ''}`,
        )
        .join(' '),
    ];
  });
  const markdown = printTable(
    `Export capacity: spans/s delivered with zero drops (${durationMs / 1000} s per rate, OTLP/gRPC to a local receiver)`,
    ['agent', 'settings', 'spans/s, 0 dropped', 'limit', 'ladder (rate:result)'],
    rows,
  );
  writeResults('capacity', { durationMs, tuning: TUNING, ladder: LADDER, results });
  writeMarkdown('capacity', markdown);
  return markdown;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runCapacity();
