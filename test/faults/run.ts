// `npm run test:faults`: runs every fault scenario as real processes (the real register, real OTLP
// gRPC export to an in-process collector), prints one table of figures and exits 1 if any
// assertion failed. `-- --only <text>` runs the scenarios whose name contains <text>.
import { parseArgs } from 'node:util';
import { collectorFaults } from './collector-faults.js';
import type { Row } from './lib.js';
import { receiverFlood } from './receiver-flood.js';
import { shutdownFaults } from './shutdown-faults.js';
import { formatDetails, formatTable } from './table.js';

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const only = values.only === undefined ? undefined : (name: string) => name.includes(values.only as string);

const started = Date.now();
const groups: [string, (only?: (name: string) => boolean) => Promise<Row[]>][] = [
  ['collector faults under load (300 requests at 100/s each)', collectorFaults],
  ['shutdown', shutdownFaults],
  ['logos-otel dev under a flood of bad requests', receiverFlood],
];

const all: Row[] = [];
for (const [title, run] of groups) {
  let rows: Row[];
  try {
    rows = await run(only);
  } catch (error) {
    rows = [{ fault: title, failures: [`the scenario crashed: ${(error as Error).stack ?? String(error)}`] }];
  }
  if (rows.length === 0) continue;
  console.log(`\n${title}\n`);
  for (const line of formatTable(rows)) console.log(line);
  all.push(...rows);
}
const details = formatDetails(all);
if (details.length > 0) console.log(`\n${details.join('\n')}`);
const failed = all.filter((r) => r.failures.length > 0);
console.log(
  `\n${all.length - failed.length}/${all.length} scenarios passed in ${Math.round((Date.now() - started) / 1000)} s`,
);
process.exitCode = failed.length > 0 ? 1 : 0;
