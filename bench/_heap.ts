import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { closedEndpoint, countingReceiver } from './lib/collector.js';
import { load } from './lib/load.js';
import { pinSelf } from './lib/proc.js';
import { type AppKind, startServices } from './lib/services.js';
import { type Agent, type Exporting, variant } from './lib/variants.js';
import { appWorkspace } from './lib/workspace.js';

const [kind, agent, exporting, rate, secs] = process.argv.slice(2);
const dir = `/tmp/heap-${kind}-${agent}-${exporting}`;
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir);
pinSelf();
const receiver = await countingReceiver();
const endpoints = { live: receiver.endpoint, down: (await closedEndpoint()).endpoint };
const workspace = appWorkspace();
const v = variant(agent as Agent, exporting as Exporting);
const services = await startServices({
  kind: kind as AppKind,
  variant: v,
  endpoints,
  service: 'thr',
  workspace,
  timeoutMs: 120000,
  extraNodeArgs: ['--expose-gc', '--import', process.env.PRELOAD ?? '/tmp/heapsample.mjs'],
  extraEnv: { HS_DIR: dir, HS_DELAY_MS: '2000', BENCH_EXIT_AFTER_MS: String((Number(secs) + 3) * 1000) },
});
await load({ url: services.url, durationS: 2, rate: Number(rate) });
const r = await load({ url: services.url, durationS: Number(secs), rate: Number(rate) });
await Promise.all(services.procs.map((p) => p.exited));
workspace.remove();
await receiver.close();
for (const f of readdirSync(dir).filter((f) => f.startsWith('h-'))) {
  const prof = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
  const by = new Map<string, number>();
  let total = 0;
  const walk = (n: any, stack: string[]) => {
    const fr = n.callFrame;
    const name = `${fr.functionName || '(anon)'} ${String(fr.url)
      .replace(/.*node_modules\//, '')
      .replace(/^file:\/\/.*\/dist\//, 'dist/')}:${fr.lineNumber}`;
    const self = n.selfSize ?? 0;
    total += self;
    if (self) by.set(name, (by.get(name) ?? 0) + self);
    for (const c of n.children ?? []) walk(c, stack);
  };
  walk(prof.head, []);
  console.log(`${f}: total sampled ${(total / r.requests).toFixed(0)} B/req`);
  for (const [k, b] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`  ${(b / r.requests).toFixed(0).padStart(6)} B/req ${k}`);
}
process.exit(0);
