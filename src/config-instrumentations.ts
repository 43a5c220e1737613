// Decides which instrumentations may load, from OTEL_NODE_ENABLED_INSTRUMENTATIONS and
// OTEL_NODE_DISABLED_INSTRUMENTATIONS, for config.ts. Whether a module is present is decided later.
import type { EnvReader } from './config-readers.js';

/** Every instrumentation the agent knows, by the short names the variables use. */
export const INSTRUMENTATION_NAMES = [
  'http',
  'undici',
  'express',
  'fastify',
  'koa',
  'pg',
  'redis',
  'ioredis',
  'mongodb',
  'grpc',
  'pino',
  'winston',
  'runtime-node',
  'fs',
  'dns',
  'net',
] as const;
export type InstrumentationName = (typeof INSTRUMENTATION_NAMES)[number];

/** Too noisy to be on unless asked for by name. */
export const OFF_BY_DEFAULT: readonly InstrumentationName[] = ['fs', 'dns', 'net'];

/**
 * The instrumentations that may load, in a stable order. `explicit` is true when the user listed
 * them in OTEL_NODE_ENABLED_INSTRUMENTATIONS: they then load even where their package is not found.
 * Both lists accept upstream's names too ("@opentelemetry/instrumentation-http"): see config-table.ts.
 */
export function readInstrumentations(read: EnvReader): { names: InstrumentationName[]; explicit: boolean } {
  const enabled = read.list('OTEL_NODE_ENABLED_INSTRUMENTATIONS');
  const disabled = read.list('OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? [];
  const base = enabled ?? INSTRUMENTATION_NAMES.filter((name) => !OFF_BY_DEFAULT.includes(name));
  const names = INSTRUMENTATION_NAMES.filter((name) => base.includes(name) && !disabled.includes(name));
  return { names, explicit: enabled !== undefined };
}
