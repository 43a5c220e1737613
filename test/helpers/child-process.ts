// The one child-process helper of tests, benchmarks and scripts: spawns a command in a clean
// environment, collects its output, always kills it after a time limit, and (`supervise`) prints
// its output when the code using it fails and stops it in the end. Loaded by test/helpers/run-fixture.ts,
// bench/lib/proc.ts, scripts/stack.ts and the e2e tests that run a command of their own.
import { type ChildProcess, spawn } from 'node:child_process';

export interface ChildOptions {
  /** Default: this Node (process.execPath). */
  readonly command?: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** Added to a clean environment (PATH and HOME only), so the caller's OTEL_* never leak in. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Written to stdin, which is then closed; without it stdin is ignored. */
  readonly input?: string;
  /** The process is killed (SIGKILL) after this long. Default 20 s; Infinity: only by stop(). */
  readonly timeoutMs?: number;
  /** Names the process in messages. Default: the last argument. */
  readonly name?: string;
  /** output() shows at most the last this many characters of each stream (default: all). */
  readonly outputTail?: number;
  /** Gets every whole line the process prints, as it comes. */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Date.now() when the exit was seen. */
  readonly at: number;
  /** process.hrtime.bigint() when the exit was seen. */
  readonly atNs: bigint;
  /** True when the time limit killed it. */
  readonly killed: boolean;
}

export interface Child {
  readonly child: ChildProcess;
  readonly pid: number;
  /** process.hrtime.bigint() just before the spawn. */
  readonly startNs: bigint;
  stdout: string;
  stderr: string;
  /** The first stdout line that parses as a JSON object (apps print `{"port":...}` when ready). */
  readonly ready: Promise<Record<string, unknown>>;
  readonly exited: Promise<Exit>;
  /** The exit, once the pipes have closed too: the output is then complete. */
  readonly closed: Promise<Exit>;
  /** Every JSON object line printed on stdout so far. */
  jsonLines(): Record<string, unknown>[];
  /**
   * Resolves with the first line of `stream` (default stdout) that matches; rejects if the process
   * exits first, or after `timeoutMs` if given.
   */
  line(
    match: RegExp | ((line: string) => boolean),
    options?: { readonly stream?: 'stdout' | 'stderr'; readonly timeoutMs?: number },
  ): Promise<string>;
  /** The output, for failure messages. */
  output(): string;
  /** Sends `signal` (default SIGTERM) unless it already exited, SIGKILL after `killAfterMs` if given; resolves at the exit. */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<Exit>;
}

/** Starts `command args`; whatever happens, it is killed after `timeoutMs`. */
export function startChild(options: ChildOptions): Child {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
  for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value;
  const name = options.name ?? options.args.at(-1) ?? options.command ?? 'node';
  const startNs = process.hrtime.bigint();
  const child = spawn(options.command ?? process.execPath, [...options.args], {
    cwd: options.cwd,
    env,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  let killed = false;
  const tail = (text: string) => (options.outputTail === undefined ? text : text.slice(-options.outputTail));
  const proc: Child = {
    child,
    pid: child.pid ?? -1,
    startNs,
    stdout: '',
    stderr: '',
    ready: undefined as unknown as Promise<Record<string, unknown>>,
    exited: undefined as unknown as Promise<Exit>,
    closed: undefined as unknown as Promise<Exit>,
    jsonLines: () => parseJsonLines(proc.stdout),
    line: (match, { stream = 'stdout', timeoutMs } = {}) => {
      const test = typeof match === 'function' ? match : (line: string) => match.test(line);
      // Whole lines only, until the exit: a line cut by the pipe could match in part.
      const lines = (atExit: boolean) => proc[stream].split('\n').slice(0, atExit ? undefined : -1);
      return until((atExit) => lines(atExit).find(test), `no line matching ${match}`, stream, timeoutMs);
    },
    output: () => `--- stdout ---\n${tail(proc.stdout)}\n--- stderr ---\n${tail(proc.stderr)}`,
    stop: async (signal = 'SIGTERM', killAfterMs) => {
      if (child.exitCode !== null || child.signalCode !== null) return proc.exited;
      child.kill(signal);
      const hard =
        killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const exit = await proc.exited;
      clearTimeout(hard);
      return exit;
    },
  };
  const partial = { stdout: '', stderr: '' };
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]?.setEncoding('utf8').on('data', (chunk: string) => {
      proc[stream] += chunk;
      if (options.onLine === undefined) return;
      const lines = (partial[stream] + chunk).split('\n');
      partial[stream] = lines.pop() ?? '';
      for (const line of lines) options.onLine(line, stream);
    });
  }
  const limit = options.timeoutMs ?? 20_000;
  const killer = Number.isFinite(limit)
    ? setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, limit)
    : undefined;
  const exitOf = ([code, signal]: unknown[]): Exit => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    at: Date.now(),
    atNs: process.hrtime.bigint(),
    killed,
  });
  // A command that cannot start (ENOENT) emits 'error' and no 'exit': both promises reject with it.
  const spawnFailed = new Promise<never>((_, reject) => {
    child.once('error', (error) => {
      if (child.pid === undefined) reject(error);
    });
  });
  spawnFailed.catch(() => undefined);
  (proc as { exited: Promise<Exit> }).exited = Promise.race([
    seen(child, 'exit').then((args) => {
      clearTimeout(killer);
      return exitOf(args);
    }),
    spawnFailed,
  ]);
  (proc as { closed: Promise<Exit> }).closed = Promise.race([seen(child, 'close').then(exitOf), spawnFailed]);
  proc.exited.catch(() => undefined);
  proc.closed.catch(() => undefined);
  // Resolves once `found` returns something, checked on every chunk of `stream`.
  function until<T>(
    found: (atExit: boolean) => T | undefined,
    what: string,
    stream: 'stdout' | 'stderr' = 'stdout',
    timeoutMs?: number,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => done(new Error(`${what} in ${timeoutMs} ms\n${proc.output()}`)), timeoutMs);
      const done = (error: Error | undefined, value?: T): void => {
        clearTimeout(timer);
        child[stream]?.off('data', onData);
        if (error === undefined) resolve(value as T);
        else reject(error);
      };
      const check = (atExit = false): void => {
        const value = found(atExit);
        if (value !== undefined) done(undefined, value);
      };
      const onData = (): void => check(false);
      child[stream]?.on('data', onData);
      check();
      proc.exited.then(
        () => {
          check(true);
          done(new Error(`${name} exited: ${what}\n${proc.output()}`));
        },
        (error: Error) => done(error),
      );
    });
  }
  (proc as { ready: Promise<Record<string, unknown>> }).ready = until(
    () => proc.jsonLines()[0],
    'it was not ready',
  );
  proc.ready.catch(() => undefined);
  return proc;
}

/**
 * Runs `command args` to its end, killed after `timeoutMs`: by default until its pipes have closed
 * (the output is complete), with 'exit' until it exits (a process it started may hold the pipes).
 */
export async function runChild(
  options: ChildOptions,
  until: 'close' | 'exit' = 'close',
): Promise<Exit & { stdout: string; stderr: string; output: string }> {
  const proc = startChild(options);
  const exit = await (until === 'close' ? proc.closed : proc.exited);
  return { ...exit, stdout: proc.stdout, stderr: proc.stderr, output: proc.output() };
}

/** The port a process printed in its ready line `{"port":N}`. */
export async function portOf(proc: Child): Promise<number> {
  const ready = await proc.ready;
  if (typeof ready.port !== 'number')
    throw new Error(`no port in ${JSON.stringify(ready)}\n${proc.output()}`);
  return ready.port;
}

/** What `supervise` watches: a {@link Child}, or anything with an output (and a way to stop). */
export interface Supervised {
  output(): string;
  stop?(signal?: NodeJS.Signals): Promise<unknown>;
}

export interface SuperviseOptions {
  /** The signal that stops the processes in the end (default SIGTERM). */
  readonly stop?: NodeJS.Signals;
  /** Printed first on failure: what the body was doing. */
  readonly note?: () => string;
  /** More output to print on failure, of processes someone else stops. */
  readonly show?: readonly { output(): string }[];
}

/**
 * Runs `body`; if it throws, prints the output of every process (after `note`, before `show`) and
 * rethrows, so a failed assertion shows what the processes said; in the end stops them, in order.
 */
export async function supervise<T>(
  processes: Supervised | readonly Supervised[],
  body: () => Promise<T> | T,
  options: SuperviseOptions = {},
): Promise<T> {
  const all: readonly Supervised[] = Array.isArray(processes) ? processes : [processes as Supervised];
  try {
    return await body();
  } catch (error) {
    const outputs = [...all, ...(options.show ?? [])].map((p) => p.output());
    console.error([...(options.note ? [options.note()] : []), ...outputs].join('\n'));
    throw error;
  } finally {
    for (const p of all) await p.stop?.(options.stop ?? 'SIGTERM');
  }
}

// Not events.once: that rejects on any 'error', and only a failed spawn should.
function seen(child: ChildProcess, event: 'exit' | 'close'): Promise<unknown[]> {
  return new Promise((resolve) => child.once(event, (...args: unknown[]) => resolve(args)));
}

function parseJsonLines(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (value !== null && typeof value === 'object') out.push(value as Record<string, unknown>);
    } catch {
      // A partial line: it parses once complete.
    }
  }
  return out;
}
