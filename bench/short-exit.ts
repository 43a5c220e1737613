// Scenario 2, short script exit: time from a script's last line of work to the process's exit,
// with the collector up, down (closed port) and hung (accepts, never answers), bare, under
// upstream's register and under ours. Run: tsx bench/short-exit.ts [--quick]
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { benchOptions } from './lib/cli.js';
import { blackHole, closedEndpoint, countingReceiver, settled } from './lib/collector.js';
import { CORES, pinSelf, startNode } from './lib/proc.js';
import { fmt, printTable, verdict, writeMarkdown, writeResults } from './lib/report.js';
import { Samples } from './lib/stats.js';
import { agentEnv, type Endpoints, nodeArgs, variant } from './lib/variants.js';
import { appWorkspace } from './lib/workspace.js';

const TARGET_MS = 100;
const CALLS = 5;
/** A run is killed after this long; the table then shows the limit as a lower bound. */
const LIMIT_MS = 30_000;

const VARIANTS = [
  variant('bare'),
  variant('upstream', 'live'),
  variant('upstream', 'down'),
  variant('upstream', 'hung'),
  variant('ours', 'live'),
  variant('ours', 'down'),
  variant('ours', 'hung'),
];

export async function runShortExit(argv?: readonly string[]): Promise<string> {
  const options = benchOptions(argv);
  const rounds = options.rounds ?? (options.quick ? 1 : 3);
  pinSelf();
  const target = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}/work`;
  const receiver = await countingReceiver();
  const hole = await blackHole();
  const endpoints: Endpoints = {
    live: receiver.endpoint,
    down: (await closedEndpoint()).endpoint,
    hung: hole.endpoint,
  };
  const workspace = appWorkspace();
  const samples = new Samples();
  const spans: Record<string, number[]> = {};
  let killed = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      for (const v of VARIANTS) {
        const service = `bench-short-${v.id}-${round}`;
        const proc = startNode({
          script: workspace.app('short-script.mjs'),
          nodeArgs: nodeArgs(v.agent),
          env: { ...agentEnv(v, endpoints, service), TARGET_URL: targetUrl, CALLS: String(CALLS) },
          cwd: workspace.dir,
          core: CORES.server,
          timeoutMs: LIMIT_MS,
        });
        const exit = await proc.exited;
        const report = proc.jsonLines().find((l) => typeof l.lastWorkAt === 'number');
        if (report === undefined) throw new Error(`short-script under ${v.label} failed\n${proc.output()}`);
        if (exit.killed) killed++;
        samples.add(v.id, 'exitMs', exit.at - (report.lastWorkAt as number));
        samples.add(v.id, 'wallMs', Number(exit.atNs - proc.startNs) / 1e6);
        if (v.exporting === 'live') {
          const list = spans[v.id] ?? [];
          list.push(await settled(() => receiver.spans(service)));
          spans[v.id] = list;
        }
      }
      process.stderr.write(`short-exit: round ${round + 1}/${rounds} done\n`);
    }
  } finally {
    workspace.remove();
    target.close();
    await hole.close();
    await receiver.close();
  }

  const json: Record<string, unknown> = {};
  const bareExit = samples.get('bare', 'exitMs');
  const rows = VARIANTS.map((v) => {
    const exitMs = samples.get(v.id, 'exitMs');
    const wallMs = samples.get(v.id, 'wallMs');
    const delivered = spans[v.id];
    json[v.id] = { label: v.label, exitMs, wallMs, spansDelivered: delivered };
    const limited = exitMs.max >= LIMIT_MS - 1000 ? ` (killed at ${LIMIT_MS / 1000} s)` : '';
    return [
      v.label,
      `${fmt(exitMs)}${limited}`,
      v.agent === 'bare' ? '' : `+${(exitMs.median - bareExit.median).toFixed(0)}`,
      fmt(wallMs),
      delivered === undefined ? '' : `${delivered.join(', ')} of ${CALLS}`,
      v.agent !== 'ours'
        ? ''
        : v.exporting === 'hung'
          ? 'no target: bounded by LOGOS_OTEL_SHUTDOWN_TIMEOUT (2000 ms)'
          : verdict(exitMs.median <= TARGET_MS, `<= ${TARGET_MS} ms (median)`),
    ];
  });
  const markdown = printTable(
    `Short script: exit after its last work (${CALLS} fetch calls, ${rounds} rounds, median (min-max))`,
    ['variant', 'last work -> exit ms', 'vs bare', 'wall ms', 'client spans delivered', 'target'],
    rows,
  );
  writeResults('short-exit', { rounds, calls: CALLS, killedRuns: killed, results: json });
  writeMarkdown('short-exit', markdown);
  return markdown;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runShortExit();
