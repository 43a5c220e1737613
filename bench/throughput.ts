// Scenario 3, throughput and latency: requests per second, server CPU time per request and latency
// of the bare node:http service and of the express -> fetch -> http chain, bare, under upstream's
// register and under ours, export off / on to a live receiver / on with the collector down. The
// services run on one core, autocannon and this harness (with the receiver) on the other.
// Run: tsx bench/throughput.ts [--quick] [--rounds N]
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { benchOptions } from './lib/cli.js';
import { closedEndpoint, countingReceiver, settled } from './lib/collector.js';
import { load } from './lib/load.js';
import {
  CORES,
  canPin,
  coreBusyShare,
  coreTimes,
  FOREIGN_LIMIT,
  foreignMeter,
  pinSelf,
  waitForQuiet,
} from './lib/proc.js';
import { fmt, fmtRatio, printTable, verdict, writeMarkdown, writeResults } from './lib/report.js';
import { APP_TITLE, type AppKind, startServices } from './lib/services.js';
import { ratio, Samples } from './lib/stats.js';
import { type Endpoints, SAMPLED_10, type Variant, variant } from './lib/variants.js';
import { appWorkspace, type Workspace } from './lib/workspace.js';

const CONNECTIONS = 10;
const CHECK_REQUESTS = 20;
const TARGET_CPU = 1.5;
const TARGET_CHAIN_RPS = 0.85;

const VARIANTS: readonly Variant[] = [
  variant('bare'),
  variant('upstream', 'off'),
  variant('upstream', 'live'),
  variant('upstream', 'down'),
  variant('ours', 'off'),
  variant('ours', 'live'),
  variant('ours', 'down'),
  // What head sampling buys, for a service that cannot afford every trace.
  variant('upstream', 'live', '1 in 10 sampled', SAMPLED_10),
  variant('ours', 'live', '1 in 10 sampled', SAMPLED_10),
];
const CHECKED: readonly Variant[] = [
  variant('upstream-no-loader', 'live'),
  variant('upstream', 'live'),
  variant('ours', 'live'),
];
const APPS: readonly AppKind[] = ['http', 'chain'];

interface SpanCheck {
  readonly perRequest: number;
  readonly names: Record<string, Record<string, number>>;
}

/** Sends CHECK_REQUESTS one by one, flushes, and counts the spans per request by service and name. */
async function checkSpans(
  kind: AppKind,
  v: Variant,
  endpoints: Endpoints,
  workspace: Workspace,
  receiver: Awaited<ReturnType<typeof countingReceiver>>,
): Promise<SpanCheck> {
  const service = `bench-check-${kind}-${v.id}`;
  const services = await startServices({
    kind,
    variant: v,
    endpoints,
    service,
    workspace,
    timeoutMs: 60_000,
  });
  const total = () => services.serviceNames.reduce((sum, name) => sum + receiver.spans(name), 0);
  try {
    for (let i = 0; i < CHECK_REQUESTS; i++) {
      const res = await fetch(services.url);
      await res.text();
      if (res.status !== 200) throw new Error(`${v.label}: ${services.url} answered ${res.status}`);
    }
    await sleep(100);
  } finally {
    await services.stop({ flush: true, settled: () => settled(total, 700, 8000) });
  }
  await settled(total, 300, 2000);
  const names: Record<string, Record<string, number>> = {};
  for (const name of services.serviceNames)
    names[name.slice(service.length + 1) || kind] = receiver.names(name);
  return { perRequest: total() / CHECK_REQUESTS, names };
}

export async function runThroughput(argv?: readonly string[]): Promise<string> {
  const options = benchOptions(argv);
  const rounds = options.rounds ?? (options.quick ? 1 : 3);
  const durationS = options.quick ? 1 : 3;
  const warmupS = 1;
  pinSelf();
  const receiver = await countingReceiver();
  const endpoints: Endpoints = { live: receiver.endpoint, down: (await closedEndpoint()).endpoint };
  const workspace = appWorkspace();
  const samples = new Samples();
  const checks: Record<string, SpanCheck> = {};
  const key = (kind: AppKind, v: Variant) => `${kind}|${v.id}`;
  let retries = 0;
  /** One measured run: start the services, warm up, load, read CPU; the spans delivered if exported. */
  const measure = async (kind: AppKind, v: Variant, service: string): Promise<Record<string, number>> => {
    const services = await startServices({
      kind,
      variant: v,
      endpoints,
      service,
      workspace,
      timeoutMs: 120_000,
    });
    const total = () => services.serviceNames.reduce((sum, name) => sum + receiver.spans(name), 0);
    try {
      const warm = await load({ url: services.url, connections: CONNECTIONS, durationS: warmupS });
      const cpuBefore = services.cpuMs();
      const coresBefore = coreTimes();
      const foreign = foreignMeter();
      const run = await load({ url: services.url, connections: CONNECTIONS, durationS });
      const cpu = services.cpuMs() - cpuBefore;
      const result: Record<string, number> = {
        foreign: foreign(cpu),
        loadCorePct: 100 * coreBusyShare(coresBefore, coreTimes(), CORES.load),
        rps: run.rps,
        cpuUsPerReq: (cpu * 1000) / run.requests,
        serverCpuPct: cpu / (run.durationS * 10),
        meanMs: run.meanMs,
        p99Ms: run.p99Ms,
      };
      if (run.errors > 0 || run.non2xx > 0) {
        throw new Error(
          `${v.label} on ${kind}: ${run.errors} errors, ${run.non2xx} non-2xx\n${services.procs.map((p) => p.output()).join('\n')}`,
        );
      }
      if (v.exporting === 'live') {
        await services.stop({ flush: true, settled: () => settled(total, 700, 8000) });
        result.spansPerReq = total() / (warm.requests + run.requests);
      }
      return result;
    } finally {
      await services.stop();
    }
  };
  try {
    for (const kind of APPS) {
      for (const v of CHECKED)
        checks[key(kind, v)] = await checkSpans(kind, v, endpoints, workspace, receiver);
    }
    for (let round = 0; round < rounds; round++) {
      await waitForQuiet(20_000);
      for (const kind of APPS) {
        for (const v of VARIANTS) {
          // A run during which something else used the cores is repeated (up to twice).
          for (let attempt = 0; ; attempt++) {
            const result = await measure(kind, v, `bench-load-${kind}-${v.id}-${round}-${attempt}`);
            if ((result.foreign ?? 0) > FOREIGN_LIMIT && attempt < 2) {
              retries++;
              await waitForQuiet(20_000);
              continue;
            }
            for (const [metric, value] of Object.entries(result)) samples.add(key(kind, v), metric, value);
            break;
          }
        }
      }
      process.stderr.write(`throughput: round ${round + 1}/${rounds} done\n`);
    }
  } finally {
    workspace.remove();
    await receiver.close();
  }

  let markdown = printTable(
    `Spans per request (${CHECK_REQUESTS} requests one at a time, then a flush): like with like`,
    ['app', 'variant', 'spans/request', 'span names (count)'],
    APPS.flatMap((kind) =>
      CHECKED.map((v) => {
        const check = checks[key(kind, v)] as SpanCheck;
        const names = Object.entries(check.names)
          .map(
            ([svc, byName]) =>
              `${svc}: ${
                Object.entries(byName)
                  .map(([n, c]) => `${n} (${c})`)
                  .join(', ') || 'none'
              }`,
          )
          .join('; ');
        return [kind, v.label, check.perRequest.toFixed(2), names];
      }),
    ),
  );
  const json: Record<string, unknown> = { spanChecks: checks };
  for (const kind of APPS) {
    const bare = {
      rps: samples.get(key(kind, VARIANTS[0] as Variant), 'rps'),
      cpu: samples.get(key(kind, VARIANTS[0] as Variant), 'cpuUsPerReq'),
    };
    const oursLiveCpu = samples.get(key(kind, variant('ours', 'live')), 'cpuUsPerReq');
    const rows = VARIANTS.map((v) => {
      const rps = samples.get(key(kind, v), 'rps');
      const cpu = samples.get(key(kind, v), 'cpuUsPerReq');
      const spans = samples.get(key(kind, v), 'spansPerReq');
      const rpsRatio = ratio(rps, bare.rps);
      const cpuRatio = ratio(cpu, bare.cpu);
      json[key(kind, v)] = {
        label: v.label,
        rps,
        cpuUsPerReq: cpu,
        serverCpuPct: samples.get(key(kind, v), 'serverCpuPct'),
        loadCorePct: samples.get(key(kind, v), 'loadCorePct'),
        otherCpu: samples.get(key(kind, v), 'foreign'),
        meanMs: samples.get(key(kind, v), 'meanMs'),
        p99Ms: samples.get(key(kind, v), 'p99Ms'),
        spansPerReq: spans,
        rpsRatio,
        cpuRatio,
      };
      let target = '';
      if (v.env !== undefined) {
        target = 'no target: not every trace is recorded';
      } else if (v.agent === 'ours' && kind === 'http' && v.exporting !== 'off') {
        target = verdict(cpuRatio <= TARGET_CPU, `CPU/req <= x${TARGET_CPU}`);
        if (v.exporting === 'down') {
          const same = cpu.median <= oursLiveCpu.median * 1.1;
          target += `; ${verdict(same, 'CPU/req <= export on +10%')}`;
        }
      } else if (v.agent === 'ours' && kind === 'chain')
        target = verdict(rpsRatio >= TARGET_CHAIN_RPS, `req/s >= x${TARGET_CHAIN_RPS}`);
      return [
        v.label,
        fmt(rps),
        fmtRatio(rpsRatio),
        fmt(cpu, 1),
        fmtRatio(cpuRatio),
        fmt(samples.get(key(kind, v), 'serverCpuPct')),
        fmt(samples.get(key(kind, v), 'loadCorePct')),
        fmt(samples.get(key(kind, v), 'meanMs'), 2),
        fmt(samples.get(key(kind, v), 'p99Ms')),
        spans.n ? fmt(spans, 2) : '',
        target,
      ];
    });
    markdown += printTable(
      `Throughput: ${APP_TITLE[kind]} (${CONNECTIONS} connections, ${durationS} s x ${rounds} rounds${canPin ? ', server pinned to core 0, load to core 1' : ', unpinned'}; median (min-max); ${retries} runs repeated because another process used the cores)`,
      [
        'variant',
        'req/s',
        'vs bare',
        'CPU us/req',
        'vs bare',
        'server CPU %',
        'load core %',
        'mean ms',
        'p99 ms',
        'spans/req delivered',
        'target',
      ],
      rows,
    );
  }
  writeResults('throughput', { rounds, durationS, connections: CONNECTIONS, retries, results: json });
  writeMarkdown('throughput', markdown);
  return markdown;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runThroughput();
