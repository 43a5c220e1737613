// The agent's whole configuration, read once from the environment into one frozen object: which
// variable goes where and how they combine. Their kinds, defaults and limits are in config/table.ts.
// Pure: no I/O and no writes to process.env. Loaded by boot/start.ts (and testing.ts).

import { readExport, type SignalExport } from './export.js';
import { INSTRUMENTATION_NAMES, type InstrumentationName, readInstrumentations } from './instrumentations.js';
import { type ConfigWarning, type Env, EnvReader } from './readers.js';
import { readResourceAttributes, UNKNOWN_SERVICE } from './resource.js';
import { type LOG_LEVELS, type PROPAGATORS, type SAMPLERS, type TRACER_KINDS, VARIABLES } from './table.js';

export type { SignalExport } from './export.js';
export type { ConfigWarning, Env } from './readers.js';
export { configVariables, type VariableKind } from './table.js';
export { INSTRUMENTATION_NAMES, type InstrumentationName };

export type SamplerName = (typeof SAMPLERS)[number];
export type PropagatorName = (typeof PROPAGATORS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];
export type TracerKind = (typeof TRACER_KINDS)[number];

/** The app's own package.json name and version, when found (read by boot/app-package.ts). */
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
export const DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT = VARIABLES.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT.default;
export const DEFAULT_IGNORE_PATHS: readonly string[] = VARIABLES.LOGOS_OTEL_IGNORE_PATHS.default;

/** Reads the configuration from `env`; never throws, and says what it fell back to for each bad value. */
export function parseConfig(
  env: Env = process.env,
  app: AppPackage = {},
): { config: Config; warnings: ConfigWarning[] } {
  return readConfig(new EnvReader(env), app);
}

function readConfig(read: EnvReader, app: AppPackage): { config: Config; warnings: ConfigWarning[] } {
  const disabled = read.bool('OTEL_SDK_DISABLED');
  const resource = readResourceAttributes(read, app);

  const tracesExporters = readExporters(read, 'OTEL_TRACES_EXPORTER');
  const metricsExporters = readExporters(read, 'OTEL_METRICS_EXPORTER');
  const shutdownTimeoutMs = read.int('LOGOS_OTEL_SHUTDOWN_TIMEOUT');
  const traces = tracesExporters.has('otlp') ? readExport(read, 'TRACES', shutdownTimeoutMs) : undefined;
  const metrics = metricsExporters.has('otlp') ? readExport(read, 'METRICS', shutdownTimeoutMs) : undefined;
  const prometheus = metricsExporters.has('prometheus')
    ? {
        host: read.text('OTEL_EXPORTER_PROMETHEUS_HOST'),
        port: read.int('OTEL_EXPORTER_PROMETHEUS_PORT'),
      }
    : undefined;

  const sampler = read.enumOf('OTEL_TRACES_SAMPLER');
  const samplerRatio = sampler.endsWith('traceidratio') ? read.number('OTEL_TRACES_SAMPLER_ARG') : 1;

  const maxQueueSize = read.int('OTEL_BSP_MAX_QUEUE_SIZE');
  let maxExportBatchSize = read.int('OTEL_BSP_MAX_EXPORT_BATCH_SIZE');
  if (maxExportBatchSize > maxQueueSize) {
    read.warn(
      'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
      `OTEL_BSP_MAX_EXPORT_BATCH_SIZE=${maxExportBatchSize} is above OTEL_BSP_MAX_QUEUE_SIZE=${maxQueueSize}; using ${maxQueueSize}`,
    );
    maxExportBatchSize = maxQueueSize;
  }

  const instrumentations = readInstrumentations(read);
  const consoleSpans = read.bool('OTEL_EXPORT_CONSOLE') || tracesExporters.has('console');
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
    logLevel: read.enumOf('OTEL_LOG_LEVEL'),
    tracer: read.enumOf('LOGOS_OTEL_TRACER'),
    instrumentations: Object.freeze(instrumentations.names),
    instrumentationsExplicit: instrumentations.explicit,
    ignorePaths: Object.freeze(readIgnorePaths(read)),
    metricIntervalMs: read.int('OTEL_METRIC_EXPORT_INTERVAL'),
    metricTimeoutMs: read.int('OTEL_METRIC_EXPORT_TIMEOUT'),
    bsp: Object.freeze({
      maxQueueSize,
      maxExportBatchSize,
      scheduledDelayMs: read.int('OTEL_BSP_SCHEDULE_DELAY'),
      exportTimeoutMs: read.int('OTEL_BSP_EXPORT_TIMEOUT'),
      maxQueueBytes: read.int('LOGOS_OTEL_BSP_MAX_QUEUE_BYTES'),
    }),
    spanLimits: Object.freeze({
      attributeValueLengthLimit: read.int('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
      attributeCountLimit: read.int('OTEL_ATTRIBUTE_COUNT_LIMIT'),
    }),
    shutdownTimeoutMs,
  };
  return { config: Object.freeze(config), warnings: read.warnings };
}

/** OTEL_{TRACES,METRICS}_EXPORTER: a set of exporter names; with none known, the table's default. */
function readExporters(read: EnvReader, name: 'OTEL_TRACES_EXPORTER' | 'OTEL_METRICS_EXPORTER'): Set<string> {
  const known: readonly string[] = read.list(name) ?? [];
  return new Set(known.length > 0 ? known : VARIABLES[name].default);
}

function readPropagators(read: EnvReader): PropagatorName[] {
  const known: readonly PropagatorName[] =
    read.list('OTEL_PROPAGATORS') ?? VARIABLES.OTEL_PROPAGATORS.default;
  return known.includes('none') ? [] : [...known];
}

function readIgnorePaths(read: EnvReader): string[] {
  const name = 'LOGOS_OTEL_IGNORE_PATHS';
  if (read.raw(name)?.toLowerCase() === 'none') return [];
  const paths = read.list(name) ?? [...DEFAULT_IGNORE_PATHS];
  const bad = paths.filter((path) => !path.startsWith('/'));
  if (bad.length > 0) read.warn(name, `${name} entries must start with '/'; ignoring ${bad.join(', ')}`);
  return paths.filter((path) => path.startsWith('/'));
}
