// Runs bench/apps/span-load.mjs once under one variant, exporting spans only, pinned to the server
// core, and returns what it reported. Shared by the capacity and span-cost scenarios.
import { CORES, startNode } from './proc.js';
import { agentEnv, nodeArgs, type Variant } from './variants.js';
import type { Workspace } from './workspace.js';

export interface SpanLoadOptions {
  readonly workspace: Workspace;
  readonly variant: Variant;
  /** The live receiver's endpoint. */
  readonly endpoint: string;
  readonly service: string;
  /** Spans per second, for `durationMs`. */
  readonly rate: number;
  readonly durationMs: number;
  /** Added to the variant's environment (e.g. batch tuning). */
  readonly env?: Readonly<Record<string, string>>;
}

/** What span-load printed: spans made and the steady-state window (see the app). */
export interface SpanLoadReport {
  readonly made: number;
  readonly elapsedMs: number;
  readonly windowSpans: number | undefined;
  readonly windowCpuUs: number | undefined;
}

/** Runs the app to its exit; throws with its output if it printed no report. */
export async function runSpanLoad(options: SpanLoadOptions): Promise<SpanLoadReport> {
  const { variant: v } = options;
  const proc = startNode({
    script: options.workspace.app('span-load.mjs'),
    nodeArgs: nodeArgs(v.agent),
    env: {
      ...agentEnv(v, { live: options.endpoint }, options.service),
      ...options.env,
      // Metrics would share the channel; this measures spans alone.
      OTEL_METRICS_EXPORTER: 'none',
      RATE: String(options.rate),
      DURATION_MS: String(options.durationMs),
    },
    cwd: options.workspace.dir,
    core: CORES.server,
    timeoutMs: options.durationMs + 30_000,
  });
  const exit = await proc.exited;
  const report = proc.jsonLines().find((l) => typeof l.made === 'number');
  if (report === undefined)
    throw new Error(`span-load under ${v.label} failed (exit ${exit.code})\n${proc.output()}`);
  return report as unknown as SpanLoadReport;
}
