// Scenario 1, start-up: wall time (spawn to exit) and peak RSS of a tiny ESM app and of an Express
// app that exit at once, bare, under upstream's register and under ours. Run: tsx bench/startup.ts [--quick]
import { pathToFileURL } from 'node:url';
import { benchOptions } from './lib/cli.js';
import { closedEndpoint } from './lib/collector.js';
import { CORES, FOREIGN_LIMIT, foreignMeter, pinSelf, startNode, waitForQuiet } from './lib/proc.js';
import { fmt, printTable, verdict, writeMarkdown, writeResults } from './lib/report.js';
import { Samples } from './lib/stats.js';
import { agentEnv, nodeArgs, type Variant, variant } from './lib/variants.js';
import { appWorkspace, repoWorkspace, type Workspace } from './lib/workspace.js';

const TARGET_MS = 100;
const TARGET_MIB = 25;

interface Row {
  readonly v: Variant;
  /** Run from the repo's bench/apps, whose node_modules has every framework (our agent loads them all). */
  readonly inRepo?: boolean;
}

const ROWS: readonly Row[] = [
  { v: variant('bare') },
  { v: variant('upstream', 'off') },
  { v: variant('upstream', 'down') },
  { v: variant('upstream-no-loader', 'off') },
  { v: variant('ours', 'off') },
  { v: variant('ours', 'down') },
  { v: variant('ours', 'off', 'repo node_modules'), inRepo: true },
  { v: variant('ours', 'down', 'repo node_modules'), inRepo: true },
];
const APPS = [
  { app: 'tiny.mjs', title: 'tiny ESM app' },
  { app: 'express-exit.mjs', title: 'Express app' },
] as const;

export async function runStartup(argv?: readonly string[]): Promise<string> {
  const options = benchOptions(argv);
  const rounds = options.rounds ?? (options.quick ? 2 : 10);
  pinSelf();
  const { endpoint: down } = await closedEndpoint();
  const workspace = appWorkspace();
  const samples = new Samples();
  const key = (app: string, row: Row) => `${app}|${row.v.id}`;

  let retries = 0;
  const attempt = async (app: string, row: Row): Promise<{ ms: number; rssMiB: number; foreign: number }> => {
    const ws: Workspace = row.inRepo ? repoWorkspace : workspace;
    const foreign = foreignMeter();
    const proc = startNode({
      script: ws.app(app),
      nodeArgs: nodeArgs(row.v.agent),
      env: agentEnv(row.v, { down }, `bench-startup-${row.v.id}`),
      cwd: ws.dir,
      core: CORES.server,
      timeoutMs: 30_000,
    });
    const exit = await proc.exited;
    const report = proc.jsonLines().find((l) => typeof l.maxRssKiB === 'number');
    if (exit.code !== 0 || report === undefined)
      throw new Error(`${app} under ${row.v.label} failed\n${proc.output()}`);
    return {
      ms: Number(exit.atNs - proc.startNs) / 1e6,
      rssMiB: (report.maxRssKiB as number) / 1024,
      foreign: foreign(),
    };
  };
  /** A run during which something else used the cores is repeated (up to twice). */
  const once = async (app: string, row: Row): Promise<{ ms: number; rssMiB: number }> => {
    for (let n = 0; ; n++) {
      const result = await attempt(app, row);
      if (result.foreign <= FOREIGN_LIMIT || n === 2) return result;
      retries++;
      await waitForQuiet(10_000);
    }
  };

  try {
    for (const { app } of APPS) for (const row of ROWS) await once(app, row); // warm the file cache
    for (let round = 0; round < rounds; round++) {
      for (const { app } of APPS) {
        for (const row of ROWS) {
          const { ms, rssMiB } = await once(app, row);
          samples.add(key(app, row), 'ms', ms);
          samples.add(key(app, row), 'rssMiB', rssMiB);
        }
      }
      process.stderr.write(`startup: round ${round + 1}/${rounds} done\n`);
    }
  } finally {
    workspace.remove();
  }

  let markdown = '';
  const json: Record<string, unknown> = {};
  for (const { app, title } of APPS) {
    const bare = {
      ms: samples.get(key(app, ROWS[0] as Row), 'ms'),
      rss: samples.get(key(app, ROWS[0] as Row), 'rssMiB'),
    };
    const rows = ROWS.map((row) => {
      const ms = samples.get(key(app, row), 'ms');
      const rss = samples.get(key(app, row), 'rssMiB');
      const dMs = ms.median - bare.ms.median;
      const dMiB = rss.median - bare.rss.median;
      const ours = row.v.agent === 'ours';
      json[key(app, row)] = { label: row.v.label, ms, rssMiB: rss, overBareMs: dMs, overBareMiB: dMiB };
      return [
        row.v.label,
        fmt(ms),
        row.v.agent === 'bare' ? '' : `+${dMs.toFixed(0)}`,
        fmt(rss, 1),
        row.v.agent === 'bare' ? '' : `+${dMiB.toFixed(1)}`,
        ours
          ? verdict(dMs <= TARGET_MS && dMiB <= TARGET_MIB, `<= +${TARGET_MS} ms, +${TARGET_MIB} MiB`)
          : '',
      ];
    });
    markdown += printTable(
      `Start-up: ${title} (${rounds} rounds, median (min-max); ${retries} runs repeated because another process used the cores)`,
      ['variant', 'wall ms', 'vs bare', 'peak RSS MiB', 'vs bare', 'target'],
      rows,
    );
  }
  writeResults('startup', { rounds, retries, results: json });
  writeMarkdown('startup', markdown);
  return markdown;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStartup();
