// Starts the three example services (Hermes, Sophia, Apollo's API) as real processes with the
// register loaded through NODE_OPTIONS, each on a free port, and runs Apollo's CLI. Used by the
// demo (`npm run demo`) and by the cross-service propagation test.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
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

/** Spawns `tsx`-run TypeScript with the register, from the repo root (so both resolve). */
function run(script: string, args: readonly string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function startService(
  name: string,
  script: string,
  options: StackOptions,
  extra: Record<string, string>,
): Promise<ServiceProcess> {
  const child = run(script, [], environment(options, name, extra));
  let out = '';
  let err = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start in 20 s\n${out}\n${err}`));
    }, 20_000);
    // Whole lines, however the pipe splits them.
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      out += `${line}\n`;
      const ready = /^\{"service":"\w+","port":(\d+)\}$/.exec(line.trim());
      if (ready) {
        clearTimeout(timer);
        resolve(Number(ready[1]));
      } else options.onLog?.(`${name}: ${line}`);
    });
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      err += `${line}\n`;
      options.onLog?.(`${name}: ${line}`);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready\n${out}\n${err}`));
    });
  });
  return { name, child, url: `http://127.0.0.1:${port}`, output: () => `--- ${name} ---\n${out}\n${err}` };
}

/** Starts Hermes, then Sophia (pointed at Hermes), then Apollo's API (pointed at both). */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const started: ServiceProcess[] = [];
  const stop = async (timeoutMs = 5000): Promise<void> => {
    await Promise.all(
      started.map(async ({ child }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(killer);
      }),
    );
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
      const child = run('examples/apollo/src/cli.ts', args, environment(options, 'apollo', urls));
      let stdout = '';
      let stderr = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      // 'close', not 'exit': the output is complete only once the pipes have closed.
      const [code] = (await once(child, 'close')) as [number | null];
      clearTimeout(killer);
      return { code, stdout, stderr };
    };
    return { hermes, sophia, apollo, runApollo, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
