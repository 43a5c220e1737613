// Chooses and builds the instrumentations: those the config allows whose target modules the app
// can load (an explicitly enabled one loads regardless). Each patch is guarded so that an
// instrumentation that throws leaves the module unpatched instead of breaking the app.
// Loaded by sdk.ts.
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Instrumentation, InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import type { Config, InstrumentationName } from './config.js';
import { logOnce } from './logger.js';

const require = createRequire(import.meta.url);

/** What an instrumentation's factory may use. */
interface BuildContext {
  readonly isIgnoredPath: (url: string | undefined) => boolean;
}

interface Entry {
  /** Packages whose presence turns it on; empty for Node's own modules, which are always there. */
  readonly targets: readonly string[];
  readonly build: (context: BuildContext) => Instrumentation;
}

type Ctor = new (config?: object) => Instrumentation;

/**
 * Loads an instrumentation's ESM build synchronously (require of an ES module), so that it shares
 * the ESM copies of @opentelemetry/api, core and instrumentation the agent already loaded instead
 * of loading the CommonJS copies beside them (which doubled the start-up cost).
 */
const load = (pkg: string, exportName: string): Ctor => {
  let path: string;
  try {
    path = fileURLToPath(import.meta.resolve(pkg));
  } catch {
    path = pkg;
  }
  return (require(path) as Record<string, Ctor>)[exportName] as Ctor;
};

const ENTRIES: Record<InstrumentationName, Entry> = {
  http: {
    targets: [],
    build: ({ isIgnoredPath }) =>
      new (load('@opentelemetry/instrumentation-http', 'HttpInstrumentation'))({
        ignoreIncomingRequestHook: (request: IncomingMessage) => isIgnoredPath(request.url),
      }),
  },
  undici: {
    targets: [],
    build: () => new (load('@opentelemetry/instrumentation-undici', 'UndiciInstrumentation'))(),
  },
  express: {
    targets: ['express'],
    build: () => new (load('@opentelemetry/instrumentation-express', 'ExpressInstrumentation'))(),
  },
  fastify: {
    targets: ['fastify'],
    build: ({ isIgnoredPath }) =>
      new (load('@fastify/otel', 'FastifyOtelInstrumentation'))({
        registerOnInitialization: true,
        ignorePaths: (route: { url?: string }) => isIgnoredPath(route.url),
      }),
  },
  koa: {
    targets: ['koa'],
    build: () => new (load('@opentelemetry/instrumentation-koa', 'KoaInstrumentation'))(),
  },
  pg: {
    targets: ['pg'],
    build: () => new (load('@opentelemetry/instrumentation-pg', 'PgInstrumentation'))(),
  },
  redis: {
    targets: ['redis', '@redis/client'],
    build: () => new (load('@opentelemetry/instrumentation-redis', 'RedisInstrumentation'))(),
  },
  ioredis: {
    targets: ['ioredis'],
    build: () => new (load('@opentelemetry/instrumentation-ioredis', 'IORedisInstrumentation'))(),
  },
  mongodb: {
    targets: ['mongodb'],
    build: () => new (load('@opentelemetry/instrumentation-mongodb', 'MongoDBInstrumentation'))(),
  },
  grpc: {
    targets: ['@grpc/grpc-js'],
    build: () => new (load('@opentelemetry/instrumentation-grpc', 'GrpcInstrumentation'))(),
  },
  pino: {
    targets: ['pino'],
    build: () => new (load('@opentelemetry/instrumentation-pino', 'PinoInstrumentation'))(),
  },
  winston: {
    targets: ['winston'],
    build: () => new (load('@opentelemetry/instrumentation-winston', 'WinstonInstrumentation'))(),
  },
  'runtime-node': {
    targets: [],
    build: () => new (load('@opentelemetry/instrumentation-runtime-node', 'RuntimeNodeInstrumentation'))(),
  },
  fs: { targets: [], build: () => new (load('@opentelemetry/instrumentation-fs', 'FsInstrumentation'))() },
  dns: { targets: [], build: () => new (load('@opentelemetry/instrumentation-dns', 'DnsInstrumentation'))() },
  net: { targets: [], build: () => new (load('@opentelemetry/instrumentation-net', 'NetInstrumentation'))() },
};

/** Whether a request URL's path is one of the configured health-check paths (or below one). */
export function pathMatcher(paths: readonly string[]): (url: string | undefined) => boolean {
  return (url) => {
    if (url === undefined || paths.length === 0) return false;
    const end = url.search(/[?#]/);
    const path = end === -1 ? url : url.slice(0, end);
    return paths.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
  };
}

/** The instrumentations to enable for `config`, given which packages the app can load. */
export function buildInstrumentations(
  config: Pick<Config, 'instrumentations' | 'instrumentationsExplicit' | 'ignorePaths'>,
  isPresent: (pkg: string) => boolean,
  options: { metrics: boolean },
): Instrumentation[] {
  const context: BuildContext = { isIgnoredPath: pathMatcher(config.ignorePaths) };
  const built: Instrumentation[] = [];
  for (const name of config.instrumentations) {
    const entry = ENTRIES[name];
    if (name === 'runtime-node' && !options.metrics) continue;
    const wanted =
      config.instrumentationsExplicit || entry.targets.length === 0 || entry.targets.some(isPresent);
    if (!wanted) continue;
    try {
      const instrumentation = entry.build(context);
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
  for (const definition of definitionsOf(instrumentation)) {
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
