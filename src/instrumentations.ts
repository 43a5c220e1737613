// Chooses and builds the instrumentations: those the config allows whose target modules the app
// can load (an explicitly enabled one loads regardless). Each patch is guarded so that an
// instrumentation that throws leaves the module unpatched instead of breaking the app.
// Loaded by sdk.ts.
import type { IncomingMessage } from 'node:http';
import type { Instrumentation, InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import type { Config, InstrumentationName } from './config.js';
import { loadModule } from './lazy-module.js';
import { logOnce } from './logger.js';

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
const load = (name: string): Ctor =>
  loadModule<{ Instrumentation: Ctor }>(`instrumentation-modules/${name}`).Instrumentation;

const ENTRIES: Record<InstrumentationName, Entry> = {
  http: {
    targets: [],
    build: ({ isIgnoredPath }) =>
      new (load('http'))({
        ignoreIncomingRequestHook: (request: IncomingMessage) => isIgnoredPath(request.url),
      }),
  },
  undici: {
    targets: [],
    build: () => new (load('undici'))(),
  },
  express: {
    targets: ['express'],
    build: () => new (load('express'))(),
  },
  fastify: {
    targets: ['fastify'],
    build: ({ isIgnoredPath }) =>
      new (load('fastify'))({
        registerOnInitialization: true,
        ignorePaths: (route: { url?: string }) => isIgnoredPath(route.url),
      }),
  },
  koa: {
    targets: ['koa'],
    build: () => new (load('koa'))(),
  },
  pg: {
    targets: ['pg'],
    build: () => new (load('pg'))(),
  },
  redis: {
    targets: ['redis', '@redis/client'],
    build: () => new (load('redis'))(),
  },
  ioredis: {
    targets: ['ioredis'],
    build: () => new (load('ioredis'))(),
  },
  mongodb: {
    targets: ['mongodb'],
    build: () => new (load('mongodb'))(),
  },
  grpc: {
    targets: ['@grpc/grpc-js'],
    build: () => new (load('grpc'))(),
  },
  pino: {
    targets: ['pino'],
    build: () => new (load('pino'))(),
  },
  winston: {
    targets: ['winston'],
    build: () => new (load('winston'))(),
  },
  'runtime-node': {
    targets: [],
    build: () => new (load('runtime-node'))(),
  },
  fs: { targets: [], build: () => new (load('fs'))() },
  dns: { targets: [], build: () => new (load('dns'))() },
  net: { targets: [], build: () => new (load('net'))() },
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
