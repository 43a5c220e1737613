// What every faults scenario needs: the service under the real register, a bounded load client on
// 127.0.0.1, the service's own measurements, and the agent's drop counts read from its stderr.
// Loaded by the scenario files of test/faults/.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Fixture, type FixtureOptions, portOf, startFixture } from '../helpers/run-fixture.js';

export { sleep };

/** One row of the printed table; `failures` empty means the scenario passed. */
export interface Row {
  readonly fault: string;
  requests?: number;
  errors?: number;
  p50Ms?: number;
  p99Ms?: number;
  /** Ratios to the no-fault run's latency. */
  p50Ratio?: number;
  p99Ratio?: number;
  /** Event-loop delay the service saw: 99th percentile and largest, ms. */
  eldP99Ms?: number;
  eldMaxMs?: number;
  /** Largest event-loop delay during the warm-up (the first export loads the exporter), ms. */
  warmUpEldMaxMs?: number;
  /** Peak resident memory of the service, MiB. */
  peakRssMiB?: number;
  made?: number;
  delivered?: number;
  dropped?: number;
  exit?: string;
  exitMs?: number;
  /** A figure worth showing that has no column (recovery time, what the agent said). */
  note?: string;
  readonly failures: string[];
}

export function row(fault: string): Row {
  return { fault, failures: [] };
}

/** Records a failure on `r` unless `ok`; returns `ok`. */
export function check(r: Row, ok: boolean, message: string): boolean {
  if (!ok) r.failures.push(message);
  return ok;
}

/** The service's own figures, from GET /health/stats (untraced). */
export interface ServiceStats {
  readonly ended: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly eld: { readonly p50: number; readonly p99: number; readonly max: number };
}

export interface Service {
  readonly fixture: Fixture;
  readonly port: number;
  readonly pid: number;
  stats(reset?: boolean): Promise<ServiceStats>;
  /** Peak resident memory so far (VmHWM), MiB. */
  peakRssMiB(): number;
}

/** Env shared by every scenario: exports leave every 200 ms, metrics every second. */
export function baseEnv(endpoint: string, service: string): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_SERVICE_NAME: service,
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
  };
}

/** Starts test/fixtures/fault-service.mjs (or another fixture printing {"port","pid"}) under the register. */
export async function startService(options: Partial<FixtureOptions> & { env: Record<string, string> }) {
  const fixture = startFixture({ script: 'fault-service.mjs', timeoutMs: 30_000, ...options });
  let port: number;
  try {
    port = await portOf(fixture);
  } catch (error) {
    await fixture.stop('SIGKILL');
    throw error;
  }
  const pid = fixture.child.pid as number;
  const service: Service = {
    fixture,
    port,
    pid,
    stats: async (reset = false) => {
      const body = await get(port, `/health/stats${reset ? '?reset' : ''}`, undefined);
      return JSON.parse(body.text) as ServiceStats;
    },
    peakRssMiB: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
      return Math.round((kb / 1024) * 10) / 10;
    },
  };
  return service;
}

interface Reply {
  readonly status: number;
  readonly text: string;
}

/** One GET on 127.0.0.1; rejects on a network error or after 5 s. */
export function get(port: number, path: string, agent: Agent | undefined): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: agent ?? false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.setTimeout(5000, () => req.destroy(new Error('request timed out after 5000 ms')));
    req.on('error', reject);
    req.end();
  });
}

/** One request of a load run. */
export interface Sample {
  readonly start: number;
  readonly end: number;
  readonly ok: boolean;
  readonly error?: string;
}

export interface LoadOptions {
  readonly port: number;
  /** Requests per second over all connections. */
  readonly rate: number;
  readonly durationMs: number;
  readonly concurrency?: number;
  readonly path?: string;
  /** Hard cap on requests sent. */
  readonly maxRequests?: number;
  /** Stop sending once this returns true (checked before each request). */
  readonly stop?: () => boolean;
}

/** Paced keep-alive load from `concurrency` connections, bounded by count and time. */
export async function load(options: LoadOptions): Promise<Sample[]> {
  const concurrency = options.concurrency ?? 4;
  const interval = (1000 * concurrency) / options.rate;
  const maxRequests = options.maxRequests ?? Math.ceil((options.rate * options.durationMs) / 1000);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const samples: Sample[] = [];
  const until = Date.now() + options.durationMs;
  let sent = 0;
  const worker = async (index: number): Promise<void> => {
    let next = Date.now() + (interval * index) / concurrency;
    while (Date.now() < until && sent < maxRequests && !options.stop?.()) {
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
      next += interval;
      sent++;
      const start = performance.now();
      try {
        const reply = await get(options.port, options.path ?? '/work', agent);
        const ok = reply.status === 200 && reply.text.startsWith('ok');
        samples.push({ start, end: performance.now(), ok, error: ok ? undefined : `HTTP ${reply.status}` });
      } catch (error) {
        samples.push({ start, end: performance.now(), ok: false, error: (error as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
  agent.destroy();
  return samples;
}

/** The `p`th percentile (0-100) of the latencies of the successful samples, ms. */
export function percentile(samples: readonly Sample[], p: number): number {
  const sorted = samples
    .filter((s) => s.ok)
    .map((s) => s.end - s.start)
    .sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? Number.NaN) * 100) / 100;
}

/** What the agent said on stderr about trace export. */
export interface AgentReport {
  /** Spans the agent reported as dropped or possibly lost, in all. */
  readonly dropped: number;
  /** "cannot export traces" warnings. */
  readonly warnings: number;
  /** "traces export ... works again" lines. */
  readonly recoveries: number;
  /** Lines that are not the agent's, or that carry a stack trace. */
  readonly foreign: string[];
}

export function agentReport(stderr: string): AgentReport {
  const lines = stderr.split('\n').filter((line) => line !== '');
  let whileDown = 0;
  let inAll: number | undefined;
  let mayBeLost = 0;
  for (const line of lines) {
    if (!line.includes('traces export') && !line.includes('cannot export traces')) continue;
    const again = /works again; (\d+) spans were dropped while it failed/.exec(line);
    if (again) whileDown += Number(again[1]);
    const total = /failed until exit: (\d+) spans dropped in all|\((\d+) in all\)/.exec(line);
    if (total) inAll = Number(total[1] ?? total[2]);
    const lost = /did not finish before exit: (\d+) spans may be lost/.exec(line);
    if (lost) mayBeLost += Number(lost[1]);
  }
  return {
    dropped: Math.max(inAll ?? 0, whileDown) + mayBeLost,
    warnings: lines.filter((l) => l.includes('cannot export traces')).length,
    recoveries: lines.filter((l) => /traces export .* works again/.test(l)).length,
    foreign: lines.filter((l) => !l.startsWith('@logos/otel: ') || /^\s+at /.test(l)),
  };
}

/** Sends `signal` and waits for the exit; returns the exit and the ms it took. */
export async function signalAndWait(service: Service, signal: NodeJS.Signals) {
  const sentAt = Date.now();
  service.fixture.child.kill(signal);
  const exit = await service.fixture.exited;
  return { exit, ms: exit.at - sentAt };
}

export function describeExit(exit: { code: number | null; signal: NodeJS.Signals | null }): string {
  return exit.signal !== null ? exit.signal : `code ${exit.code}`;
}
