// Starts the three example services (Hermes, Sophia, Apollo's API) as real processes with the
// register loaded through NODE_OPTIONS, each on a free port, and runs Apollo's CLI. Used by the
// demo (`npm run demo`) and by the cross-service propagation test.
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from '../test/helpers/child-process.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** SIGTERM, SIGKILL after `killAfterMs`; resolves at the exit. */
  stop(signal: NodeJS.Signals, killAfterMs: number): Promise<unknown>;
}

export interface StackOptions {
  /** Where the services export (OTEL_EXPORTER_OTLP_ENDPOINT); unset: no export. */
  readonly endpoint?: string;
  /** More environment for every process (OTEL_* tuning). */
  readonly env?: Readonly<Record<string, string>>;
  /** Gets each service's log lines, prefixed with its name. */
  readonly onLog?: (line: string) => void;
}

export interface Stack {
  readonly hermes: ServiceProcess;
  readonly sophia: ServiceProcess;
  readonly apollo: ServiceProcess;
  /** Runs `apollo <args>` (the CLI) to its end. */
  runApollo(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** SIGTERM to every service, then waits for them (SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

function environment(
  options: StackOptions,
  name: string,
  extra: Record<string, string>,
): Record<string, string> {
  // The user's own OTEL_* settings (protocol, headers, sampler...) reach every service, and the
  // lean-tracer experiment's switch (issue #13).
  const userOtel = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        (entry[0].startsWith('OTEL_') || entry[0] === 'LOGOS_OTEL_TRACER') && entry[1] !== undefined,
    ),
  );
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    ...userOtel,
    NODE_OPTIONS: '--import @logos/otel/register',
    OTEL_SERVICE_NAME: name,
    PORT: '0',
    ...options.env,
    ...extra,
  };
  if (options.endpoint !== undefined) env.OTEL_EXPORTER_OTLP_ENDPOINT = options.endpoint;
  return env;
}

async function startService(
  name: string,
  script: string,
  options: StackOptions,
  extra: Record<string, string>,
): Promise<ServiceProcess> {
  const READY = /^\{"service":"\w+","port":(\d+)\}$/;
  // tsx-run TypeScript with the register, from the repo root (so both resolve); it runs until stop().
  const proc = startChild({
    args: ['--import', 'tsx', join(ROOT, script)],
    cwd: ROOT,
    env: environment(options, name, extra),
    name,
    timeoutMs: Number.POSITIVE_INFINITY,
    onLine: (line) => {
      if (!READY.test(line.trim())) options.onLog?.(`${name}: ${line}`);
    },
  });
  const output = () => `--- ${name} ---\n${proc.stdout}\n${proc.stderr}`;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      proc.child.kill('SIGKILL');
      reject(new Error(`${name} did not start in 20 s\n${output()}`));
    }, 20_000);
  });
  try {
    const ready = await Promise.race([proc.line((line) => READY.test(line.trim())), late]);
    const port = Number(READY.exec(ready.trim())?.[1]);
    return { name, child: proc.child, url: `http://127.0.0.1:${port}`, output, stop: proc.stop };
  } finally {
    clearTimeout(timer);
  }
}

/** Starts Hermes, then Sophia (pointed at Hermes), then Apollo's API (pointed at both). */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const started: ServiceProcess[] = [];
  const stop = async (timeoutMs = 5000): Promise<void> => {
    await Promise.all(started.map((service) => service.stop('SIGTERM', timeoutMs)));
  };
  try {
    const hermes = await startService('hermes', 'examples/hermes/src/server.ts', options, {});
    started.push(hermes);
    const sophia = await startService('sophia', 'examples/sophia/src/server.ts', options, {
      HERMES_URL: hermes.url,
    });
    started.push(sophia);
    const urls = { HERMES_URL: hermes.url, SOPHIA_URL: sophia.url };
    const apollo = await startService('apollo', 'examples/apollo/src/api.ts', options, urls);
    started.push(apollo);
    const runApollo = async (args: readonly string[]) => {
      const cli = startChild({
        args: ['--import', 'tsx', join(ROOT, 'examples/apollo/src/cli.ts'), ...args],
        cwd: ROOT,
        env: environment(options, 'apollo', urls),
        name: 'apollo',
        timeoutMs: 30_000,
      });
      // 'close', not 'exit': the output is complete only once the pipes have closed.
      const { code } = await cli.closed;
      return { code, stdout: cli.stdout, stderr: cli.stderr };
    };
    return { hermes, sophia, apollo, runApollo, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
