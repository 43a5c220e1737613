// setupTelemetry(): starts the agent from code, for services that prefer that to --import.
// Environment variables win over its arguments, as in the platform's original design.
import type { Env } from '../config/config.js';
import { loadModule } from '../lazy-module.js';
import { isSupportedNode, oldNodeLine } from './node-floor.js';
import { currentAgent } from './state.js';

/** Arguments of {@link setupTelemetry}; each is overridden by its environment variable when set. */
export interface SetupOptions {
  /** OTEL_SERVICE_NAME */
  readonly serviceName?: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT */
  readonly otlpEndpoint?: string;
  /** OTEL_EXPORT_CONSOLE */
  readonly exportToConsole?: boolean;
}

/** What setupTelemetry returns: the running agent's controls. */
export interface Telemetry {
  readonly serviceName: string;
  /** Exports what has finished so far. */
  flush(): Promise<void>;
  /** Flushes and stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * Starts telemetry (once per process: if the register entry or an earlier call started it, that
 * agent is returned). Returns undefined when telemetry is disabled (OTEL_SDK_DISABLED=true).
 */
export function setupTelemetry(options: SetupOptions = {}, env: Env = process.env): Telemetry | undefined {
  const fromArgs: Record<string, string> = {};
  if (options.serviceName !== undefined) fromArgs.OTEL_SERVICE_NAME = options.serviceName;
  if (options.otlpEndpoint !== undefined) fromArgs.OTEL_EXPORTER_OTLP_ENDPOINT = options.otlpEndpoint;
  if (options.exportToConsole !== undefined) fromArgs.OTEL_EXPORT_CONSOLE = String(options.exportToConsole);
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  if (!isSupportedNode()) {
    process.stderr.write(oldNodeLine());
    return undefined;
  }
  // The SDK is loaded only when this is called, so importing the manual API stays cheap.
  const { startAgent } = loadModule<typeof import('./start.js')>('boot/start');
  const agent = currentAgent() ?? startAgent({ ...fromArgs, ...defined });
  if (agent === undefined) return undefined;
  return {
    serviceName: agent.config.serviceName,
    flush: () => agent.flush(),
    shutdown: () => agent.shutdown(),
  };
}
