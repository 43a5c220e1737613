// Runs the real tools the stack tests need: Debian's `prometheus` server on 127.0.0.1 with a
// generated config, and one-shot commands (`promtool`, `docker-compose`). A missing binary is a
// failure that says what to install, never a skip. Used by test/e2e/stack-*.test.ts.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runChild, startChild } from './child-process.js';
import { closedPort } from './otlp.js';

const INSTALL_HINT: Record<string, string> = {
  prometheus: 'apt-get install -y prometheus (Debian; .ci/run installs it)',
  promtool: 'apt-get install -y prometheus (Debian; it brings promtool; .ci/run installs it)',
  'docker-compose': 'apt-get install -y docker-compose (Debian; .ci/run installs it)',
};

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly output: string;
}

function missing(command: string): Error {
  return new Error(`${command} is not installed (not on PATH): ${INSTALL_HINT[command] ?? command}`);
}

/** Runs `command` to its end (killed after `timeoutMs`); rejects only when it cannot start. */
export async function run(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  try {
    const result = await runChild({ ...options, command, args, timeoutMs: options.timeoutMs ?? 30_000 });
    return { ...result, output: `$ ${command} ${args.join(' ')}\n${result.stdout}${result.stderr}` };
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? missing(command) : error;
  }
}

export interface PromSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

export interface PrometheusServer {
  readonly url: string;
  /** An instant query through the HTTP API; throws on a PromQL error. */
  query(expr: string): Promise<PromSample[]>;
  /** Active scrape targets as the API lists them. */
  targets(): Promise<{ labels: Record<string, string>; health: string; lastError: string }[]>;
  output(): string;
  stop(): Promise<void>;
}

export interface ScrapeJob {
  readonly job_name: string;
  readonly static_configs: { targets: string[] }[];
  readonly honor_labels?: boolean;
}

/** Starts Debian's Prometheus on 127.0.0.1 (a free port) scraping `jobs`; waits until it is ready. */
export async function startPrometheus(options: {
  jobs: readonly ScrapeJob[];
  scrapeInterval?: string;
  timeoutMs?: number;
}): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'logos-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  const interval = options.scrapeInterval ?? '1s';
  await writeFile(
    configFile,
    stringify({
      global: { scrape_interval: interval, evaluation_interval: interval },
      scrape_configs: options.jobs,
    }),
  );
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}`;
  const prometheus = startChild({
    command: 'prometheus',
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
      '--log.level=warn',
    ],
    env: { HOME: dir },
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  // Rejects only when it cannot start; an early exit is reported by the readiness loop.
  const failedToStart = prometheus.exited.then(
    () => new Promise<never>(() => undefined),
    (error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? missing('prometheus') : error;
    },
  );
  failedToStart.catch(() => undefined);
  const stop = async (): Promise<void> => {
    await prometheus.stop('SIGTERM', 5000).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  const api = async (path: string): Promise<Record<string, unknown>> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: Record<string, unknown>; error?: string };
    if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? response.status}`);
    return body.data;
  };
  const server: PrometheusServer = {
    url,
    query: async (expr) =>
      (await api(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result as unknown as PromSample[],
    targets: async () => (await api('/api/v1/targets?state=active')).activeTargets as never,
    output: () => `--- prometheus (${configFile}) ---\n${prometheus.stdout}${prometheus.stderr}`,
    stop,
  };
  const ready = (async () => {
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      if (prometheus.child.exitCode !== null) break;
      const ok = await fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Prometheus did not become ready\n${server.output()}`);
  })();
  try {
    await Promise.race([ready, failedToStart]);
  } catch (error) {
    await stop();
    throw error;
  }
  return server;
}

/** Polls `check` until it returns without throwing; then rethrows its last error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}
