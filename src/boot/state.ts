// The one running agent of this process, kept on globalThis so that two copies of the package
// (or the register plus setupTelemetry) share it and the SDK starts once. Loaded by everything.
import type { Config } from '../config/config.js';
import type { SpanFanOut } from '../traces/span-fan-out.js';

/** What the rest of the package needs of a started agent. */
export interface AgentHandle {
  readonly config: Config;
  /** Span processors added after start (the test kit's capture). */
  readonly fanOut: SpanFanOut;
  /** Exports everything finished so far, within `timeoutMs` (`atExit`: see boot/sdk.ts). */
  flush(timeoutMs?: number, atExit?: boolean): Promise<void>;
  /** Flushes and stops; later spans are no longer exported. */
  shutdown(timeoutMs?: number): Promise<void>;
}

const KEY = Symbol.for('@logos/otel.agent');

type Slot = { [KEY]?: AgentHandle | 'starting' };

/** The running agent, if any copy of the package started one. */
export function currentAgent(): AgentHandle | undefined {
  const value = (globalThis as Slot)[KEY];
  return value === 'starting' ? undefined : value;
}

/** Claims the process for one agent; false when one is already running or starting. */
export function claimStart(): boolean {
  const slot = globalThis as Slot;
  if (slot[KEY] !== undefined) return false;
  slot[KEY] = 'starting';
  return true;
}

export function setAgent(agent: AgentHandle | undefined): void {
  (globalThis as Slot)[KEY] = agent;
}

const NAMES = Symbol.for('@logos/otel.capture-service-names');

type NameSlot = { [NAMES]?: { readonly name: string }[] };

/**
 * The service name that withSpan puts in front of a dot-less operation: that of the newest live
 * `captureSpans({ serviceName })`, else the running agent's. A test names its service this way
 * whether or not the register (which took its name from package.json) is loaded.
 */
export function spanServiceName(): string | undefined {
  const names = (globalThis as NameSlot)[NAMES];
  return names?.[names.length - 1]?.name ?? currentAgent()?.config.serviceName;
}

/** Makes `name` the span service name until the returned function is called. */
export function pushSpanServiceName(name: string): () => void {
  const slot = globalThis as NameSlot;
  const names = slot[NAMES] ?? [];
  slot[NAMES] = names;
  const token = { name };
  names.push(token);
  return () => {
    const index = names.indexOf(token);
    if (index !== -1) names.splice(index, 1);
  };
}
