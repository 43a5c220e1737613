// Ending the process under load: SIGTERM and SIGINT, with and without the app's own handler, with the
// collector up, down and hanging; process.exit() and an uncaught exception from the app; an app with
// a worker thread. The exit must be Node's (or the app's), within the time limit, and with the
// collector up every span that had ended must arrive. Run by test/faults/run.ts.
import { type BlackHole, blackHole } from '../helpers/black-hole.js';
import { type FaultCollector, faultCollector } from '../helpers/fault-collector.js';
import { closedPort } from '../helpers/otlp.js';
import { runFixture, supervise } from '../helpers/run-fixture.js';
import { BOUNDS } from './collector-faults.js';
import {
  agentReport,
  baseEnv,
  check,
  describeExit,
  get,
  load,
  type Row,
  row,
  type Sample,
  sleep,
  startService,
} from './lib.js';

/** Load before the ending: 100 requests/s from 4 connections; the ending comes 1 s in. */
const LOAD = { rate: 100, concurrency: 4 } as const;
const END_AT_MS = 1000;
/** The load goes on this long after the ending (or until the process is gone). */
const AFTER_MS = 500;

type CollectorState = 'up' | 'down' | 'hanging';
type Ending =
  | { readonly kind: 'signal'; readonly signal: NodeJS.Signals; readonly handler: boolean }
  | { readonly kind: 'exit' }
  | { readonly kind: 'throw' };

const APP_EXIT_CODE = 3;
const EXIT_CALL_CODE = 5;

interface Collector {
  readonly endpoint: string;
  readonly fault?: FaultCollector;
  close(): Promise<void>;
}

async function collectorFor(state: CollectorState): Promise<Collector> {
  if (state === 'up') {
    const fault = await faultCollector();
    return { endpoint: fault.endpoint, fault, close: () => fault.close() };
  }
  if (state === 'down') {
    const port = await closedPort();
    return { endpoint: `http://127.0.0.1:${port}`, close: async () => undefined };
  }
  const hole: BlackHole = await blackHole();
  return { endpoint: hole.endpoint, close: () => hole.close() };
}

function describeEnding(ending: Ending): string {
  if (ending.kind === 'exit') return `app calls process.exit(${EXIT_CALL_CODE})`;
  if (ending.kind === 'throw') return 'uncaught exception in the app';
  return `${ending.signal}, ${ending.handler ? `app handler (exit ${APP_EXIT_CODE})` : 'no app handler'}`;
}

/** The exact count of spans the app ended, when it reached its 'exit' event. */
function endedAtExit(stdout: string): number | undefined {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{"ended"'));
  return line === undefined ? undefined : (JSON.parse(line) as { ended: number }).ended;
}

async function runOne(ending: Ending, state: CollectorState, index: number): Promise<Row> {
  const r = row(`${describeEnding(ending)}, collector ${state}`);
  const name = `faults-shutdown-${index}`;
  const collector = await collectorFor(state);
  const env: Record<string, string> = baseEnv(collector.endpoint, name);
  if (ending.kind === 'signal' && ending.handler) {
    env.APP_SIGNAL_HANDLER = 'close';
    env.APP_EXIT_CODE = String(APP_EXIT_CODE);
  }
  const service = await startService({ env });
  try {
    return await supervise(
      service.fixture,
      async () => {
        let gone = false;
        void service.fixture.exited.then(() => {
          gone = true;
        });
        let endedAt = 0;
        const [samples] = await Promise.all([
          load({ port: service.port, ...LOAD, durationMs: END_AT_MS + AFTER_MS, stop: () => gone }),
          (async () => {
            await sleep(END_AT_MS);
            r.peakRssMiB = service.peakRssMiB();
            endedAt = Date.now();
            if (ending.kind === 'signal') service.fixture.child.kill(ending.signal);
            else
              await get(
                service.port,
                ending.kind === 'exit' ? `/exit?code=${EXIT_CALL_CODE}` : '/throw',
                undefined,
              ).catch(() => undefined);
          })(),
        ]);
        const exit = await service.fixture.exited;
        const ms = exit.at - endedAt;
        const before = samples.filter((s: Sample) => s.start + performance.timeOrigin < endedAt);
        const answered = samples.filter((s) => s.ok).length + (ending.kind === 'signal' ? 0 : 1);
        const exact = endedAtExit(service.fixture.stdout);
        // Killed by a signal, the app has no 'exit' event: each answered request proves two ended spans.
        const made = exact ?? 2 * answered;
        const delivered =
          collector.fault?.spansOf(name).filter((s) => s.name.startsWith('fault.') || s.kind === 2) ?? [];
        const report = agentReport(service.fixture.stderr);

        r.requests = samples.length;
        r.errors = before.filter((s) => !s.ok).length;
        r.made = made;
        r.delivered = delivered.length;
        r.dropped = report.dropped;
        r.exit = describeExit(exit);
        r.exitMs = ms;
        const output = (): string => service.fixture.output().slice(-1500);

        check(r, r.errors === 0, `${r.errors} requests failed before the ending`);
        const expected =
          ending.kind === 'signal'
            ? ending.handler
              ? { code: APP_EXIT_CODE, signal: null }
              : { code: null, signal: ending.signal }
            : { code: ending.kind === 'exit' ? EXIT_CALL_CODE : 1, signal: null };
        check(
          r,
          exit.code === expected.code && exit.signal === expected.signal,
          `exit ${r.exit}, want ${describeExit(expected)}\n${output()}`,
        );
        check(r, ms <= BOUNDS.exitMs, `exit took ${ms} ms\n${output()}`);
        if (ending.kind === 'throw') {
          check(
            r,
            /Error: fault-service: deliberate uncaught exception\n\s+at /.test(service.fixture.stderr),
            'the exception and its stack are printed',
          );
        }
        check(
          r,
          new Set(delivered.map((s) => s.spanId)).size === delivered.length,
          'a span was delivered twice',
        );
        // Collector up, every ending delivers every ended span: a signal through the flush, process.exit()
        // and an uncaught exception through the synchronous hand-off to the export worker at 'exit'.
        if (state === 'up') {
          check(
            r,
            delivered.length >= made,
            `${made - delivered.length} ended spans not delivered\n${output()}`,
          );
          check(
            r,
            report.dropped === 0 && report.warnings === 0,
            `the agent reported a failure\n${output()}`,
          );
        }
        // Whatever could not be delivered must at least be counted in the agent's report.
        check(
          r,
          made <= delivered.length + report.dropped,
          `${made - delivered.length - report.dropped} spans lost without being counted (made ${made}, delivered ${delivered.length}, reported dropped ${report.dropped})\n${output()}`,
        );
        const notAgent = report.foreign.filter(
          (l) => !/fault-service|^\s+at |^Node\.js v|^\s*\^|^$|throw new Error|^file:/.test(l),
        );
        check(r, notAgent.length === 0, `unexpected output: ${notAgent.slice(0, 3).join(' | ')}`);
        const after = samples.length - before.length;
        r.note = `${after} requests sent after the ending (${samples.filter((s) => !s.ok).length} failed, as without the agent)${exact === undefined ? '; made = 2 x answered requests (no exit event after a signal)' : ''}`;
        return r;
      },
      { stop: 'SIGKILL' },
    );
  } finally {
    await collector.close();
  }
}

/** An app with a worker thread (test/fixtures/worker-app.mjs), collector up: 3 main-thread spans. */
async function workerRow(): Promise<Row> {
  const r = row('app with a worker thread, collector up');
  const collector = await faultCollector();
  try {
    const name = 'faults-worker';
    const run = await runFixture({
      script: 'worker-app.mjs',
      env: baseEnv(collector.endpoint, name),
      timeoutMs: 15_000,
    });
    const last = run.stdout.split('\n').find((l) => l.startsWith('{'));
    const delivered = collector.spansOf(name);
    r.made = 3;
    r.delivered = delivered.length;
    r.dropped = agentReport(run.stderr).dropped;
    r.exit = describeExit(run);
    check(r, run.code === 0 && run.signal === null, `exit ${r.exit}\n${run.output}`);
    check(
      r,
      last !== undefined && JSON.parse(last).worker?.sum === 55,
      `the worker did its work\n${run.output}`,
    );
    check(
      r,
      delivered
        .map((s) => s.name)
        .sort()
        .join(',') === ['GET', 'GET', 'main.work'].join(','),
      `main-thread spans only: ${delivered.map((s) => s.name).join(',')}`,
    );
    check(r, run.stderr === '', `nothing on stderr\n${run.output}`);
    return r;
  } finally {
    await collector.close();
  }
}

export async function shutdownFaults(only?: (name: string) => boolean): Promise<Row[]> {
  const cases: [Ending, CollectorState][] = [];
  for (const state of ['up', 'down', 'hanging'] as const)
    for (const signal of ['SIGTERM', 'SIGINT'] as const)
      for (const handler of [false, true]) cases.push([{ kind: 'signal', signal, handler }, state]);
  cases.push([{ kind: 'exit' }, 'up'], [{ kind: 'throw' }, 'up']);
  const rows: Row[] = [];
  for (const [i, [ending, state]] of cases.entries()) {
    if (only && !only(`${describeEnding(ending)}, collector ${state}`)) continue;
    rows.push(await runOne(ending, state, i));
  }
  if (!only || only('worker thread')) rows.push(await workerRow());
  return rows;
}
