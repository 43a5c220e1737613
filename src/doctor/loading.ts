// The doctor's first answer: does this Node support the agent, and is (or would) the agent be
// loaded, and how. Read by doctor/doctor.ts, for the CLI (what the register would decide here) and at start.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { NODE_FLOOR, isSupportedNode as nodeSupported } from '../boot/node-floor.js';
import { currentAgent } from '../boot/state.js';
import type { Env } from '../config/config.js';
import { presenceChecker } from '../instrumentations/module-presence.js';

export { isSupportedNode as nodeSupported, NODE_FLOOR } from '../boot/node-floor.js';

const ENTRY = '@logos/otel/register';

/** How a list of node flags (execArgv, or NODE_OPTIONS split) loads the register: '--import', '-r' or none. */
export function registerFlag(flags: readonly string[]): '--import' | '-r' | undefined {
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i] ?? '';
    const [name, inline] = flag.includes('=')
      ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)]
      : [flag, undefined];
    const value = inline ?? flags[i + 1] ?? '';
    if (!/@logos[\\/]otel[\\/](register|dist[\\/]register)/.test(value)) continue;
    if (name === '--import') return '--import';
    if (name === '-r' || name === '--require') return '-r';
  }
  return undefined;
}

/** NODE_OPTIONS as node splits it, near enough (quotes grouped, backslash escapes kept simple). */
export function splitNodeOptions(value: string | undefined): string[] {
  return [...(value ?? '').matchAll(/"((?:\\.|[^"\\])*)"|(\S+)/g)].map(
    (m) => m[1]?.replace(/\\(.)/g, '$1') ?? m[2] ?? '',
  );
}

/** Other -r preloads (ts-node's hook, a require() chain) in these flags, besides the register. */
export function otherPreloads(flags: readonly string[]): string[] {
  const found: string[] = [];
  flags.forEach((flag, i) => {
    if ((flag === '-r' || flag === '--require') && flags[i + 1] && !flags[i + 1]?.includes('@logos/otel'))
      found.push(flags[i + 1] as string);
    else if (flag.startsWith('--require=') && !flag.includes('@logos/otel')) found.push(flag.slice(10));
  });
  return found;
}

/** What the doctor knows about loading, as lines and the facts its advice needs. */
export interface Loading {
  readonly lines: string[];
  readonly nodeOk: boolean;
  readonly flag: '--import' | '-r' | undefined;
  readonly preloads: string[];
  readonly tsNode: boolean;
  readonly installed: boolean;
}

/** For `logos-otel doctor`: what the register would decide for an app started from here with this environment. */
export function cliLoading(env: Env, cwd: string, disabled: boolean): Loading {
  const version = process.versions.node;
  const nodeOk = nodeSupported(version);
  const options = splitNodeOptions(env.NODE_OPTIONS);
  const flag = registerFlag(options);
  const preloads = otherPreloads(options);
  const present = presenceChecker([cwd]);
  const installed = resolvable(cwd);
  const tsNode = present('ts-node') || preloads.some((p) => p.includes('ts-node'));
  const lines = [
    `node      ${version} (${process.execPath}): ${nodeOk ? `supported (${NODE_FLOOR.join('.')} or newer)` : `older than ${NODE_FLOOR.join('.')}: the register turns telemetry off`}`,
  ];
  let agent: string;
  if (disabled) agent = 'disabled: OTEL_SDK_DISABLED is true, so the register starts nothing';
  else if (!nodeOk) agent = `off: an app on Node ${version} runs without telemetry`;
  else if (flag !== undefined)
    agent = `NODE_OPTIONS loads ${ENTRY} with ${flag}: an app started with this environment starts the agent`;
  else
    agent = `not in NODE_OPTIONS: the agent starts only if the app's command has --import ${ENTRY} (or -r)`;
  lines.push(`agent     ${agent}`);
  lines.push(
    '          (npm, npx, pnpm, yarn, tsx and node --test start none themselves: the app process they start does;',
    '           worker threads never start one: only the main thread is traced)',
  );
  // With the register in NODE_OPTIONS this very process loaded it: proof that loading works.
  if (currentAgent() !== undefined)
    lines.push('          (this doctor process itself started the agent from NODE_OPTIONS)');
  if (!installed) lines.push(`          ${ENTRY} cannot be loaded from ${cwd}: it is not installed here`);
  return { lines, nodeOk, flag, preloads, tsNode, installed };
}

/** At a real service start: how this process loaded the agent. */
export function runtimeLoading(env: Env, disabled: boolean): Loading {
  const version = process.versions.node;
  const options = splitNodeOptions(env.NODE_OPTIONS);
  const fromArgv = registerFlag(process.execArgv);
  const fromEnv = registerFlag(options);
  const flag = fromArgv ?? fromEnv;
  const how =
    flag === undefined
      ? 'setupTelemetry() (no register flag)'
      : `${flag} ${ENTRY} (${fromArgv !== undefined ? 'command line' : 'NODE_OPTIONS'})`;
  const preloads = otherPreloads([...process.execArgv, ...options]);
  return {
    lines: [
      `node      ${version}: supported (${NODE_FLOOR.join('.')} or newer)`,
      `agent     ${disabled ? 'disabled: OTEL_SDK_DISABLED is true, nothing is started' : `running in pid ${process.pid} (main thread), loaded by ${how}`}`,
    ],
    nodeOk: true,
    flag,
    preloads,
    tsNode:
      preloads.some((p) => p.includes('ts-node')) || process.execArgv.some((a) => a.includes('ts-node')),
    installed: true,
  };
}

/** Whether `@logos/otel/register` resolves from `cwd` as Node would resolve it for the app. */
function resolvable(cwd: string): boolean {
  try {
    // Also true in the package's own checkout, which loads itself by name (exports self-reference).
    createRequire(join(cwd, 'doctor.cjs')).resolve(ENTRY);
    return true;
  } catch {
    return false;
  }
}
