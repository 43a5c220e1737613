// Where the recording side of a span's cost goes, in-process and hot: the bench span (nine attributes,
// as in apps/span-load.mjs) made through the API's no-op tracer, the SDK's TracerProvider and the lean
// one (src/lean-tracer), each with and without our processors (SafeExceptions, SpanFanOut,
// Redaction), and the pieces a span start is made of, one at a time. Export is left out: this is the
// floor the span pipeline sits on. Single-threaded, one core.
// Run: tsx bench/span-record.ts [--quick]
import { pathToFileURL } from 'node:url';
import { type Attributes, context, ROOT_CONTEXT, type Tracer, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { cleanAttributes as sdkClean } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  ParentBasedSampler,
  RandomIdGenerator,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { cleanAttributes as leanClean } from '../src/traces/lean-tracer/attributes.js';
import { newSpanId, newTraceId } from '../src/traces/lean-tracer/ids.js';
import { LeanTracerProvider } from '../src/traces/lean-tracer/provider.js';
import { RedactionProcessor } from '../src/traces/redaction-processor.js';
import { SafeExceptionsProcessor } from '../src/traces/safe-exceptions.js';
import { SpanFanOut } from '../src/traces/span-fan-out.js';
import { benchOptions } from './lib/cli.js';
import { pinSelf } from './lib/proc.js';
import { printTable, writeMarkdown, writeResults } from './lib/report.js';

const LIMITS = { attributeCountLimit: 128, attributeValueLengthLimit: 4096 };
const ATTRIBUTES: Attributes = {
  'http.request.method': 'GET',
  'http.route': '/items/:id',
  'url.path': '/items/1',
  'url.scheme': 'http',
  'server.address': '127.0.0.1',
  'server.port': 8080,
  'network.protocol.version': '1.1',
  'user_agent.original': 'bench',
};

function makeSpans(tracer: Tracer, n: number): void {
  for (let i = 0; i < n; i++) {
    const span = tracer.startSpan('GET /items/:id', {
      kind: 1,
      attributes: { ...ATTRIBUTES, 'url.path': `/items/${i}` },
    });
    span.setAttribute('http.response.status_code', 200);
    span.end();
  }
}

/** ns per call of `run(n)`: the median of `rounds` timed batches after a warm-up. */
function timeIt(run: (n: number) => void, n: number, rounds: number): number {
  run(n);
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    run(n);
    times.push(Number(process.hrtime.bigint() - start) / n);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

function ourProcessors(): SpanProcessor[] {
  return [new SpanFanOut([new RedactionProcessor()])];
}

function sdkTracer(processors: SpanProcessor[]): Tracer {
  return new TracerProvider({
    resource: emptyResource(),
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanLimits: LIMITS,
    spanProcessors: processors,
  }).getTracer('bench');
}

function leanTracer(processors: SpanProcessor[]): Tracer {
  return new LeanTracerProvider({
    resource: emptyResource(),
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanLimits: LIMITS,
    spanProcessors: processors,
  }).getTracer('bench');
}

export async function runSpanRecord(argv?: readonly string[]): Promise<string> {
  const options = benchOptions(argv);
  const n = options.quick ? 20_000 : 100_000;
  const rounds = options.quick ? 5 : 11;
  pinSelf();
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  const noop = trace.getTracer('bench');
  const ids = new RandomIdGenerator();
  let sink: unknown;
  const cases: [string, (n: number) => void][] = [
    ['span: API no-op tracer', (k) => makeSpans(noop, k)],
    ['span: SDK, no processors', (k) => makeSpans(sdkTracer([]), k)],
    [
      'span: SDK + SafeExceptions + FanOut(Redaction)',
      (k) => makeSpans(sdkTracer([new SafeExceptionsProcessor(), ...ourProcessors()]), k),
    ],
    ['span: lean, no processors', (k) => makeSpans(leanTracer([]), k)],
    ['span: lean + FanOut(Redaction)', (k) => makeSpans(leanTracer(ourProcessors()), k)],
    [
      'piece: context.active()',
      (k) => {
        for (let i = 0; i < k; i++) sink = context.active();
      },
    ],
    [
      'piece: trace.getSpan(ctx)',
      (k) => {
        for (let i = 0; i < k; i++) sink = trace.getSpan(ROOT_CONTEXT);
      },
    ],
    [
      'piece: SDK ids (trace + span)',
      (k) => {
        for (let i = 0; i < k; i++) sink = ids.generateTraceId() + ids.generateSpanId();
      },
    ],
    [
      'piece: lean ids (trace + span)',
      (k) => {
        for (let i = 0; i < k; i++) sink = newTraceId() + newSpanId();
      },
    ],
    [
      'piece: Date.now() + performance.now()',
      (k) => {
        for (let i = 0; i < k; i++) sink = Date.now() + performance.now();
      },
    ],
    [
      'piece: core cleanAttributes x2 (SDK startSpan)',
      (k) => {
        for (let i = 0; i < k; i++)
          sink = sdkClean(
            sdkClean(ATTRIBUTES, { attributeCountLimit: Infinity, attributeValueLengthLimit: Infinity })
              .attributes,
            LIMITS,
          );
      },
    ],
    [
      'piece: lean cleanAttributes',
      (k) => {
        for (let i = 0; i < k; i++) sink = leanClean(ATTRIBUTES, { count: 128, length: 4096 }, false);
      },
    ],
    [
      'piece: RedactionProcessor.onEnding',
      (() => {
        const redaction = new RedactionProcessor();
        const span = sdkSpanForRedaction();
        return (k: number) => {
          for (let i = 0; i < k; i++) redaction.onEnding(span);
        };
      })(),
    ],
  ];
  const results: [string, number][] = [];
  for (const [name, run] of cases) results.push([name, timeIt(run, n, rounds)]);
  void sink;
  const base = results[0]?.[1] ?? 0;
  const markdown = printTable(
    `Span recording, in-process and hot (${n} per batch, median of ${rounds} batches, one core)`,
    ['case', 'ns each', 'span: over no-op, ns'],
    results.map(([name, ns]) => [
      name,
      ns.toFixed(0),
      name.startsWith('span:') && name !== results[0]?.[0] ? (ns - base).toFixed(0) : '',
    ]),
  );
  writeResults('span-record', { n, rounds, results: Object.fromEntries(results) });
  writeMarkdown('span-record', markdown);
  return markdown;
}

/** An SDK span with the bench attributes, not ended, for timing redaction on its own. */
function sdkSpanForRedaction(): Parameters<RedactionProcessor['onEnding']>[0] {
  const tracer = sdkTracer([]);
  return tracer.startSpan('x', { attributes: ATTRIBUTES }) as unknown as Parameters<
    RedactionProcessor['onEnding']
  >[0];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runSpanRecord();
