// `npm run bench`: every scenario in turn (start-up, short exit, first request, throughput, memory,
// capacity, span cost, cost per test file), then .bench-results/benchmarks.md with all the tables and the
// machine they come from, the body of docs/benchmarks.md. Flags: --quick (a short smoke run of
// everything), --rounds N.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { runCapacity } from './capacity.js';
import { runFirstRequest } from './first-request.js';
import { benchOptions } from './lib/cli.js';
import { allCoresBusyMs, ownTreeCpuMs, waitForQuiet } from './lib/proc.js';
import { machine, writeMarkdown } from './lib/report.js';
import { OURS_ROOT, ROOT } from './lib/workspace.js';
import { runMemory } from './memory.js';
import { runShortExit } from './short-exit.js';
import { runSpanCost } from './span-cost.js';
import { runStartup } from './startup.js';
import { runTestFile } from './test-file.js';
import { runThroughput } from './throughput.js';

const argv = process.argv.slice(2);
const options = benchOptions(argv);
const mtime = (path: string): number => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};
if (mtime(join(OURS_ROOT, 'dist', 'register.js')) === 0) {
  throw new Error(`${OURS_ROOT}/dist/register.js is missing: run npm run build first`);
}
if (
  OURS_ROOT === ROOT &&
  mtime(join(ROOT, 'src', 'register.ts')) > mtime(join(ROOT, 'dist', 'register.js'))
) {
  console.warn('warning: src/ is newer than dist/: these numbers are for the last build (npm run build)');
}

const started = Date.now();
const m = machine();
const header = [
  `Measured ${m.date.slice(0, 10)} on ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.kernel}, Node ${m.node}, commit ${m.commit}${options.quick ? ', --quick' : ''}.`,
  '',
].join('\n');
const sections: string[] = [header];
for (const [name, run] of [
  ['startup', runStartup],
  ['short-exit', runShortExit],
  ['first-request', runFirstRequest],
  ['throughput', runThroughput],
  ['memory', runMemory],
  ['capacity', runCapacity],
  ['span-cost', runSpanCost],
  ['test-file', runTestFile],
] as const) {
  await waitForQuiet();
  const t0 = Date.now();
  const busy0 = allCoresBusyMs();
  const own0 = ownTreeCpuMs();
  console.log(`\n== ${name} ==`);
  sections.push(await run(argv));
  // Busy time on the cores that neither this harness nor its (exited) children account for:
  // another process, or kernel network work not charged to any process.
  const seconds = (Date.now() - t0) / 1000;
  const foreign =
    (allCoresBusyMs() - busy0 - (ownTreeCpuMs() - own0)) / (seconds * 1000 * availableParallelism());
  const note = `${name}: ${seconds.toFixed(0)} s; CPU not used by the benchmark: ${(100 * foreign).toFixed(0)}% of the cores`;
  console.log(`(${note})`);
  sections.push(`_${note} (a few % is kernel work; much more means something else ran)._\n`);
}
writeMarkdown('benchmarks', sections.join('\n'));
console.log(
  `\nall scenarios: ${((Date.now() - started) / 1000).toFixed(0)} s; tables in .bench-results/benchmarks.md`,
);
