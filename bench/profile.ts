// Where an agent's cost goes: runs one bench app under one variant with --cpu-prof, loads it (for
// the servers), and prints the top self time by module and by function, source-mapped through the
// agent's bundle. Profiles are kept in .bench-results/profiles/.
// Run: tsx bench/profile.ts [--app http|chain|tiny|express-exit|span-load] [--agent ours|upstream|bare]
//      [--exporting off|live|down] [--seconds 5] [--rate 16000 (span-load)] [--sdk-tracer (LOGOS_OTEL_TRACER=sdk)]
//      [--interval-us 1000 (sampling interval)] [--from-s 0 (leave out the first seconds)]
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { closedEndpoint, countingReceiver } from './lib/collector.js';
import { summarizeProfiles } from './lib/cpu-profile.js';
import { load } from './lib/load.js';
import { CORES, pinSelf, startNode } from './lib/proc.js';
import { printTable, RESULTS } from './lib/report.js';
import { type AppKind, startServices } from './lib/services.js';
import { type Agent, agentEnv, type Exporting, nodeArgs, variant } from './lib/variants.js';
import { appWorkspace } from './lib/workspace.js';

export async function runProfile(argv: readonly string[] = process.argv.slice(2)): Promise<string> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      app: { type: 'string', default: 'http' },
      agent: { type: 'string', default: 'ours' },
      exporting: { type: 'string', default: 'live' },
      seconds: { type: 'string', default: '5' },
      top: { type: 'string', default: '15' },
      rate: { type: 'string', default: '16000' },
      'sdk-tracer': { type: 'boolean', default: false },
      'interval-us': { type: 'string', default: '1000' },
      'from-s': { type: 'string', default: '0' },
    },
    strict: true,
  });
  const app = values.app as string;
  const sdkTracer = values['sdk-tracer'] === true ? { LOGOS_OTEL_TRACER: 'sdk' } : undefined;
  const v = variant(
    values.agent as Agent,
    values.exporting as Exporting,
    sdkTracer ? 'SDK tracer' : '',
    sdkTracer,
  );
  const seconds = Number(values.seconds);
  const dir = join(RESULTS, 'profiles', `${app}-${v.id}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const profiling = ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${values['interval-us']}`];
  pinSelf();
  const receiver = await countingReceiver();
  const endpoints = { live: receiver.endpoint, down: (await closedEndpoint()).endpoint };
  const workspace = appWorkspace();
  let requests = 0;
  try {
    if (app === 'http' || app === 'chain') {
      const services = await startServices({
        kind: app as AppKind,
        variant: v,
        endpoints,
        service: `bench-profile-${app}`,
        workspace,
        timeoutMs: (seconds + 30) * 1000,
        extraNodeArgs: profiling,
        extraEnv: { BENCH_EXIT_AFTER_MS: String((seconds + 4) * 1000) },
      });
      // Warm-up requests count too: the profile covers the whole life of the process.
      requests = (await load({ url: services.url, durationS: 1 })).requests;
      requests += (await load({ url: services.url, durationS: seconds })).requests;
      await Promise.all(services.procs.map((p) => p.exited));
    } else {
      const proc = startNode({
        script: workspace.app(`${app}.mjs`),
        nodeArgs: [...nodeArgs(v.agent), ...profiling],
        env: {
          ...agentEnv(v, endpoints, `bench-profile-${app}`),
          // For span-load: spans a second, for `seconds`.
          RATE: String(values.rate),
          DURATION_MS: String(seconds * 1000),
        },
        cwd: workspace.dir,
        core: CORES.server,
        timeoutMs: 30_000,
      });
      await proc.exited;
    }
  } finally {
    workspace.remove();
    await receiver.close();
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
  if (files.length === 0) throw new Error(`no profile written in ${dir}`);
  const fromS = Number(values['from-s']);
  const summary = summarizeProfiles(files, Number(values.top), fromS * 1000);
  // span-load makes `rate` spans a second: per-span cost of the window profiled.
  if (app === 'span-load') requests = Math.round(Number(values.rate) * Math.max(seconds - fromS, 0));
  const share = (ms: number) => `${((100 * ms) / summary.totalMs).toFixed(1)}%`;
  const perReq = (ms: number) => (requests ? ((ms * 1000) / requests).toFixed(1) : '');
  const unit = app === 'span-load' ? 'spans' : 'requests';
  const window = fromS > 0 ? ` from ${fromS} s` : '';
  const title = `${app} under ${v.label}${window}: ${summary.totalMs.toFixed(0)} ms busy${requests ? ` for ${requests} ${unit}` : ''}`;
  let text = printTable(
    `Self time by module, ${title}`,
    ['module', 'ms', 'share', requests ? `us/${unit === 'spans' ? 'span' : 'req'}` : ''],
    summary.byModule.map(([m, ms]) => [m, ms.toFixed(0), share(ms), perReq(ms)]),
  );
  text += printTable(
    `Self time by function, ${title}`,
    ['function', 'ms', 'share', requests ? `us/${unit === 'spans' ? 'span' : 'req'}` : ''],
    summary.byFunction.map(([f, ms]) => [f, ms.toFixed(0), share(ms), perReq(ms)]),
  );
  console.log(`profiles: ${dir}`);
  return text;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runProfile();
