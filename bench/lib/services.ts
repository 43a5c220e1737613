// Starts the services a load scenario drives, under one variant, pinned to the server core: the bare
// node:http service alone, or the express -> fetch -> http chain (two processes). Used by
// throughput.ts and memory.ts.
import { CORES, cpuMs, type NodeProcess, portOf, rssKiB, startNode } from './proc.js';
import { agentEnv, type Endpoints, nodeArgs, type Variant } from './variants.js';
import type { Workspace } from './workspace.js';

export type AppKind = 'http' | 'chain';

/**
 * How long a span count must stay unchanged before it is taken as final: dd-trace sends its spans
 * every 2 s (its default flush interval), the OpenTelemetry agents flush at SIGTERM.
 */
export function flushQuietMs(v: Variant): number {
  return v.agent === 'dd-trace' ? 2500 : 700;
}

export const APP_TITLE: Record<AppKind, string> = {
  http: 'bare node:http service',
  chain: 'express -> fetch -> http chain',
};

export interface Services {
  /** What the load generator requests. */
  readonly url: string;
  readonly procs: readonly NodeProcess[];
  /** Service names, one per process, as the receiver sees them. */
  readonly serviceNames: readonly string[];
  /** CPU time of all the service processes, ms. */
  cpuMs(): number;
  /** RSS of each service process, KiB. */
  rssKiB(): number[];
  /**
   * Stops them. With `flush`, SIGTERM first so the agents export what is left, then SIGKILL once
   * `settled` resolves (say, the receiver's count stops growing) or after `graceMs`: upstream's
   * register handles SIGTERM by flushing and then leaves the server running.
   */
  stop(options?: { flush?: boolean; settled?: () => Promise<unknown>; graceMs?: number }): Promise<void>;
}

export interface StartServicesOptions {
  readonly kind: AppKind;
  readonly variant: Variant;
  readonly endpoints: Endpoints;
  /** Prefix of the service names (`<prefix>` or `<prefix>-front` / `<prefix>-leaf`). */
  readonly service: string;
  readonly workspace: Workspace;
  readonly timeoutMs: number;
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** Node flags after the agent's (e.g. --cpu-prof). */
  readonly extraNodeArgs?: readonly string[];
}

export async function startServices(options: StartServicesOptions): Promise<Services> {
  const { variant: v, workspace } = options;
  const launch = (script: string, service: string, env: Record<string, string> = {}): NodeProcess =>
    startNode({
      script: workspace.app(script),
      nodeArgs: [...nodeArgs(v.agent), ...(options.extraNodeArgs ?? [])],
      env: { ...agentEnv(v, options.endpoints, service), ...options.extraEnv, ...env },
      cwd: workspace.dir,
      core: CORES.server,
      timeoutMs: options.timeoutMs,
    });
  const procs: NodeProcess[] = [];
  const names: string[] = [];
  let url: string;
  try {
    if (options.kind === 'http') {
      names.push(options.service);
      procs.push(launch('http-server.mjs', options.service));
      url = `http://127.0.0.1:${await portOf(procs[0] as NodeProcess)}/`;
    } else {
      names.push(`${options.service}-leaf`, `${options.service}-front`);
      procs.push(launch('http-server.mjs', `${options.service}-leaf`));
      const leaf = `http://127.0.0.1:${await portOf(procs[0] as NodeProcess)}/leaf`;
      procs.push(launch('express-front.mjs', `${options.service}-front`, { LEAF_URL: leaf }));
      url = `http://127.0.0.1:${await portOf(procs[1] as NodeProcess)}/chain`;
    }
  } catch (error) {
    await Promise.all(procs.map((p) => p.stop('SIGKILL')));
    throw error;
  }
  return {
    url,
    procs,
    serviceNames: names,
    cpuMs: () => procs.reduce((sum, p) => sum + cpuMs(p.pid), 0),
    rssKiB: () => procs.map((p) => rssKiB(p.pid)),
    stop: async ({ flush = false, settled, graceMs = 5000 } = {}) => {
      if (flush && v.agent === 'dd-trace' && settled) {
        // dd-trace sends every 2 s and at beforeExit, and dies on SIGTERM without sending: wait for
        // the count to settle over a quiet time longer than its interval (see FLUSH_QUIET_MS) first.
        await settled();
      }
      if (flush) {
        // Front first, so the leaf still answers while the front flushes.
        for (const p of [...procs].reverse()) p.child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all(procs.map((p) => p.exited)),
          new Promise((resolve) => {
            timer = setTimeout(resolve, graceMs);
          }),
          ...(settled ? [settled()] : []),
        ]);
        clearTimeout(timer);
      }
      await Promise.all(procs.map((p) => p.stop('SIGKILL')));
    },
  };
}
