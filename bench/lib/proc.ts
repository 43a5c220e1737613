// Child processes for the benchmarks: spawns a Node app (optionally pinned to one core with
// taskset) with test/helpers/child-process.ts, reads CPU time and RSS from /proc.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { type Child, type Exit, portOf, startChild } from '../../test/helpers/child-process.js';

/** Cores to pin to: the server on one, the load generator (and this harness) on the other. */
export const CORES = { server: 0, load: 1 } as const;

const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((p) => existsSync(p));

/** True when processes can be pinned to separate cores (taskset present, 2+ cores). */
export const canPin = TASKSET !== undefined && availableParallelism() >= 2;

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Pins this process (all its threads) to `core`, so the harness and its in-process receiver stay off the server's core. */
export function pinSelf(core: number = CORES.load): void {
  if (!canPin || TASKSET === undefined) return;
  try {
    execFileSync(TASKSET, ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
  } catch {
    // Not pinning only makes the numbers noisier.
  }
}

/** argv that runs `command args` on `core` (or unpinned when pinning is not possible). */
export function pinned(
  core: number | undefined,
  command: string,
  args: readonly string[],
): [string, string[]] {
  if (core === undefined || !canPin || TASKSET === undefined) return [command, [...args]];
  return [TASKSET, ['-c', String(core), command, ...args]];
}

/** CPU time (user + system, all threads) of a live process in milliseconds; NaN once it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), counted from the state field (3).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time of this process and of its children that have exited (utime, stime, cutime, cstime of
 * /proc/self/stat), in ms: with {@link coreTimes}, what else used the cores during a scenario.
 */
export function ownTreeCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (
      ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / CLK_TCK
    );
  } catch {
    return Number.NaN;
  }
}

/** Busy jiffies of all cores together, in ms. */
export function allCoresBusyMs(): number {
  return (coreTimes().reduce((sum, c) => sum + c.busy, 0) * 1000) / CLK_TCK;
}

/**
 * Starts measuring what share of the cores something other than this harness and its children used.
 * Call the returned function once the children of interest have exited (their time is then counted
 * as ours), passing the CPU ms of children still running (a server being measured).
 */
export function foreignMeter(): (liveChildrenCpuMs?: number) => number {
  const busy0 = allCoresBusyMs();
  const own0 = ownTreeCpuMs();
  const t0 = Date.now();
  return (liveChildrenCpuMs = 0) => {
    const wallMs = Math.max(Date.now() - t0, 1);
    const foreign = allCoresBusyMs() - busy0 - (ownTreeCpuMs() - own0) - liveChildrenCpuMs;
    return Math.max(0, foreign / (wallMs * availableParallelism()));
  };
}

/** Above this share of the cores used by something else, a timed run is repeated. */
export const FOREIGN_LIMIT = 0.1;

/**
 * Waits (at most `maxMs`) for a 2 s window in which the cores are at least 90% idle, so a run does
 * not start while another process (a build, a test run) is using them. Call it with nothing of ours
 * running. Returns how long it waited, or -1 if the machine never went quiet.
 */
export async function waitForQuiet(maxMs = 60_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < maxMs) {
    const before = coreTimes();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const after = coreTimes();
    const busy =
      after.reduce((sum, _core, i) => sum + coreBusyShare(before, after, i), 0) / Math.max(after.length, 1);
    if (!(busy > 0.1)) return Date.now() - started;
  }
  process.stderr.write(
    `the cores stayed busy for ${maxMs / 1000} s: something else is running, numbers will be noisy\n`,
  );
  return -1;
}

/** Busy and total jiffies of each core, from /proc/stat; diff two readings with {@link coreBusyShare}. */
export function coreTimes(): { busy: number; total: number }[] {
  try {
    return readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .filter((line) => /^cpu\d+ /.test(line))
      .map((line) => {
        const values = line.trim().split(/\s+/).slice(1).map(Number);
        const total = values.reduce((a, b) => a + b, 0);
        // idle and iowait are the 4th and 5th values.
        return { busy: total - (values[3] ?? 0) - (values[4] ?? 0), total };
      });
  } catch {
    return [];
  }
}

/** Share (0-1) of `core` that was busy between two {@link coreTimes} readings. */
export function coreBusyShare(
  before: readonly { busy: number; total: number }[],
  after: readonly { busy: number; total: number }[],
  core: number,
): number {
  const a = before[core];
  const b = after[core];
  if (a === undefined || b === undefined || b.total === a.total) return Number.NaN;
  return (b.busy - a.busy) / (b.total - a.total);
}

/** Resident set size of a live process in KiB (VmRSS), NaN once it is gone. */
export function rssKiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export interface NodeProcessOptions {
  readonly script: string;
  readonly args?: readonly string[];
  /** Node flags before the script (the agent's --import and --experimental-loader). */
  readonly nodeArgs?: readonly string[];
  /** Added to a clean environment (PATH and HOME only), so the caller's OTEL_* never leak in. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Core to pin to; undefined runs unpinned. */
  readonly core?: number;
  /** The process is killed (SIGKILL) after this long. */
  readonly timeoutMs: number;
}

export type { Exit };

/** A running benchmark app (see {@link Child}). */
export type NodeProcess = Child;

/** Starts `node [nodeArgs] script [args]`, pinned when asked; killed after `timeoutMs` whatever happens. */
export function startNode(options: NodeProcessOptions): NodeProcess {
  const [command, args] = pinned(options.core, process.execPath, [
    ...(options.nodeArgs ?? []),
    options.script,
    ...(options.args ?? []),
  ]);
  return startChild({
    command,
    args,
    cwd: options.cwd,
    env: options.env ?? {},
    timeoutMs: options.timeoutMs,
    name: options.script,
    outputTail: 4000,
  });
}

export { portOf };
