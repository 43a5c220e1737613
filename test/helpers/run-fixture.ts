// Starts a test fixture as a real child process with the real `--import @logos/otel/register` entry,
// collects its output, and makes sure it is gone when the test ends. Used by every e2e test.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const REGISTER = '@logos/otel/register';
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

export interface FixtureOptions {
  /** A file in test/fixtures. */
  readonly script: string;
  readonly args?: readonly string[];
  /** Added to a clean environment (PATH and HOME only), so the runner's OTEL_* never leak in. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Load the agent with --import (default true). */
  readonly register?: boolean;
  /** Run the script with tsx instead of plain node. */
  readonly tsx?: boolean;
  /** Extra node flags before the script. */
  readonly nodeArgs?: readonly string[];
  /** The child is killed (SIGKILL) after this long. Default 20 s. */
  readonly timeoutMs?: number;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** When the process exited (Date.now()). */
  readonly at: number;
}

export interface Fixture {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** The first line of stdout parsed as JSON (fixtures print `{"port":...}` when ready). */
  readonly ready: Promise<Record<string, unknown>>;
  readonly exited: Promise<Exit>;
  /** The child's output, for assertion messages. */
  output(): string;
  /** Sends a signal (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/** Starts a fixture; it is always killed after `timeoutMs`. */
export function startFixture(options: FixtureOptions): Fixture {
  const script = resolve(FIXTURES, options.script);
  const nodeArgs = [
    ...(options.register === false ? [] : ['--import', REGISTER]),
    ...(options.nodeArgs ?? []),
  ];
  const argv = options.tsx ? [...nodeArgs, TSX, script] : [...nodeArgs, script];
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
  // The lean-tracer experiment (issue #13): the suite can be run with it on.
  if (process.env.LOGOS_OTEL_TRACER) env.LOGOS_OTEL_TRACER = process.env.LOGOS_OTEL_TRACER;
  for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value;
  const child = spawn(process.execPath, [...argv, ...(options.args ?? [])], {
    cwd: FIXTURES,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const fixture: Fixture = {
    child,
    stdout: '',
    stderr: '',
    ready: undefined as unknown as Promise<Record<string, unknown>>,
    exited: undefined as unknown as Promise<Exit>,
    output: () => `--- stdout ---\n${fixture.stdout}\n--- stderr ---\n${fixture.stderr}`,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return fixture.exited;
    },
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    fixture.stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    fixture.stderr += chunk;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  (fixture as { exited: Promise<Exit> }).exited = once(child, 'exit').then(([code, signal]) => {
    clearTimeout(killer);
    return { code: code as number | null, signal: signal as NodeJS.Signals | null, at: Date.now() };
  });
  (fixture as { ready: Promise<Record<string, unknown>> }).ready = new Promise((resolve, reject) => {
    const check = (): void => {
      const line = fixture.stdout.split('\n').find((l) => l.trim().startsWith('{'));
      if (line === undefined) return;
      child.stdout?.off('data', check);
      try {
        resolve(JSON.parse(line) as Record<string, unknown>);
      } catch (error) {
        reject(error);
      }
    };
    child.stdout?.on('data', check);
    fixture.exited.then(() =>
      reject(new Error(`the fixture exited before it was ready\n${fixture.output()}`)),
    );
  });
  fixture.ready.catch(() => undefined);
  return fixture;
}

/** Runs a fixture to its end. */
export async function runFixture(
  options: FixtureOptions,
): Promise<Exit & { stdout: string; stderr: string; output: string }> {
  const fixture = startFixture(options);
  const exit = await fixture.exited;
  return { ...exit, stdout: fixture.stdout, stderr: fixture.stderr, output: fixture.output() };
}

/** The port a fixture printed when ready. */
export async function portOf(fixture: Fixture): Promise<number> {
  const ready = await fixture.ready;
  if (typeof ready.port !== 'number')
    throw new Error(`no port in ${JSON.stringify(ready)}\n${fixture.output()}`);
  return ready.port;
}
