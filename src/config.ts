// The agent's whole configuration, read once from the environment into one frozen object.
// Pure: no I/O and no writes to process.env. Loaded by start.ts (and testing.ts).

import { readExport, type SignalExport } from './config-export.js';
import {
  INSTRUMENTATION_NAMES,
  type InstrumentationName,
  readInstrumentations,
} from './config-instrumentations.js';
import { readResourceAttributes, UNKNOWN_SERVICE } from './config-resource.js';
import { type ConfigWarning, type Env, EnvReader, type VariableKind } from './env-readers.js';

export type { SignalExport } from './config-export.js';
export type { ConfigWarning, Env, VariableKind } from './env-readers.js';
export { INSTRUMENTATION_NAMES, type InstrumentationName };

export const SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
export type SamplerName = (typeof SAMPLERS)[number];

export const PROPAGATORS = ['tracecontext', 'baggage', 'b3', 'b3multi', 'xray', 'none'] as const;
export type PropagatorName = (typeof PROPAGATORS)[number];

export const LOG_LEVELS = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const TRACER_KINDS = ['lean', 'sdk'] as const;
export type TracerKind = (typeof TRACER_KINDS)[number];

export const METRICS_EXPORTERS = ['otlp', 'prometheus', 'console', 'none'] as const;
export const TRACES_EXPORTERS = ['otlp', 'console', 'none'] as const;

/** The app's own package.json name and version, when found (read by app-package.ts). */
export interface AppPackage {
  readonly name?: string;
  readonly version?: string;
}

/** Everything the agent needs to know, decided once at start-up. */
export interface Config {
  /** OTEL_SDK_DISABLED: nothing at all is started. */
  readonly disabled: boolean;
  readonly serviceName: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  /** OTLP export of traces; undefined when no endpoint is set (or OTEL_TRACES_EXPORTER=none). */
  readonly traces: SignalExport | undefined;
  /** OTLP export of metrics; undefined when no endpoint is set (or another exporter is chosen). */
  readonly metrics: SignalExport | undefined;
  /** OTEL_METRICS_EXPORTER=prometheus: serve /metrics for scraping. */
  readonly prometheus: { readonly host: string; readonly port: number } | undefined;
  /** OTEL_EXPORT_CONSOLE=true (or OTEL_TRACES_EXPORTER=console): one line per span on stderr. */
  readonly console: boolean;
  /** OTEL_METRICS_EXPORTER=console: metrics printed to stdout at each interval. */
  readonly consoleMetrics: boolean;
  readonly sampler: SamplerName;
  readonly samplerRatio: number;
  readonly propagators: readonly PropagatorName[];
  readonly logLevel: LogLevel;
  /** Which tracer records spans: the agent's lean one (src/lean-tracer), or the SDK's. */
  readonly tracer: TracerKind;
  readonly instrumentations: readonly InstrumentationName[];
  /** The list came from OTEL_NODE_ENABLED_INSTRUMENTATIONS: load them even if their package is not found. */
  readonly instrumentationsExplicit: boolean;
  readonly ignorePaths: readonly string[];
  readonly metricIntervalMs: number;
  readonly metricTimeoutMs: number;
  readonly bsp: {
    readonly maxQueueSize: number;
    readonly maxExportBatchSize: number;
    readonly scheduledDelayMs: number;
    readonly exportTimeoutMs: number;
    readonly maxQueueBytes: number;
  };
  readonly spanLimits: { readonly attributeValueLengthLimit: number; readonly attributeCountLimit: number };
  /** How long a flush at exit or on a signal may take before we give up on it. */
  readonly shutdownTimeoutMs: number;
}

/** The default limit on one attribute value's length: a whole LLM prompt is cut, not shipped. */
export const DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT = 4096;
export const DEFAULT_IGNORE_PATHS = ['/health', '/healthz', '/ready', '/metrics'];

/** Reads the configuration from `env`; never throws, and says what it fell back to for each bad value. */
export function parseConfig(
  env: Env = process.env,
  app: AppPackage = {},
): { config: Config; warnings: ConfigWarning[] } {
  return readConfig(new EnvReader(env), app);
}

/**
 * Every variable the agent reads and the kind of value it holds, found by reading environments
 * that take every branch of the config (the table tests generate their bad-input cases from).
 */
export function configVariables(): ReadonlyMap<string, VariableKind> {
  const all = new Map<string, VariableKind>();
  const probes: Env[] = [
    {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317',
      OTEL_TRACES_SAMPLER: 'traceidratio',
      OTEL_METRICS_EXPORTER: 'otlp,prometheus',
    },
    Object.fromEntries(
      ['TRACES', 'METRICS'].flatMap((signal) =>
        [
          'ENDPOINT',
          'PROTOCOL',
          'HEADERS',
          'TIMEOUT',
          'COMPRESSION',
          'CERTIFICATE',
          'CLIENT_CERTIFICATE',
          'CLIENT_KEY',
          'INSECURE',
        ].map((suffix) => [`OTEL_EXPORTER_OTLP_${signal}_${suffix}`, suffix === 'ENDPOINT' ? 'c:4317' : 'x']),
      ),
    ),
    { OTEL_EXPORTER_OTLP_ENDPOINT: 'c:4317' },
  ];
  for (const env of probes) {
    const read = new EnvReader(env);
    readConfig(read, {});
    for (const [name, kind] of read.variables)
      if (!all.has(name) || all.get(name) === 'text') all.set(name, kind);
  }
  return all;
}

function readConfig(read: EnvReader, app: AppPackage): { config: Config; warnings: ConfigWarning[] } {
  const disabled = read.bool('OTEL_SDK_DISABLED', false);
  const resource = readResourceAttributes(read, app);

  const tracesExporters = readExporters(read, 'OTEL_TRACES_EXPORTER', TRACES_EXPORTERS);
  const metricsExporters = readExporters(read, 'OTEL_METRICS_EXPORTER', METRICS_EXPORTERS);
  const shutdownTimeoutMs = read.int('LOGOS_OTEL_SHUTDOWN_TIMEOUT', 2000, 0, 600_000);
  const traces = tracesExporters.has('otlp') ? readExport(read, 'TRACES', shutdownTimeoutMs) : undefined;
  const metrics = metricsExporters.has('otlp') ? readExport(read, 'METRICS', shutdownTimeoutMs) : undefined;
  const prometheus = metricsExporters.has('prometheus')
    ? {
        host: read.raw('OTEL_EXPORTER_PROMETHEUS_HOST') ?? '0.0.0.0',
        port: read.int('OTEL_EXPORTER_PROMETHEUS_PORT', 9464, 1, 65535),
      }
    : undefined;

  const sampler = read.enumOf('OTEL_TRACES_SAMPLER', SAMPLERS, 'parentbased_always_on');
  const samplerRatio = sampler.endsWith('traceidratio') ? read.number('OTEL_TRACES_SAMPLER_ARG', 1, 0, 1) : 1;

  const maxQueueSize = read.int('OTEL_BSP_MAX_QUEUE_SIZE', 2048, 1, 1_000_000);
  let maxExportBatchSize = read.int('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, 1, 1_000_000);
  if (maxExportBatchSize > maxQueueSize) {
    read.warn(
      'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
      `OTEL_BSP_MAX_EXPORT_BATCH_SIZE=${maxExportBatchSize} is above OTEL_BSP_MAX_QUEUE_SIZE=${maxQueueSize}; using ${maxQueueSize}`,
    );
    maxExportBatchSize = maxQueueSize;
  }

  const instrumentations = readInstrumentations(read);
  const consoleSpans = read.bool('OTEL_EXPORT_CONSOLE', false) || tracesExporters.has('console');
  const exporting = traces !== undefined || metrics !== undefined || prometheus !== undefined || consoleSpans;
  // Without export the name is never seen, and nothing is printed when nothing is exported.
  if (exporting && resource.serviceName === UNKNOWN_SERVICE) {
    read.warn(
      'OTEL_SERVICE_NAME',
      `OTEL_SERVICE_NAME is not set and no package.json name was found; using ${UNKNOWN_SERVICE}`,
    );
  }
  const config: Config = {
    disabled,
    serviceName: resource.serviceName,
    resourceAttributes: Object.freeze(resource.attributes),
    traces,
    metrics,
    prometheus,
    console: consoleSpans,
    consoleMetrics: metricsExporters.has('console'),
    sampler,
    samplerRatio,
    propagators: Object.freeze(readPropagators(read)),
    logLevel: read.enumOf('OTEL_LOG_LEVEL', LOG_LEVELS, 'warn'),
    tracer: read.enumOf('LOGOS_OTEL_TRACER', TRACER_KINDS, 'lean'),
    instrumentations: Object.freeze(instrumentations.names),
    instrumentationsExplicit: instrumentations.explicit,
    ignorePaths: Object.freeze(readIgnorePaths(read)),
    metricIntervalMs: read.int('OTEL_METRIC_EXPORT_INTERVAL', 60_000, 100, 86_400_000),
    metricTimeoutMs: read.int('OTEL_METRIC_EXPORT_TIMEOUT', 30_000, 1, 600_000),
    bsp: Object.freeze({
      maxQueueSize,
      maxExportBatchSize,
      scheduledDelayMs: read.int('OTEL_BSP_SCHEDULE_DELAY', 5000, 0, 3_600_000),
      exportTimeoutMs: read.int('OTEL_BSP_EXPORT_TIMEOUT', 30_000, 1, 600_000),
      maxQueueBytes: read.int('LOGOS_OTEL_BSP_MAX_QUEUE_BYTES', 8 * 1024 * 1024, 65_536, 1_073_741_824),
    }),
    spanLimits: Object.freeze({
      attributeValueLengthLimit: read.int(
        'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT',
        DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT,
        1,
        100_000_000,
      ),
      attributeCountLimit: read.int('OTEL_ATTRIBUTE_COUNT_LIMIT', 128, 1, 100_000),
    }),
    shutdownTimeoutMs,
  };
  return { config: Object.freeze(config), warnings: read.warnings };
}

/** OTEL_{TRACES,METRICS}_EXPORTER: a set of exporter names; unknown names are dropped with a warning. */
function readExporters<T extends string>(read: EnvReader, name: string, allowed: readonly T[]): Set<T> {
  const list = read.list(name);
  if (list === undefined) return new Set([allowed[0] as T]);
  const known = list.filter((item): item is T => (allowed as readonly string[]).includes(item));
  if (known.length < list.length) {
    const fallback = known.length > 0 ? known.join(',') : (allowed[0] as T);
    read.invalid(name, list.join(','), `names an exporter other than ${allowed.join(', ')}`, fallback);
  }
  return new Set(known.length > 0 ? known : [allowed[0] as T]);
}

function readPropagators(read: EnvReader): PropagatorName[] {
  const list = read.list('OTEL_PROPAGATORS');
  if (list === undefined) return ['tracecontext', 'baggage'];
  const known = list.filter((name): name is PropagatorName =>
    (PROPAGATORS as readonly string[]).includes(name),
  );
  const unknown = list.filter((name) => !known.includes(name as PropagatorName));
  if (unknown.length > 0) {
    read.warn(
      'OTEL_PROPAGATORS',
      `OTEL_PROPAGATORS names unknown propagators (${unknown.join(', ')}); they are ignored (known: ${PROPAGATORS.join(', ')})`,
    );
  }
  return known.includes('none') ? [] : known;
}

function readIgnorePaths(read: EnvReader): string[] {
  const raw = read.raw('LOGOS_OTEL_IGNORE_PATHS');
  if (raw === undefined) return [...DEFAULT_IGNORE_PATHS];
  if (raw.toLowerCase() === 'none') return [];
  const paths = raw
    .split(',')
    .map((path) => path.trim())
    .filter((path) => path !== '');
  const bad = paths.filter((path) => !path.startsWith('/'));
  if (bad.length > 0) {
    read.warn(
      'LOGOS_OTEL_IGNORE_PATHS',
      `LOGOS_OTEL_IGNORE_PATHS entries must start with '/'; ignoring ${bad.join(', ')}`,
    );
  }
  return paths.filter((path) => path.startsWith('/'));
}
