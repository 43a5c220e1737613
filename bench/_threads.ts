import { readdirSync, readFileSync } from 'node:fs';
import { closedEndpoint, countingReceiver } from './lib/collector.js';
import { load } from './lib/load.js';
import { pinSelf } from './lib/proc.js';
import { type AppKind, startServices } from './lib/services.js';
import { type Agent, type Exporting, variant } from './lib/variants.js';
import { appWorkspace } from './lib/workspace.js';

const HZ = 100;
function threads(pid: number): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const s = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const comm = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    const key = `${comm}`;
    const prev = out.get(key) ?? [0, 0];
    out.set(key, [prev[0] + (Number(f[11]) * 1000) / HZ, prev[1] + (Number(f[12]) * 1000) / HZ]);
  }
  return out;
}
const [kind, agent, exporting, rate, secs] = process.argv.slice(2);
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
  extraEnv: JSON.parse(process.env.EXTRA ?? '{}'),
});
await load({ url: services.url, durationS: 3, rate: Number(rate) });
const before = services.procs.map((p) => threads(p.pid));
const r = await load({ url: services.url, durationS: Number(secs), rate: Number(rate) });
const after = services.procs.map((p) => threads(p.pid));
services.procs.forEach((p, i) => {
  const rows: string[] = [];
  let tu = 0,
    ts = 0;
  for (const [k, [u, s]] of after[i]!) {
    const [u0, s0] = before[i]!.get(k) ?? [0, 0];
    const du = ((u - u0) * 1000) / r.requests,
      ds = ((s - s0) * 1000) / r.requests;
    tu += du;
    ts += ds;
    if (du + ds > 0.5) rows.push(`${k}: user ${du.toFixed(1)} sys ${ds.toFixed(1)}`);
  }
  console.log(
    `${services.serviceNames[i]} total user ${tu.toFixed(1)} sys ${ts.toFixed(1)} µs/req | ${rows.join(' | ')}`,
  );
});
console.log(
  'requests',
  r.requests,
  'spans',
  services.serviceNames.map((n) => receiver.spans(n)),
);
await services.stop();
workspace.remove();
await receiver.close();
process.exit(0);
