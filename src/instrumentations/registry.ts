// Every instrumentation the agent knows, one row each: the names, defaults, packages and modules
// the config, the SDK, the doctor, the build and the README table are made from. Adding one is a
// row here plus its module in src/instrumentations/modules/. Read by config/instrumentations.ts,
// instrumentations/build.ts and scripts/build.mjs.
import type { IncomingMessage } from 'node:http';

/** What an instrumentation's options may depend on. */
export interface BuildContext {
  readonly isIgnoredPath: (url: string | undefined) => boolean;
}

/**
 * When an instrumentation starts: `traces` ones with the tracer, at start-up (they may record
 * metrics too, through the meters that work before the metrics SDK loads); `metrics` ones only
 * observe at a collection, so they are built with the metrics SDK, and only if metrics are exported.
 */
export type InstrumentationSignal = 'traces' | 'metrics';

export interface InstrumentationRow {
  /** The short name OTEL_NODE_ENABLED_INSTRUMENTATIONS and OTEL_NODE_DISABLED_INSTRUMENTATIONS use. */
  readonly name: string;
  /** Packages whose presence turns it on; none for Node's own modules, which are always there. */
  readonly targets: readonly string[];
  /** Too noisy to be on unless asked for by name. */
  readonly offByDefault: boolean;
  readonly signal: InstrumentationSignal;
  /** Its options, where the defaults do not serve. */
  readonly options?: (context: BuildContext) => object;
  /** Its module, loaded only when it is built (src/lazy-module.ts), exporting `Instrumentation`. */
  readonly module: string;
}

/** In the order the config lists them and the doctor prints them. */
export const INSTRUMENTATIONS = [
  {
    name: 'http',
    targets: [],
    offByDefault: false,
    signal: 'traces',
    options: ({ isIgnoredPath }: BuildContext) => ({
      ignoreIncomingRequestHook: (request: IncomingMessage) => isIgnoredPath(request.url),
    }),
    module: 'instrumentations/modules/http',
  },
  {
    name: 'undici',
    targets: [],
    offByDefault: false,
    signal: 'traces',
    module: 'instrumentations/modules/undici',
  },
  {
    name: 'express',
    targets: ['express'],
    offByDefault: false,
    signal: 'traces',
    module: 'instrumentations/modules/express',
  },
  // Ours: health paths are already untraced by http, so the handler span is too.
  {
    name: 'fastify',
    targets: ['fastify'],
    offByDefault: false,
    signal: 'traces',
    module: 'instrumentations/modules/fastify',
  },
  {
    name: 'koa',
    targets: ['koa'],
    offByDefault: false,
    signal: 'traces',
    module: 'instrumentations/modules/koa',
  },
  {
    name: 'pg',
    targets: ['pg'],
    offByDefault: false,
    signal: 'traces',
    module: 'instrumentations/modules/pg',
  },
  {
    name: 'redis',
    targets: ['redis', '@redis/client'],
    offByDefault: false,
    signal: 'traces',
    module: 'instrumentations/modules/redis',
  },
  {
    name: 'ioredis',
    targets: ['ioredis'],
    offByDefault: false,
    signal: 'traces',
    module: 'instrumentations/modules/ioredis',
  },
  {
    name: 'mongodb',
    targets: ['mongodb'],
    offByDefault: false,
    signal: 'traces',
    module: 'instrumentations/modules/mongodb',
  },
  {
    name: 'grpc',
    targets: ['@grpc/grpc-js'],
    offByDefault: false,
    signal: 'traces',
    module: 'instrumentations/modules/grpc',
  },
  // Log correlation only: the agent has no log pipeline, and sending logs would put every logger's
  // destination behind a multistream (flush(), transports and logger[stream] then change).
  {
    name: 'pino',
    targets: ['pino'],
    offByDefault: false,
    signal: 'traces',
    options: () => ({ disableLogSending: true }),
    module: 'instrumentations/modules/pino',
  },
  // As pino: correlation only; sending would add a transport to every logger.
  {
    name: 'winston',
    targets: ['winston'],
    offByDefault: false,
    signal: 'traces',
    options: () => ({ disableLogSending: true }),
    module: 'instrumentations/modules/winston',
  },
  {
    name: 'runtime-node',
    targets: [],
    offByDefault: false,
    signal: 'metrics',
    module: 'instrumentations/modules/runtime-node',
  },
  { name: 'fs', targets: [], offByDefault: true, signal: 'traces', module: 'instrumentations/modules/fs' },
  { name: 'dns', targets: [], offByDefault: true, signal: 'traces', module: 'instrumentations/modules/dns' },
  { name: 'net', targets: [], offByDefault: true, signal: 'traces', module: 'instrumentations/modules/net' },
] as const satisfies readonly InstrumentationRow[];

export type InstrumentationName = (typeof INSTRUMENTATIONS)[number]['name'];

/** The row for `name`. */
export function instrumentationRow(name: InstrumentationName): InstrumentationRow {
  // Every name is a row's: the type says so.
  return INSTRUMENTATIONS.find((row) => row.name === name) as InstrumentationRow;
}
