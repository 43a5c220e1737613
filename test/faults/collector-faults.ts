// Collector faults under load: absent, killed, hanging, slow, answering UNAVAILABLE or
// RESOURCE_EXHAUSTED, then back. The service must not notice (no error, latency and memory near the
// no-fault run, no event-loop stall), export must resume by itself, and every span must be either
// delivered or counted in the agent's report. Run by test/faults/run.ts.
import { status } from '@grpc/grpc-js';
import { type BlackHole, blackHole } from '../helpers/black-hole.js';
import { type FaultCollector, faultCollector } from '../helpers/fault-collector.js';
import { supervise } from '../helpers/run-fixture.js';
import {
  agentReport,
  baseEnv,
  check,
  describeExit,
  get,
  load,
  percentile,
  type Row,
  row,
  type Service,
  signalAndWait,
  sleep,
  startService,
} from './lib.js';

/** The load of every scenario: 100 requests/s from 4 connections for 3 s (300 requests). */
const LOAD = { rate: 100, durationMs: 3000, concurrency: 4 } as const;
/** The fault lasts from 1 s into the load until 2 s. */
const FAULT_AT_MS = 1000;
const RESTORE_AT_MS = 2000;
/** How long export may take to resume once the collector is back (agent back-off is 1, 2, 4 ... s). */
const RECOVERY_LIMIT_MS = 12_000;

/**
 * Bounds against the no-fault run, stated once (docs/guarantees.md quotes them). The tails are loose
 * because CI machines are shared: the no-fault run alone shows event-loop stalls of up to ~200 ms
 * and p99 latencies from 40 to 120 ms on a busy 2-core machine. The agent's own stalls would show
 * in every export (every 200 ms), so in the p99 of the event-loop delay.
 */
export const BOUNDS = {
  /** p50 latency at most 1.5x the no-fault run's, plus 1 ms of timer noise. */
  p50: (base: number) => base * 1.5 + 1,
  /** p99 latency at most 3x the no-fault run's, plus 50 ms. */
  p99: (base: number) => base * 3 + 50,
  /** 99% of event-loop delay samples under this, ms. */
  eldP99Ms: 50,
  /** No single event-loop stall longer than this, ms. */
  eldMaxMs: 500,
  /** Peak RSS at most this much above the no-fault run, MiB. */
  rssOverMiB: 24,
  /** Exit after SIGTERM within LOGOS_OTEL_SHUTDOWN_TIMEOUT (2 s default) plus 1 s. */
  exitMs: 3000,
} as const;

interface Fault {
  readonly name: string;
  /** Collector state when the service starts. */
  readonly startDown?: boolean;
  /** What breaks at FAULT_AT_MS (not called when startDown). */
  inject?(collector: FaultCollector): Promise<void>;
  /** What comes back at RESTORE_AT_MS. */
  restore?(collector: FaultCollector): Promise<void>;
  /** Spans may be dropped (false: the fault only slows exports down; nothing may be lost). */
  readonly drops: boolean;
}

let hole: BlackHole | undefined;

const FAULTS: readonly Fault[] = [
  {
    name: 'collector absent from the start, then starts',
    startDown: true,
    restore: (c) => c.start(),
    drops: true,
  },
  {
    name: 'collector killed mid-load, restarted',
    inject: (c) => c.stop(),
    restore: (c) => c.start(),
    drops: true,
  },
  {
    name: 'collector hangs (TCP accepted, no answer), then back',
    inject: async (c) => {
      await c.stop();
      hole = await blackHole(c.port);
    },
    restore: async (c) => {
      await hole?.close();
      hole = undefined;
      await c.start();
    },
    drops: true,
  },
  {
    name: 'collector never answers Export (gRPC), then answers',
    inject: async (c) => {
      c.mode = { kind: 'hang' };
    },
    restore: async (c) => {
      c.mode = { kind: 'ok' };
    },
    drops: true,
  },
  {
    name: 'collector answers slowly (500 ms per Export)',
    inject: async (c) => {
      c.mode = { kind: 'slow', delayMs: 500 };
    },
    restore: async (c) => {
      c.mode = { kind: 'ok' };
    },
    drops: false,
  },
  {
    name: 'collector answers UNAVAILABLE, then OK',
    inject: async (c) => {
      c.mode = { kind: 'status', code: status.UNAVAILABLE };
    },
    restore: async (c) => {
      c.mode = { kind: 'ok' };
    },
    drops: true,
  },
  {
    name: 'collector answers RESOURCE_EXHAUSTED, then OK',
    inject: async (c) => {
      c.mode = { kind: 'status', code: status.RESOURCE_EXHAUSTED };
    },
    restore: async (c) => {
      c.mode = { kind: 'ok' };
    },
    drops: true,
  },
];

interface Baseline {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly peakRssMiB: number;
}

/** Sends /probe requests (made after the collector is back) until the collector has one of their spans. */
async function probe(service: Service, collector: FaultCollector, name: string): Promise<boolean> {
  const since = Date.now();
  const arrived = () =>
    collector.spansOf(name).some((s) => s.name === 'fault.work' && s.attributes['work.path'] === '/probe');
  for (let i = 0; i < 60 && Date.now() - since < RECOVERY_LIMIT_MS; i++) {
    await get(service.port, '/probe', undefined).catch(() => undefined);
    await sleep(200);
    if (arrived()) return true;
  }
  return false;
}

/** One scenario: start, load with the fault in the middle, wait for recovery, SIGTERM, count. */
async function runOne(
  fault: Fault | undefined,
  index: number,
  baseline: Baseline | undefined,
  bare = false,
): Promise<Row> {
  const r = row(bare ? 'no agent (control: the machine noise)' : (fault?.name ?? 'no fault (baseline)'));
  const name = `faults-collector-${index}`;
  const collector = await faultCollector();
  if (fault?.startDown) await collector.stop();
  const service = await startService({ env: baseEnv(collector.endpoint, name), register: !bare });
  try {
    return await supervise(
      service.fixture,
      async () => {
        // Steady state: the first export loads the exporter (a one-time cost, measured in bench/), then
        // the event-loop histogram starts afresh.
        const warmUp = await load({ port: service.port, rate: 100, durationMs: 200, concurrency: 2 });
        await sleep(600);
        r.warmUpEldMaxMs = (await service.stats(true)).eld.max;
        const restoredAt = { at: 0 };
        const [samples] = await Promise.all([
          load({ port: service.port, ...LOAD }),
          (async () => {
            if (fault === undefined) return;
            await sleep(FAULT_AT_MS);
            if (!fault.startDown) await fault.inject?.(collector);
            await sleep(RESTORE_AT_MS - FAULT_AT_MS);
            await fault.restore?.(collector);
            restoredAt.at = Date.now();
          })(),
        ]);
        const during = await service.stats();
        const resumed = fault === undefined || (await probe(service, collector, name));
        const firstAccept = collector.traceAcceptedAt.find((at) => at >= restoredAt.at);
        const recoveredMs = resumed && firstAccept !== undefined ? firstAccept - restoredAt.at : undefined;
        const made = (await service.stats()).ended;
        r.peakRssMiB = service.peakRssMiB();
        const { exit, ms } = await signalAndWait(service, 'SIGTERM');
        // The exit flush has been answered (or given up on) by now; count what arrived.
        const delivered = collector.spansOf(name);
        const report = agentReport(service.fixture.stderr);

        r.requests = samples.length;
        r.errors = samples.filter((s) => !s.ok).length;
        r.p50Ms = percentile(samples, 50);
        r.p99Ms = percentile(samples, 99);
        r.exit = describeExit(exit);
        r.exitMs = ms;
        r.eldMaxMs = during.eld.max;
        r.eldP99Ms = during.eld.p99;
        if (bare) {
          r.p50Ratio = baseline && r.p50Ms / baseline.p50Ms;
          r.p99Ratio = baseline && r.p99Ms / baseline.p99Ms;
          return r;
        }
        r.made = made;
        r.delivered = delivered.length;
        r.dropped = report.dropped;
        r.note =
          fault === undefined
            ? `the first export loads the exporter: one event-loop stall of ${r.warmUpEldMaxMs} ms in the warm-up`
            : `export resumed ${recoveredMs ?? 'never'} ms after the return`;

        const output = (): string => service.fixture.output().slice(-2000);
        check(
          r,
          warmUp.every((s) => s.ok),
          'a warm-up request failed',
        );
        check(r, r.errors === 0, `${r.errors} requests failed: ${samples.find((s) => !s.ok)?.error}`);
        check(
          r,
          samples.length >= LOAD.rate * (LOAD.durationMs / 1000) * 0.9,
          `only ${samples.length} requests sent`,
        );
        check(r, during.eld.p99 <= BOUNDS.eldP99Ms, `event-loop delay p99 ${during.eld.p99} ms`);
        check(r, during.eld.max <= BOUNDS.eldMaxMs, `event loop stalled ${during.eld.max} ms`);
        if (baseline !== undefined) {
          r.p50Ratio = r.p50Ms / baseline.p50Ms;
          r.p99Ratio = r.p99Ms / baseline.p99Ms;
          check(r, r.p50Ms <= BOUNDS.p50(baseline.p50Ms), `p50 ${r.p50Ms} ms vs ${baseline.p50Ms} ms`);
          check(r, r.p99Ms <= BOUNDS.p99(baseline.p99Ms), `p99 ${r.p99Ms} ms vs ${baseline.p99Ms} ms`);
          check(
            r,
            r.peakRssMiB <= baseline.peakRssMiB + BOUNDS.rssOverMiB,
            `peak RSS ${r.peakRssMiB} MiB vs ${baseline.peakRssMiB} MiB`,
          );
        }
        check(
          r,
          new Set(delivered.map((s) => s.spanId)).size === delivered.length,
          'a span was delivered twice',
        );
        check(r, delivered.length <= made, `${delivered.length} delivered > ${made} made`);
        check(
          r,
          made <= delivered.length + report.dropped,
          `${made - delivered.length - report.dropped} spans lost without being counted (made ${made}, delivered ${delivered.length}, reported dropped ${report.dropped})\n${output()}`,
        );
        check(r, exit.signal === 'SIGTERM', `exit ${r.exit}, not SIGTERM`);
        check(r, ms <= BOUNDS.exitMs, `exit took ${ms} ms`);
        check(r, report.foreign.length === 0, `unexpected output: ${report.foreign.slice(0, 3).join(' | ')}`);
        if (fault === undefined || !fault.drops) {
          check(
            r,
            delivered.length === made && report.dropped === 0,
            `lost spans without a fault\n${output()}`,
          );
          check(r, report.warnings === 0, `warned without a failure\n${output()}`);
        } else {
          check(r, resumed, `export did not resume within ${RECOVERY_LIMIT_MS} ms\n${output()}`);
          check(
            r,
            report.warnings === 1,
            `${report.warnings} "cannot export traces" warnings, want 1\n${output()}`,
          );
          check(
            r,
            report.recoveries === 1,
            `${report.recoveries} "works again" lines (with the dropped count), want 1\n${output()}`,
          );
        }
        return r;
      },
      { stop: 'SIGKILL' },
    );
  } finally {
    await hole?.close();
    hole = undefined;
    await collector.close();
  }
}

/** The no-fault run, then every fault; rows in that order. */
export async function collectorFaults(only?: (name: string) => boolean): Promise<Row[]> {
  const selected = FAULTS.filter((fault) => only?.(fault.name) ?? true);
  if (selected.length === 0 && only && !only('no fault (baseline)')) return [];
  const base = await runOne(undefined, 0, undefined);
  const baseline = { p50Ms: base.p50Ms ?? 1, p99Ms: base.p99Ms ?? 1, peakRssMiB: base.peakRssMiB ?? 0 };
  const rows = [await runOne(undefined, 99, baseline, true), base];
  for (const fault of selected) rows.push(await runOne(fault, FAULTS.indexOf(fault) + 1, baseline));
  return rows;
}
