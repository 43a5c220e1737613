// Micro benchmark of OTLP span serialization on the service thread: CPU ns per span for upstream's
// ProtobufTraceSerializer over a batch of 512 server-shaped spans, against ours (encodeSpan per span at
// span end, then assembleTraceRequest per batch), in one process, interleaved rounds, medians.
// Run: npx tsx bench/encode-cost.ts [--quick] [--rounds N]
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  assembleTraceRequest,
  encodeResource,
  encodeSpan,
  type QueuedSpan,
  scopeKeyOf,
} from '../src/export/otlp-encode/index.js';
import { benchOptions } from './lib/cli.js';
import { fmt, printTable } from './lib/report.js';
import { BATCH, serverSpans } from './lib/server-spans.js';
import { summarize } from './lib/stats.js';

/** Sinks results so the work cannot be optimised away. */
let sink = 0;

function upstream(spans: ReadableSpan[]): void {
  sink += ProtobufTraceSerializer.serializeRequest(spans)?.length ?? 0;
}

/** What the batch processor would do: encode at span end, hold bytes, assemble per batch. */
function encodeAll(spans: readonly ReadableSpan[], into: QueuedSpan[]): void {
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as ReadableSpan;
    into[i] = { scope: scopeKeyOf(span.instrumentationScope), bytes: encodeSpan(span) };
  }
}

function ours(spans: readonly ReadableSpan[]): void {
  const queued: QueuedSpan[] = new Array(spans.length);
  encodeAll(spans, queued);
  sink += assembleTraceRequest(encodeResource((spans[0] as ReadableSpan).resource), queued).length;
}

/**
 * CPU ns per span of `run` over the batch, repeated for about `ms` milliseconds. CPU time, not wall
 * time, so that other processes on a shared machine preempting this one do not count; it includes
 * the GC's helper threads, which are part of the cost.
 */
function nsPerSpan(run: () => void, ms: number): number {
  let batches = 0;
  const until = performance.now() + ms;
  const cpu = process.cpuUsage();
  do {
    run();
    batches++;
  } while (performance.now() < until);
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) * 1000) / (batches * BATCH);
}

function main(): void {
  const options = benchOptions();
  const rounds = options.rounds ?? (options.quick ? 3 : 9);
  const ms = options.quick ? 200 : 500;
  const spans = serverSpans();
  const resource = encodeResource((spans[0] as ReadableSpan).resource);
  const queued: QueuedSpan[] = new Array(spans.length);
  encodeAll(spans, queued);
  const variants: [string, () => void][] = [
    ['upstream ProtobufTraceSerializer.serializeRequest', () => upstream(spans)],
    ['ours: encodeSpan x512 + assembleTraceRequest', () => ours(spans)],
    ['ours: encodeSpan only (at span end)', () => encodeAll(spans, queued)],
    [
      'ours: assembleTraceRequest only (per batch)',
      () => (sink += assembleTraceRequest(resource, queued).length),
    ],
  ];
  for (const [, run] of variants) nsPerSpan(run, ms); // warm-up: JIT and slabs
  const samples = variants.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    variants.forEach(([, run], i) => {
      samples[i]?.push(nsPerSpan(run, ms));
    });
  }
  const base = summarize(samples[0] as number[]);
  printTable(
    `OTLP protobuf serialization, ns per span (batches of ${BATCH} server spans)`,
    ['variant', 'CPU ns/span median (min-max)', 'vs upstream'],
    variants.map(([label], i) => {
      const s = summarize(samples[i] as number[]);
      return [label, fmt(s), `${(s.median / base.median).toFixed(2)}x`];
    }),
  );
  console.log(
    `${BATCH} spans per batch, ${rounds} rounds of ${ms} ms per variant, ${process.version}` +
      ` (request ${sink > 0 ? 'bytes checked' : 'empty'})`,
  );
}

main();
