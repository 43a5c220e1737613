// Every environment variable the agent reads, as one table: kind, default, limits and a one-line doc.
// config/readers.ts reads by it, config/config.ts uses it, the README's table and the bad-input tests come from it.
import { INSTRUMENTATION_NAMES, OFF_BY_DEFAULT, ON_BY_DEFAULT } from './instrumentations.js';

export const SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
export const PROPAGATORS = ['tracecontext', 'baggage', 'b3', 'b3multi', 'xray', 'none'] as const;
export const LOG_LEVELS = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const;
export const TRACER_KINDS = ['lean', 'sdk'] as const;
export const METRICS_EXPORTERS = ['otlp', 'prometheus', 'console', 'none'] as const;
export const TRACES_EXPORTERS = ['otlp', 'console', 'none'] as const;
export const OTLP_PROTOCOLS = ['grpc', 'http/protobuf', 'http/json'] as const;
export const COMPRESSIONS = ['gzip', 'none'] as const;

/** The kinds of value a variable holds; each has one reader in config/readers.ts. */
export type VariableKind = 'text' | 'path' | 'bool' | 'int' | 'number' | 'enum' | 'list' | 'url' | 'pairs';

interface Common {
  /** One line for the README's table. */
  readonly doc: string;
  /** The README's default column, when the default is not a plain value. */
  readonly shownDefault?: string;
  /** Also read as OTEL_EXPORTER_OTLP_TRACES_* and _METRICS_*, which win for their signal. */
  readonly perSignal?: boolean;
  /** Other variables that must be set for this one to be read at all (the bad-input tests set them). */
  readonly readWhen?: Readonly<Record<string, string>>;
}

export interface TextSpec extends Common {
  readonly kind: 'text' | 'path';
  readonly default?: string;
}
export interface BoolSpec extends Common {
  readonly kind: 'bool';
  readonly default: boolean;
}
export interface NumberSpec extends Common {
  readonly kind: 'int' | 'number';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** `ms`: a duration in milliseconds (the doctor prints the unit, the doc line says it). */
  readonly unit?: 'ms';
}
export interface EnumSpec extends Common {
  readonly kind: 'enum';
  readonly values: readonly string[];
  readonly default: string;
}
export interface ListSpec extends Common {
  readonly kind: 'list';
  /** The names allowed; without it, any item (kept in its case). */
  readonly values?: readonly string[];
  readonly default: readonly string[];
  /** A prefix an item may carry and that is dropped (upstream's package names). */
  readonly prefix?: string;
  /**
   * What an unknown name does: `ignored` drops it ("names unknown <noun> (...); they are ignored"),
   * `fallback` reports the whole value as invalid ("names <noun> other than ...; using ...").
   */
  readonly unknown?: { readonly noun: string; readonly style: 'ignored' | 'fallback' };
}
export interface UrlSpec extends Common {
  readonly kind: 'url';
  /** What is used instead of an invalid URL, for the warning. */
  readonly invalid: string;
  /** How a URL without a scheme is read, for the warning (`http://` is put in front). */
  readonly schemeless: string;
}
export interface PairsSpec extends Common {
  readonly kind: 'pairs';
  /** Values are secrets: keys must be header names, and warnings show entry numbers only. */
  readonly secret: boolean;
}
export type VariableSpec = TextSpec | BoolSpec | NumberSpec | EnumSpec | ListSpec | UrlSpec | PairsSpec;

const EXPORTING = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317' } as const;

/** The table, in the README's order. */
export const VARIABLES = {
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    kind: 'url',
    perSignal: true,
    shownDefault: 'unset: no export',
    invalid: 'no endpoint: nothing is exported to it',
    schemeless: 'plain text unless OTEL_EXPORTER_OTLP_INSECURE=false',
    doc: 'Collector URL, e.g. `http://localhost:4317`; turns on export of traces and metrics. A per-signal URL (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `..._METRICS_ENDPOINT`) is used as is',
  },
  OTEL_EXPORTER_OTLP_PROTOCOL: {
    kind: 'enum',
    perSignal: true,
    values: OTLP_PROTOCOLS,
    default: 'grpc',
    readWhen: EXPORTING,
    doc: '`grpc`, `http/protobuf` or `http/json`',
  },
  OTEL_EXPORTER_OTLP_HEADERS: {
    kind: 'pairs',
    perSignal: true,
    secret: true,
    readWhen: EXPORTING,
    doc: '`key=value,...`, percent-encoded; never printed',
  },
  OTEL_EXPORTER_OTLP_TIMEOUT: {
    kind: 'int',
    unit: 'ms',
    perSignal: true,
    default: 10_000,
    min: 1,
    max: 600_000,
    readWhen: EXPORTING,
    doc: 'Milliseconds per export, capped at `LOGOS_OTEL_SHUTDOWN_TIMEOUT`: an export in flight holds the process at exit',
  },
  OTEL_EXPORTER_OTLP_COMPRESSION: {
    kind: 'enum',
    perSignal: true,
    values: COMPRESSIONS,
    default: 'none',
    readWhen: EXPORTING,
    doc: '`gzip` or `none`',
  },
  OTEL_EXPORTER_OTLP_CERTIFICATE: {
    kind: 'path',
    perSignal: true,
    readWhen: EXPORTING,
    doc: 'PEM file of the certificate authority that signs the collector (`https://` endpoints)',
  },
  OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: {
    kind: 'path',
    perSignal: true,
    readWhen: EXPORTING,
    doc: 'PEM file of the client certificate, for mutual TLS',
  },
  OTEL_EXPORTER_OTLP_CLIENT_KEY: {
    kind: 'path',
    perSignal: true,
    readWhen: EXPORTING,
    doc: "PEM file of the client certificate's private key",
  },
  OTEL_EXPORTER_OTLP_INSECURE: {
    kind: 'bool',
    perSignal: true,
    default: true,
    shownDefault: '`true` for a scheme-less endpoint',
    readWhen: { OTEL_EXPORTER_OTLP_ENDPOINT: 'c:4317' },
    doc: '`false` asks for TLS on a `host:port` endpoint',
  },
  OTEL_EXPORT_CONSOLE: {
    kind: 'bool',
    default: false,
    doc: '`true` prints each finished span as one line on stderr',
  },
  OTEL_TRACES_EXPORTER: {
    kind: 'list',
    values: TRACES_EXPORTERS,
    default: ['otlp'],
    unknown: { noun: 'an exporter', style: 'fallback' },
    doc: '`otlp`, `console`, `none` (comma list)',
  },
  OTEL_METRICS_EXPORTER: {
    kind: 'list',
    values: METRICS_EXPORTERS,
    default: ['otlp'],
    unknown: { noun: 'an exporter', style: 'fallback' },
    doc: '`otlp`, `prometheus` (serves `/metrics`), `console`, `none`',
  },
  OTEL_EXPORTER_PROMETHEUS_HOST: {
    kind: 'text',
    default: '0.0.0.0',
    readWhen: { OTEL_METRICS_EXPORTER: 'prometheus' },
    doc: 'The address `/metrics` is served on',
  },
  OTEL_EXPORTER_PROMETHEUS_PORT: {
    kind: 'int',
    default: 9464,
    min: 1,
    max: 65_535,
    readWhen: { OTEL_METRICS_EXPORTER: 'prometheus' },
    doc: 'The port `/metrics` is served on',
  },
  OTEL_SERVICE_NAME: {
    kind: 'text',
    shownDefault: "the app's package.json name",
    doc: 'Also sets `service.version` from package.json when the names match',
  },
  OTEL_RESOURCE_ATTRIBUTES: {
    kind: 'pairs',
    secret: false,
    doc: '`key=value,...`, e.g. `deployment.environment=prod`',
  },
  OTEL_TRACES_SAMPLER: {
    kind: 'enum',
    values: SAMPLERS,
    default: 'parentbased_always_on',
    doc: 'Also `always_on`, `always_off`, `traceidratio`, `parentbased_always_off`, `parentbased_traceidratio`',
  },
  OTEL_TRACES_SAMPLER_ARG: {
    kind: 'number',
    default: 1,
    min: 0,
    max: 1,
    readWhen: { OTEL_TRACES_SAMPLER: 'traceidratio' },
    doc: 'The share of traces the `traceidratio` samplers keep, from 0 to 1',
  },
  OTEL_PROPAGATORS: {
    kind: 'list',
    values: PROPAGATORS,
    default: ['tracecontext', 'baggage'],
    unknown: { noun: 'propagators', style: 'ignored' },
    doc: 'Also `b3`, `b3multi`, `xray`, `none`',
  },
  OTEL_NODE_ENABLED_INSTRUMENTATIONS: {
    kind: 'list',
    values: INSTRUMENTATION_NAMES,
    default: ON_BY_DEFAULT,
    prefix: '@opentelemetry/instrumentation-',
    unknown: { noun: 'instrumentations', style: 'ignored' },
    shownDefault: `all but ${OFF_BY_DEFAULT.join(', ')}`,
    doc: `Names: ${INSTRUMENTATION_NAMES.join(', ')}. Listed ones load even if their package is not found`,
  },
  OTEL_NODE_DISABLED_INSTRUMENTATIONS: {
    kind: 'list',
    values: INSTRUMENTATION_NAMES,
    default: [],
    prefix: '@opentelemetry/instrumentation-',
    unknown: { noun: 'instrumentations', style: 'ignored' },
    doc: 'Names to leave out',
  },
  OTEL_METRIC_EXPORT_INTERVAL: {
    kind: 'int',
    unit: 'ms',
    default: 60_000,
    min: 100,
    max: 86_400_000,
    doc: 'Milliseconds between metric exports',
  },
  OTEL_METRIC_EXPORT_TIMEOUT: {
    kind: 'int',
    unit: 'ms',
    default: 30_000,
    min: 1,
    max: 600_000,
    doc: 'Milliseconds a metric export may take',
  },
  OTEL_BSP_SCHEDULE_DELAY: {
    kind: 'int',
    unit: 'ms',
    default: 5000,
    min: 0,
    max: 3_600_000,
    doc: 'Milliseconds between span batch exports',
  },
  OTEL_BSP_EXPORT_TIMEOUT: {
    kind: 'int',
    unit: 'ms',
    default: 30_000,
    min: 1,
    max: 600_000,
    doc: 'Milliseconds a span batch export may take',
  },
  OTEL_BSP_MAX_QUEUE_SIZE: {
    kind: 'int',
    default: 2048,
    min: 1,
    max: 1_000_000,
    doc: 'Spans; beyond the queue, spans are dropped and counted',
  },
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: {
    kind: 'int',
    default: 512,
    min: 1,
    max: 1_000_000,
    doc: 'Spans per export, at most `OTEL_BSP_MAX_QUEUE_SIZE`',
  },
  LOGOS_OTEL_BSP_MAX_QUEUE_BYTES: {
    kind: 'int',
    default: 8 * 1024 * 1024,
    min: 65_536,
    max: 1_073_741_824,
    doc: 'Bytes the queued spans (already encoded for the wire) may hold; beyond it, spans are dropped and counted',
  },
  LOGOS_OTEL_TRACER: {
    kind: 'enum',
    values: TRACER_KINDS,
    default: 'lean',
    doc: "What records spans: the agent's own tracer (the OpenTelemetry API, a third of the SDK's CPU per span), or `sdk` for the OpenTelemetry SDK's",
  },
  OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: {
    kind: 'int',
    default: 4096,
    min: 1,
    max: 100_000_000,
    doc: 'Longer attribute values are cut (a whole LLM prompt is not shipped)',
  },
  OTEL_ATTRIBUTE_COUNT_LIMIT: {
    kind: 'int',
    default: 128,
    min: 1,
    max: 100_000,
    doc: 'Attributes per span',
  },
  OTEL_LOG_LEVEL: {
    kind: 'enum',
    values: LOG_LEVELS,
    default: 'warn',
    doc: "The agent's own diagnostics: `none`, `error`, `warn` (configuration and export only), `info` (adds the SDK's and instrumentations' own lines), `debug`, `verbose`, `all`",
  },
  OTEL_SDK_DISABLED: {
    kind: 'bool',
    default: false,
    doc: '`true`: the agent does nothing at all',
  },
  LOGOS_OTEL_IGNORE_PATHS: {
    kind: 'list',
    default: ['/health', '/healthz', '/ready', '/metrics'],
    doc: 'Request paths (and their sub-paths) that make no spans; `none` traces all',
  },
  LOGOS_OTEL_SHUTDOWN_TIMEOUT: {
    kind: 'int',
    unit: 'ms',
    default: 2000,
    min: 0,
    max: 600_000,
    doc: 'Milliseconds a flush at exit or on a signal may take; also the longest any export may take',
  },
} as const satisfies Record<string, VariableSpec>;

export type Variables = typeof VARIABLES;
export type VariableName = keyof Variables;
/** The table's names whose kind is one of `K`. */
export type NameOf<K extends VariableKind> = {
  [N in VariableName]: Variables[N]['kind'] extends K ? N : never;
}[VariableName];

export type Signal = 'TRACES' | 'METRICS';
export const SIGNALS: readonly Signal[] = ['TRACES', 'METRICS'];

/** The entry of a name in the table, widened to its spec type. */
export function specOf(name: VariableName): VariableSpec {
  return VARIABLES[name];
}

/** OTEL_EXPORTER_OTLP_X for one signal: OTEL_EXPORTER_OTLP_TRACES_X. */
export function signalName(name: string, signal: Signal): string {
  return name.replace(/^OTEL_EXPORTER_OTLP_/, `OTEL_EXPORTER_OTLP_${signal}_`);
}

/** Every name a table entry stands for: itself and, for a per-signal one, its two signal forms. */
export function namesOf(name: VariableName): string[] {
  return specOf(name).perSignal ? [name, ...SIGNALS.map((signal) => signalName(name, signal))] : [name];
}

/** The table entry `name` belongs to (itself, or the general form of a per-signal name). */
export function entryOf(name: string): VariableName | undefined {
  if (Object.hasOwn(VARIABLES, name)) return name as VariableName;
  const general = name.replace(/^OTEL_EXPORTER_OTLP_(TRACES|METRICS)_/, 'OTEL_EXPORTER_OTLP_');
  return general !== name && Object.hasOwn(VARIABLES, general) && specOf(general as VariableName).perSignal
    ? (general as VariableName)
    : undefined;
}

/** Every variable the agent reads, with the kind of its value (per-signal forms included). */
export function configVariables(): ReadonlyMap<string, VariableKind> {
  const all = new Map<string, VariableKind>();
  for (const name of Object.keys(VARIABLES) as VariableName[])
    for (const each of namesOf(name)) all.set(each, specOf(name).kind);
  return all;
}
