// Scenario 4, memory under a down collector: RSS of the node:http service over 60 s of steady load
// with the collector down, then after it comes back, next to the same service exporting to a live
// collector all along; spans made, delivered and dropped. The variants run side by side (one process
// each, each with its own fixed-rate load), since 60 s per variant per round would not fit a run.
// Run: tsx bench/memory.ts [--quick] [--down-s 60] [--back-s 30] [--rate 400]
import { pathToFileURL } from 'node:url';
import { benchOptions } from './lib/cli.js';
import { type CountingReceiver, closedEndpoint, countingReceiver, settled } from './lib/collector.js';
import { load } from './lib/load.js';
import { pinSelf } from './lib/proc.js';
import { printTable, verdict, writeMarkdown, writeResults } from './lib/report.js';
import { type Services, startServices } from './lib/services.js';
import { summarize } from './lib/stats.js';
import { type Variant, variant } from './lib/variants.js';
import { appWorkspace } from './lib/workspace.js';

const RATE = 400;
const TARGET_MIB = 10;

const VARIANTS: readonly Variant[] = [
  variant('bare'),
  variant('upstream', 'live'),
  variant('upstream', 'down'),
  variant('ours', 'live'),
  variant('ours', 'down'),
  // Most of the RSS over bare is V8's young generation grown to its maximum (spans wait in the
  // batch for a second or more, so they survive scavenges); a smaller cap is the remedy (docs).
  variant('ours', 'live', '--max-semi-space-size=8', { NODE_OPTIONS: '--max-semi-space-size=8' }),
];

interface Track {
  readonly v: Variant;
  readonly services: Services;
  readonly service: string;
  /** [seconds since the load started, RSS MiB]. */
  readonly rss: [number, number][];
  requests: number;
  /** Seconds after the collector came back when this service's first span arrived. */
  resumedAfterS?: number;
}

export async function runMemory(argv?: readonly string[]): Promise<string> {
  const options = benchOptions(argv, ['down-s', 'back-s', 'rate']);
  const downS = options.numbers['down-s'] ?? (options.quick ? 10 : 60);
  const backS = options.numbers['back-s'] ?? (options.quick ? 5 : 30);
  const rate = options.numbers.rate ?? RATE;
  pinSelf();
  const live = await countingReceiver();
  const down = await closedEndpoint();
  const endpoints = { live: live.endpoint, down: down.endpoint };
  const workspace = appWorkspace();
  const tracks: Track[] = [];
  let back: CountingReceiver | undefined;
  try {
    for (const v of VARIANTS) {
      const service = `bench-memory-${v.id}`;
      const services = await startServices({
        kind: 'http',
        variant: v,
        endpoints,
        service,
        workspace,
        timeoutMs: (downS + backS + 60) * 1000,
      });
      tracks.push({ v, services, service, rss: [], requests: 0 });
    }
    const started = Date.now();
    const sample = (): void => {
      const at = (Date.now() - started) / 1000;
      for (const t of tracks) t.rss.push([at, (t.services.rssKiB()[0] ?? Number.NaN) / 1024]);
    };
    sample();
    const sampler = setInterval(sample, 1000);
    const loads = tracks.map((t) =>
      load({ url: t.services.url, connections: 4, rate, durationS: downS + backS }).then((r) => {
        t.requests = r.requests;
        if (r.errors > 0 || r.non2xx > 0)
          throw new Error(`${t.v.label}: ${r.errors} errors, ${r.non2xx} non-2xx`);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, downS * 1000));
    // The collector comes back, on the port the "down" variants have been failing to reach.
    back = await countingReceiver(down.port);
    const backAt = Date.now();
    const receiverOf = back;
    const watchers = tracks
      .filter((t) => t.v.exporting === 'down')
      .map(async (t) => {
        const deadline = backAt + backS * 1000;
        while (Date.now() < deadline && receiverOf.spans(t.service) === 0)
          await new Promise((r) => setTimeout(r, 200));
        if (receiverOf.spans(t.service) > 0) t.resumedAfterS = (Date.now() - backAt) / 1000;
      });
    await Promise.all([...loads, ...watchers]);
    clearInterval(sampler);
    sample();
    for (const t of tracks) {
      const count = () => live.spans(t.service) + receiverOf.spans(t.service);
      await t.services.stop({ flush: t.v.agent !== 'bare', settled: () => settled(count, 700, 8000) });
    }
  } finally {
    for (const t of tracks) await t.services.stop();
    workspace.remove();
    await live.close();
    await back?.close();
  }

  const at = (t: Track, from: number, to: number) =>
    summarize(t.rss.filter(([s]) => s >= from && s <= to).map(([, m]) => m));
  const oursLive = tracks.find((t) => t.v.id === 'ours-live');
  const json: Record<string, unknown> = {};
  const rows = tracks.map((t) => {
    const startMiB = t.rss[0]?.[1] ?? Number.NaN;
    const endDown = at(t, downS - 5, downS).median;
    const maxDown = at(t, 0, downS).max;
    const endBack = at(t, downS + backS - 5, downS + backS + 1).median;
    const delivered = live.spans(t.service) + (back?.spans(t.service) ?? 0);
    const deliveredBack = back?.spans(t.service) ?? 0;
    const ownCount = /(\d+) spans were dropped while it failed|(\d+) spans dropped in all/.exec(
      t.services.procs[0]?.stderr ?? '',
    );
    const made = t.v.agent === 'bare' ? 0 : t.requests;
    json[t.v.id] = {
      label: t.v.label,
      requests: t.requests,
      delivered,
      deliveredAfterBack: deliveredBack,
      startMiB,
      endDown,
      maxDown,
      endBack,
      resumedAfterS: t.resumedAfterS,
      rss: t.rss,
      stderr: t.services.procs[0]?.stderr.slice(-2000),
    };
    let target = '';
    if (t.v.id === 'ours-down' && oursLive !== undefined) {
      const ref = at(oursLive, downS - 5, downS).median;
      const refMax = at(oursLive, 0, downS).max;
      target = verdict(
        endDown - ref <= TARGET_MIB && maxDown - refMax <= TARGET_MIB,
        `<= export on + ${TARGET_MIB} MiB (at ${downS} s and max)`,
      );
    }
    return [
      t.v.label,
      startMiB.toFixed(1),
      maxDown.toFixed(1),
      endDown.toFixed(1),
      endBack.toFixed(1),
      String(t.requests),
      t.v.agent === 'bare' ? '' : String(delivered),
      t.v.agent === 'bare'
        ? ''
        : `${Math.max(0, made - delivered)} (${((100 * Math.max(0, made - delivered)) / Math.max(made, 1)).toFixed(1)}%)`,
      t.v.exporting === 'down'
        ? `${deliveredBack} delivered, first after ${t.resumedAfterS === undefined ? `>${backS}` : t.resumedAfterS.toFixed(1)} s`
        : '',
      ownCount ? (ownCount[1] ?? ownCount[2] ?? '') : '',
      target,
    ];
  });
  const markdown = printTable(
    `Memory: node:http service at ${rate} req/s, collector down for ${downS} s then back for ${backS} s (RSS MiB)`,
    [
      'variant',
      'RSS start',
      `max 0-${downS} s`,
      `at ${downS} s`,
      `at ${downS + backS} s`,
      'requests',
      'spans delivered',
      'dropped (share)',
      'after the collector is back',
      'agent says dropped',
      'target',
    ],
    rows,
  );
  writeResults('memory', { rate, downS, backS, results: json });
  writeMarkdown('memory', markdown);
  return markdown;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runMemory();
