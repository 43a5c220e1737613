// The floor under per-request cost: CPU time per span of each agent's span pipeline alone (start,
// nine attributes, end, batch, OTLP serialization and gRPC export to a live receiver), with no HTTP
// or other instrumentation in the way, in the steady state (from 1 s after the first span). The app
// makes spans through the API at a fixed rate every agent keeps up with; bare Node runs the same
// loop with the API's no-op spans. Shows what a per-request target must leave room for: one
// recorded, exported span per request.
// Run: tsx bench/span-cost.ts [--quick] [--rounds N]
import { pathToFileURL } from 'node:url';
import { benchOptions } from './lib/cli.js';
import { countingReceiver, settled } from './lib/collector.js';
import { pinSelf } from './lib/proc.js';
import { fmt, fmtRatio, printTable, verdict, writeMarkdown, writeResults } from './lib/report.js';
import { runSpanLoad } from './lib/span-load.js';
import { Samples } from './lib/stats.js';
import { type Variant, variant } from './lib/variants.js';
import { appWorkspace } from './lib/workspace.js';

/** Below every agent's default-settings capacity (see capacity.ts), so nothing is dropped. */
const RATE = 4000;
/** Issue #13: an exported span costs at most this over bare, in microseconds. */
const TARGET_US = 6;

const SDK_TRACER = { LOGOS_OTEL_TRACER: 'sdk' } as const;

const VARIANTS: readonly Variant[] = [
  variant('bare'),
  variant('upstream', 'live'),
  variant('ours', 'live'),
  variant('ours', 'off'),
  // The SDK's tracer provider in place of ours (src/lean-tracer): what the lean one saves.
  variant('ours', 'live', 'SDK tracer', SDK_TRACER),
  variant('ours', 'off', 'SDK tracer', SDK_TRACER),
];

export async function runSpanCost(argv?: readonly string[]): Promise<string> {
  const options = benchOptions(argv);
  const rounds = options.rounds ?? (options.quick ? 1 : 3);
  const durationMs = options.quick ? 2500 : 5000;
  pinSelf();
  const receiver = await countingReceiver();
  const workspace = appWorkspace();
  const samples = new Samples();
  let serial = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      for (const v of VARIANTS) {
        const service = `bench-span-cost-${v.id}-${serial++}`;
        const { made, windowSpans, windowCpuUs } = await runSpanLoad({
          workspace,
          variant: v,
          endpoint: receiver.endpoint,
          service,
          rate: RATE,
          durationMs,
        });
        if (windowSpans === undefined || windowCpuUs === undefined)
          throw new Error(`span-load under ${v.label} ran too briefly for a steady-state window`);
        samples.add(v.id, 'cpuPerSpan', windowCpuUs / windowSpans);
        if (v.exporting === 'live') {
          samples.add(v.id, 'delivered', (await settled(() => receiver.spans(service), 300, 10_000)) / made);
        }
      }
    }
  } finally {
    workspace.remove();
    await receiver.close();
  }

  const bare = samples.get('bare', 'cpuPerSpan');
  const rows = VARIANTS.map((v) => {
    const cpu = samples.get(v.id, 'cpuPerSpan');
    const delivered = samples.get(v.id, 'delivered');
    return [
      v.label,
      fmt(cpu, 1),
      v.agent === 'bare' ? '' : (cpu.median - bare.median).toFixed(1),
      v.agent === 'bare' ? '' : fmtRatio(cpu.median / bare.median),
      delivered.n === 0 ? '' : `${(delivered.min * 100).toFixed(1)}%`,
      v.agent === 'ours' && v.exporting === 'live'
        ? verdict(cpu.median - bare.median <= TARGET_US, `<= ${TARGET_US} us over bare`)
        : '',
    ];
  });
  const markdown = printTable(
    `Span cost: CPU per span of the span pipeline alone (${RATE} spans/s, steady state from 1 s to ${durationMs / 1000} s, ${rounds} rounds, pinned; median (min-max))`,
    ['variant', 'CPU us/span', 'over bare, us', 'vs bare', 'delivered (lowest)', 'target'],
    rows,
  );
  writeResults('span-cost', {
    rate: RATE,
    durationMs,
    rounds,
    samples: VARIANTS.map((v) => ({ id: v.id, cpuPerSpan: samples.get(v.id, 'cpuPerSpan') })),
  });
  writeMarkdown('span-cost', markdown);
  return markdown;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runSpanCost();
