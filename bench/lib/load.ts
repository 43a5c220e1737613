// Load from a second process: autocannon's CLI, pinned to the load core, bounded by its duration
// and by a kill timer. Returns requests, rate, errors and latency.
import { join } from 'node:path';
import { CORES, startNode } from './proc.js';
import { ROOT } from './workspace.js';

const AUTOCANNON = join(ROOT, 'node_modules', 'autocannon', 'autocannon.js');

export interface LoadOptions {
  readonly url: string;
  readonly connections?: number;
  readonly durationS: number;
  /** Requests per second over all connections; unset means as fast as the server answers. */
  readonly rate?: number;
  /** Core to run on; default the load core. */
  readonly core?: number;
}

export interface LoadResult {
  /** Completed requests with a 2xx answer. */
  readonly ok: number;
  readonly requests: number;
  /** Requests sent, including those still unanswered when the duration ran out. */
  readonly sent: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly durationS: number;
  readonly rps: number;
  /** Milliseconds, whole-millisecond resolution (autocannon's histogram). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** connections / rps: the mean latency by Little's law, finer than autocannon's whole ms. */
  readonly meanMs: number;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const connections = options.connections ?? 10;
  const args = ['-j', '-n', '-c', String(connections), '-d', String(options.durationS)];
  if (options.rate !== undefined) args.push('-R', String(options.rate));
  args.push(options.url);
  const proc = startNode({
    script: AUTOCANNON,
    args,
    cwd: ROOT,
    core: options.core ?? CORES.load,
    timeoutMs: (options.durationS + 15) * 1000,
  });
  const exit = await proc.exited;
  const result = proc.jsonLines().at(-1) as
    | {
        requests: { total: number; sent: number };
        latency: { p50: number; p99: number };
        errors: number;
        timeouts: number;
        non2xx: number;
        duration: number;
        '2xx': number;
      }
    | undefined;
  if (exit.code !== 0 || result === undefined) {
    throw new Error(`autocannon failed (exit ${exit.code ?? exit.signal})\n${proc.output()}`);
  }
  const rps = result['2xx'] / result.duration;
  return {
    ok: result['2xx'],
    requests: result.requests.total,
    sent: result.requests.sent,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    durationS: result.duration,
    rps,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: options.rate === undefined ? (connections / rps) * 1000 : Number.NaN,
  };
}
