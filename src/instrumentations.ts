// Chooses and builds the instrumentations: those the config allows whose target modules the app
// can load (an explicitly enabled one loads regardless). Each patch is guarded so that an
// instrumentation that throws leaves the module unpatched instead of breaking the app.
// Loaded by sdk.ts.
import type { IncomingMessage } from 'node:http';
import type { Instrumentation, InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import type { Config, InstrumentationName } from './config.js';
import { loadModule } from './lazy-module.js';
import { logOnce } from './logger.js';

/** What an instrumentation's options may depend on. */
interface BuildContext {
  readonly isIgnoredPath: (url: string | undefined) => boolean;
}

type Ctor = new (config?: object) => Instrumentation;

/**
 * Packages whose presence turns each instrumentation on (none for Node's own modules, which are
 * always there), and its options where the defaults do not serve.
 */
const ENTRIES: Record<
  InstrumentationName,
  { targets: readonly string[]; options?: (c: BuildContext) => object }
> = {
  http: {
    targets: [],
    options: ({ isIgnoredPath }) => ({
      ignoreIncomingRequestHook: (request: IncomingMessage) => isIgnoredPath(request.url),
    }),
  },
  undici: { targets: [] },
  express: { targets: ['express'] },
  // Ours: health paths are already untraced by http, so the handler span is too.
  fastify: { targets: ['fastify'] },
  koa: { targets: ['koa'] },
  pg: { targets: ['pg'] },
  redis: { targets: ['redis', '@redis/client'] },
  ioredis: { targets: ['ioredis'] },
  mongodb: { targets: ['mongodb'] },
  grpc: { targets: ['@grpc/grpc-js'] },
  // Log correlation only: the agent has no log pipeline, and sending logs would put every logger's
  // destination behind a multistream (flush(), transports and logger[stream] then change).
  pino: { targets: ['pino'], options: () => ({ disableLogSending: true }) },
  // As pino: correlation only; sending would add a transport to every logger.
  winston: { targets: ['winston'], options: () => ({ disableLogSending: true }) },
  'runtime-node': { targets: [] },
  fs: { targets: [] },
  dns: { targets: [] },
  net: { targets: [] },
};

/** The packages whose presence turns `name` on; empty for Node's own modules (always on). Read by the doctor. */
export function instrumentationTargets(name: InstrumentationName): readonly string[] {
  return ENTRIES[name].targets;
}

/** Builds one instrumentation from its own lazily loaded module (see src/instrumentation-modules/). */
function build(name: InstrumentationName, context: BuildContext): Instrumentation {
  const { Instrumentation } = loadModule<{ Instrumentation: Ctor }>(`instrumentation-modules/${name}`);
  return new Instrumentation(ENTRIES[name].options?.(context));
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
 * The instrumentations to enable for `config`, given which packages the app can load: with
 * `runtime`, only the runtime-node one (metrics only, started with the metrics SDK); without, all
 * the others.
 */
export function buildInstrumentations(
  config: Pick<Config, 'instrumentations' | 'instrumentationsExplicit' | 'ignorePaths'>,
  isPresent: (pkg: string) => boolean,
  options: { runtime: boolean },
): Instrumentation[] {
  const context: BuildContext = { isIgnoredPath: pathMatcher(config.ignorePaths) };
  const built: Instrumentation[] = [];
  for (const name of config.instrumentations) {
    const entry = ENTRIES[name];
    if ((name === 'runtime-node') !== options.runtime) continue;
    const wanted =
      config.instrumentationsExplicit || entry.targets.length === 0 || entry.targets.some(isPresent);
    if (!wanted) continue;
    try {
      const instrumentation = build(name, context);
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
