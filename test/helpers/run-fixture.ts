// Starts a test fixture as a real child process with the real `--import @logos/otel/register` entry,
// collects its output, and makes sure it is gone when the test ends (test/helpers/child-process.ts does
// the process part). Used by every e2e test.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Child,
  type ChildOptions,
  type Exit,
  portOf,
  runChild,
  startChild,
  supervise,
} from './child-process.js';

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

export type { Exit };

/** A running fixture (see {@link Child}). */
export type Fixture = Child;

/** Starts a fixture; it is always killed after `timeoutMs`. */
export function startFixture(options: FixtureOptions): Fixture {
  return startChild(childOptions(options));
}

/** Runs a fixture to its exit. */
export function runFixture(options: FixtureOptions): ReturnType<typeof runChild> {
  return runChild(childOptions(options), 'exit');
}

function childOptions(options: FixtureOptions): ChildOptions {
  const script = resolve(FIXTURES, options.script);
  const nodeArgs = [
    ...(options.register === false ? [] : ['--import', REGISTER]),
    ...(options.nodeArgs ?? []),
  ];
  const argv = options.tsx ? [...nodeArgs, TSX, script] : [...nodeArgs, script];
  return {
    args: [...argv, ...(options.args ?? [])],
    cwd: FIXTURES,
    // The lean-tracer experiment (issue #13): the suite can be run with it on.
    env: { LOGOS_OTEL_TRACER: process.env.LOGOS_OTEL_TRACER, ...options.env },
    timeoutMs: options.timeoutMs ?? 20_000,
    name: options.script,
  };
}

export { portOf, supervise };
