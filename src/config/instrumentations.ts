// Decides which instrumentations may load, from OTEL_NODE_ENABLED_INSTRUMENTATIONS and
// OTEL_NODE_DISABLED_INSTRUMENTATIONS, for config/config.ts; the names and defaults are the registry's
// (instrumentations/registry.ts). Whether a module is present is decided later.

import { INSTRUMENTATIONS, type InstrumentationName } from '../instrumentations/registry.js';
import type { EnvReader } from './readers.js';

/** Every instrumentation the agent knows, by the short names the variables use. */
export const INSTRUMENTATION_NAMES: readonly InstrumentationName[] = INSTRUMENTATIONS.map((row) => row.name);
export type { InstrumentationName };

/** Too noisy to be on unless asked for by name. */
export const OFF_BY_DEFAULT: readonly InstrumentationName[] = INSTRUMENTATIONS.filter(
  (row) => row.offByDefault,
).map((row) => row.name);

/** What loads when OTEL_NODE_ENABLED_INSTRUMENTATIONS is not set (where its package is found). */
export const ON_BY_DEFAULT: readonly InstrumentationName[] = INSTRUMENTATION_NAMES.filter(
  (name) => !OFF_BY_DEFAULT.includes(name),
);

/**
 * The instrumentations that may load, in a stable order. `explicit` is true when the user listed
 * them in OTEL_NODE_ENABLED_INSTRUMENTATIONS: they then load even where their package is not found.
 * Both lists accept upstream's names too ("@opentelemetry/instrumentation-http"): see config/table.ts.
 */
export function readInstrumentations(read: EnvReader): { names: InstrumentationName[]; explicit: boolean } {
  const enabled = read.list('OTEL_NODE_ENABLED_INSTRUMENTATIONS');
  const disabled = read.list('OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? [];
  const base = enabled ?? ON_BY_DEFAULT;
  const names = INSTRUMENTATION_NAMES.filter((name) => base.includes(name) && !disabled.includes(name));
  return { names, explicit: enabled !== undefined };
}
