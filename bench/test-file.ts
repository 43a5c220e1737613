// Scenario 7, cost per process: wall time of `node --test` on a one-test file that makes one HTTP
// request (what a runner starting one process per test file pays for every file), bare, under
// upstream's register and under ours with export off, the collector down (a closed port) and a live
// receiver. Run: tsx bench/test-file.ts [--quick] [--rounds N]
import { pathToFileURL } from 'node:url';
import { benchOptions } from './lib/cli.js';
import { closedEndpoint, countingReceiver, settled } from './lib/collector.js';
import { CORES, FOREIGN_LIMIT, foreignMeter, pinSelf, startNode, waitForQuiet } from './lib/proc.js';
import { fmt, printTable, verdict, writeMarkdown, writeResults } from './lib/report.js';
import { Samples } from './lib/stats.js';
import { agentEnv, type Endpoints, nodeArgs, type Variant, variant } from './lib/variants.js';
import { appWorkspace, repoWorkspace, type Workspace } from './lib/workspace.js';

/** How much more than export off a closed port may cost ours. */
const TARGET_MS = 20;
const APP = 'one-request.test.mjs';

interface Row {
  readonly v: Variant;
  /** Run from the repo's bench/apps, whose node_modules has every framework (our agent loads them all). */
  readonly inRepo?: boolean;
}

const ROWS: readonly Row[] = [
  { v: variant('bare') },
  { v: variant('upstream', 'live') },
  { v: variant('upstream', 'down') },
  { v: variant('ours', 'off') },
  { v: variant('ours', 'down') },
  { v: variant('ours', 'live') },
  { v: variant('ours', 'off', 'repo node_modules'), inRepo: true },
  { v: variant('ours', 'down', 'repo node_modules'), inRepo: true },
];

export async function runTestFile(argv?: readonly string[]): Promise<string> {
  const options = benchOptions(argv);
  const rounds = options.rounds ?? (options.quick ? 2 : 10);
  pinSelf();
  const receiver = await countingReceiver();
  const endpoints: Endpoints = { live: receiver.endpoint, down: (await closedEndpoint()).endpoint };
  const workspace = appWorkspace();
  const samples = new Samples();
  const spans: Record<string, number[]> = {};
  let retries = 0;
  let runs = 0;

  const attempt = async (row: Row): Promise<{ ms: number; foreign: number; service: string }> => {
    const ws: Workspace = row.inRepo ? repoWorkspace : workspace;
    const service = `bench-test-file-${row.v.id}-${runs++}`;
    const foreign = foreignMeter();
    const proc = startNode({
      script: ws.app(APP),
      // The runner starts the file in a child of its own, with these flags: the cost measured.
      nodeArgs: [...nodeArgs(row.v.agent), '--test'],
      env: agentEnv(row.v, endpoints, service),
      cwd: ws.dir,
      core: CORES.server,
      timeoutMs: 30_000,
    });
    const exit = await proc.exited;
    if (exit.code !== 0 || !/\bpass 1\b/.test(proc.stdout))
      throw new Error(`${APP} under ${row.v.label} failed\n${proc.output()}`);
    return { ms: Number(exit.atNs - proc.startNs) / 1e6, foreign: foreign(), service };
  };
  /** A run during which something else used the cores is repeated (up to twice). */
  const once = async (row: Row): Promise<{ ms: number; service: string }> => {
    for (let n = 0; ; n++) {
      const result = await attempt(row);
      if (result.foreign <= FOREIGN_LIMIT || n === 2) return result;
      retries++;
      await waitForQuiet(10_000);
    }
  };

  try {
    for (const row of ROWS) await once(row); // warm the file cache
    for (let round = 0; round < rounds; round++) {
      for (const row of ROWS) {
        const { ms, service } = await once(row);
        samples.add(row.v.id, 'ms', ms);
        if (row.v.exporting === 'live') {
          const list = spans[row.v.id] ?? [];
          list.push(await settled(() => receiver.spans(service)));
          spans[row.v.id] = list;
        }
      }
      process.stderr.write(`test-file: round ${round + 1}/${rounds} done\n`);
    }
  } finally {
    workspace.remove();
    await receiver.close();
  }

  const json: Record<string, unknown> = {};
  const bare = samples.get('bare', 'ms');
  /** Ours with export off, from the same node_modules as `row`. */
  const off = (row: Row): number => {
    const same = ROWS.find((r) => r.v.agent === 'ours' && r.v.exporting === 'off' && r.inRepo === row.inRepo);
    return samples.get(same?.v.id ?? '', 'ms').median;
  };
  const rows = ROWS.map((row) => {
    const ms = samples.get(row.v.id, 'ms');
    const delivered = spans[row.v.id];
    const overOff = ms.median - off(row);
    json[row.v.id] = {
      label: row.v.label,
      ms,
      overBareMs: ms.median - bare.median,
      spansDelivered: delivered,
    };
    return [
      row.v.label,
      fmt(ms),
      row.v.agent === 'bare' ? '' : `+${(ms.median - bare.median).toFixed(0)}`,
      `x${(ms.median / bare.median).toFixed(2)}`,
      row.v.agent === 'ours' && row.v.exporting !== 'off'
        ? `${overOff >= 0 ? '+' : ''}${overOff.toFixed(0)}`
        : '',
      delivered === undefined ? '' : delivered.join(', '),
      row.v.agent === 'ours' && row.v.exporting === 'down'
        ? verdict(overOff <= TARGET_MS, `<= export off +${TARGET_MS} ms`)
        : '',
    ];
  });
  const markdown = printTable(
    `Per process: \`node --test\` on a one-request test file (${rounds} rounds, median (min-max); ${retries} runs repeated because another process used the cores)`,
    ['variant', 'wall ms', 'vs bare', 'ratio', 'vs ours off', 'spans delivered per run', 'target'],
    rows,
  );
  writeResults('test-file', { rounds, retries, results: json });
  writeMarkdown('test-file', markdown);
  return markdown;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runTestFile();
