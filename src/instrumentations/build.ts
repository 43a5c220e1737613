// Chooses and builds the instrumentations (the rows of instrumentations/registry.ts): those the
// config allows whose target modules the app can load (an explicitly enabled one loads regardless). Each patch is guarded so that an
// instrumentation that throws leaves the module unpatched instead of breaking the app.
// Loaded by boot/sdk.ts.
import type { Instrumentation, InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import type { Config } from '../config/config.js';
import { loadModule } from '../lazy-module.js';
import { logOnce } from '../util/logger.js';
import {
  type BuildContext,
  type InstrumentationName,
  type InstrumentationRow,
  type InstrumentationSignal,
  instrumentationRow,
} from './registry.js';

type Ctor = new (config?: object) => Instrumentation;

/** The packages whose presence turns `name` on; empty for Node's own modules (always on). Read by the doctor. */
export function instrumentationTargets(name: InstrumentationName): readonly string[] {
  return instrumentationRow(name).targets;
}

/** Builds one instrumentation from its own lazily loaded module (see src/instrumentations/modules/). */
function build(row: InstrumentationRow, context: BuildContext): Instrumentation {
  const { Instrumentation } = loadModule<{ Instrumentation: Ctor }>(row.module);
  return new Instrumentation(row.options?.(context));
}

/** Whether a request URL's path is one of the configured health-check paths (or below one). */
export function pathMatcher(paths: readonly string[]): (url: string | undefined) => boolean {
  if (paths.length === 0) return () => false;
  // Called for every request: the prefixes are built once, and the common case is one scan.
  const exact = new Set(paths);
  const prefixes = paths.map((p) => (p.endsWith('/') ? p : `${p}/`));
  return (url) => {
    if (url === undefined) return false;
    let end = url.indexOf('?');
    const hash = url.indexOf('#');
    if (end === -1 || (hash !== -1 && hash < end)) end = hash;
    const path = end === -1 ? url : url.slice(0, end);
    if (exact.has(path)) return true;
    for (const prefix of prefixes) if (path.startsWith(prefix)) return true;
    return false;
  };
}

/**
 * The instrumentations of `signal` to enable for `config`, given which packages the app can load:
 * boot/sdk.ts builds the `traces` ones with the tracer and has the metrics pipeline build the `metrics`
 * ones with the metrics SDK.
 */
export function buildInstrumentations(
  config: Pick<Config, 'instrumentations' | 'instrumentationsExplicit' | 'ignorePaths'>,
  isPresent: (pkg: string) => boolean,
  signal: InstrumentationSignal,
): Instrumentation[] {
  const context: BuildContext = { isIgnoredPath: pathMatcher(config.ignorePaths) };
  const built: Instrumentation[] = [];
  for (const name of config.instrumentations) {
    const row = instrumentationRow(name);
    if (row.signal !== signal) continue;
    const wanted = config.instrumentationsExplicit || row.targets.length === 0 || row.targets.some(isPresent);
    if (!wanted) continue;
    try {
      const instrumentation = build(row, context);
      guardPatches(name, instrumentation);
      built.push(instrumentation);
    } catch (error) {
      logOnce(
        `build:${name}`,
        `the ${name} instrumentation could not be loaded and is skipped: ${String(error)}`,
      );
    }
  }
  return built;
}

/** The module names the ESM hook must wrap for these instrumentations. */
export function hookedModules(instrumentations: readonly Instrumentation[]): string[] {
  const names = instrumentations.flatMap((i) => definitionsOf(i).map((d) => d.name));
  return [...new Set(names)];
}

function definitionsOf(instrumentation: Instrumentation): InstrumentationModuleDefinition[] {
  const withDefinitions = instrumentation as Instrumentation & {
    getModuleDefinitions?: () => InstrumentationModuleDefinition[];
  };
  try {
    return withDefinitions.getModuleDefinitions?.() ?? [];
  } catch {
    return [];
  }
}

/** Wraps every patch function so a throw is reported once and the module is returned unpatched. */
function guardPatches(name: string, instrumentation: Instrumentation): void {
  // getModuleDefinitions() runs init() again and returns new objects: the ones the instrumentation
  // patches with are its own _modules (InstrumentationBase), so those are what must be guarded.
  const own = (instrumentation as { _modules?: InstrumentationModuleDefinition[] })._modules;
  for (const definition of own ?? definitionsOf(instrumentation)) {
    const targets = [definition, ...(definition.files ?? [])] as {
      patch?: (exports: unknown, version?: string) => unknown;
    }[];
    for (const target of targets) {
      const patch = target.patch;
      if (typeof patch !== 'function') continue;
      target.patch = function guardedPatch(this: unknown, exports: unknown, version?: string) {
        try {
          return patch.call(this, exports, version);
        } catch (error) {
          logOnce(
            `patch:${name}`,
            `the ${name} instrumentation failed while patching ${definition.name} and is left out: ${String(error)}`,
          );
          return exports;
        }
      };
    }
  }
}
