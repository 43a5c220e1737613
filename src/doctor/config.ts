// The doctor's view of the configuration: each setting's effective value and where it came from
// (env, default, or a fallback after a bad value), and where each signal goes. Secrets are shown
// as [REDACTED]. Read by doctor/doctor.ts; pure apart from the environment it is given.
import {
  type AppPackage,
  type Config,
  type ConfigWarning,
  configVariables,
  type Env,
  type SignalExport,
  type VariableKind,
} from '../config/config.js';
import { isHeaderName, splitPairs } from '../config/pairs.js';
import { isSet, pick } from '../config/readers.js';
import { entryOf, SIGNALS, specOf, VARIABLES, type VariableName } from '../config/table.js';
import { REDACTED, redactUrl } from '../util/redact.js';

type Row = readonly [variable: VariableName, value: (config: Config) => string | number, always?: boolean];

const exported = (c: Config) => c.traces ?? c.metrics;

/** The settings worth a line; `always` ones are shown even at their default. Durations get the table's unit. */
const ROWS: readonly Row[] = [
  ['OTEL_SDK_DISABLED', (c) => String(c.disabled)],
  [
    'OTEL_EXPORTER_OTLP_PROTOCOL',
    (c) => exported(c)?.protocol ?? VARIABLES.OTEL_EXPORTER_OTLP_PROTOCOL.default,
    true,
  ],
  ['OTEL_EXPORTER_OTLP_HEADERS', (c) => headerKeys(exported(c)?.headers)],
  [
    'OTEL_EXPORTER_OTLP_TIMEOUT',
    (c) => exported(c)?.timeoutMs ?? VARIABLES.OTEL_EXPORTER_OTLP_TIMEOUT.default,
  ],
  [
    'OTEL_EXPORTER_OTLP_COMPRESSION',
    (c) => exported(c)?.compression ?? VARIABLES.OTEL_EXPORTER_OTLP_COMPRESSION.default,
  ],
  ['OTEL_TRACES_SAMPLER', (c) => c.sampler, true],
  ['OTEL_TRACES_SAMPLER_ARG', (c) => c.samplerRatio],
  ['OTEL_PROPAGATORS', (c) => c.propagators.join(',') || 'none', true],
  ['OTEL_LOG_LEVEL', (c) => c.logLevel],
  ['OTEL_BSP_SCHEDULE_DELAY', (c) => c.bsp.scheduledDelayMs, true],
  ['OTEL_BSP_MAX_QUEUE_SIZE', (c) => c.bsp.maxQueueSize],
  ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE', (c) => c.bsp.maxExportBatchSize],
  ['OTEL_BSP_EXPORT_TIMEOUT', (c) => c.bsp.exportTimeoutMs],
  ['OTEL_METRIC_EXPORT_INTERVAL', (c) => c.metricIntervalMs, true],
  ['OTEL_METRIC_EXPORT_TIMEOUT', (c) => c.metricTimeoutMs],
  ['OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', (c) => c.spanLimits.attributeValueLengthLimit],
  ['OTEL_ATTRIBUTE_COUNT_LIMIT', (c) => c.spanLimits.attributeCountLimit],
  ['OTEL_NODE_ENABLED_INSTRUMENTATIONS', (c) => c.instrumentations.join(',')],
  ['LOGOS_OTEL_SHUTDOWN_TIMEOUT', (c) => c.shutdownTimeoutMs],
  ['LOGOS_OTEL_IGNORE_PATHS', (c) => c.ignorePaths.join(',') || 'none'],
];

/** A row's value with the unit the table gives it. */
function withUnit(name: VariableName, value: string | number): string {
  const spec = specOf(name);
  return 'unit' in spec && spec.unit === 'ms' ? `${value} ms` : String(value);
}

/** Variables the doctor reads itself, beside the agent's. */
const OWN = new Set(['LOGOS_OTEL_DOCTOR']);

function headerKeys(headers: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(headers ?? {});
  return keys.length === 0 ? 'none' : keys.map((key) => `${key}=${REDACTED}`).join(',');
}

/** A variable's value as it may be printed: URLs without credentials, header values never. */
export function shownValue(name: string, value: string, kind: VariableKind | undefined): string {
  const entry = entryOf(name);
  const spec = entry === undefined ? undefined : specOf(entry);
  if (spec?.kind === 'pairs' && spec.secret)
    // Only a well-formed key is shown: an entry without one may be the secret itself.
    return splitPairs(value)
      .map(({ rawKey }) => (isHeaderName(rawKey) ? `${rawKey}=${REDACTED}` : REDACTED))
      .join(',');
  if (kind === 'url' || /ENDPOINT$/.test(name)) return redactUrl(value.trim());
  return value.trim();
}

function source(env: Env, name: string, warnings: readonly ConfigWarning[]): string {
  const warning = warnings.find((w) => w.variable === name);
  if (warning !== undefined) return `fallback: ${warning.message}`;
  return isSet(env, name) ? 'env' : 'default';
}

/** Where the service name came from. */
function serviceSource(env: Env, app: AppPackage, config: Config): string {
  if (isSet(env, 'OTEL_SERVICE_NAME')) return 'env OTEL_SERVICE_NAME';
  if (splitPairs(env.OTEL_RESOURCE_ATTRIBUTES ?? '').some((entry) => entry.key === 'service.name'))
    return 'env OTEL_RESOURCE_ATTRIBUTES';
  if (app.name !== undefined && app.name === config.serviceName) return 'package.json';
  return 'default: no OTEL_SERVICE_NAME and no package.json name';
}

/** The configuration section: one line per setting that is set, bad, or worth seeing at its default. */
export function configLines(
  env: Env,
  config: Config,
  warnings: readonly ConfigWarning[],
  app: AppPackage,
): string[] {
  const kinds = configVariables();
  const lines = [`  service.name = ${config.serviceName}  (${serviceSource(env, app, config)})`];
  const shown = new Set(['OTEL_SERVICE_NAME']);
  for (const [name, value, always] of ROWS) {
    shown.add(name);
    const from = source(env, name, warnings);
    if (from === 'default' && !always) continue;
    lines.push(`  ${name} = ${withUnit(name, value(config))}  (${from})`);
  }
  // Everything else the agent reads and that is set here: endpoints, per-signal settings, TLS files.
  for (const name of Object.keys(env).sort()) {
    if (shown.has(name) || !kinds.has(name) || !isSet(env, name)) continue;
    lines.push(
      `  ${name} = ${shownValue(name, env[name] ?? '', kinds.get(name))}  (${source(env, name, warnings)})`,
    );
  }
  // Warnings about variables no row shows (the batch size clamped, a missing service name).
  for (const warning of warnings)
    if (!lines.some((line) => line.includes(warning.message))) lines.push(`  note: ${warning.message}`);
  return lines;
}

/** OTEL_* and LOGOS_OTEL_* variables that are set but that the agent never reads (typos, other SDKs' names). */
export function unknownVariables(env: Env): string[] {
  const kinds = configVariables();
  return Object.keys(env)
    .filter((name) => /^(OTEL|LOGOS_OTEL)_/.test(name) && !kinds.has(name) && !OWN.has(name))
    .sort();
}

/** Where one signal goes, and why not when it goes nowhere. */
export interface SignalRoute {
  readonly signal: 'traces' | 'metrics';
  readonly exported: SignalExport | undefined;
  /** The variable the endpoint came from (or would). */
  readonly endpointVariable: string;
  /** Why nothing is exported over OTLP, when it is not. */
  readonly why?: string;
}

export function signalRoutes(env: Env, config: Config, warnings: readonly ConfigWarning[]): SignalRoute[] {
  return SIGNALS.map((upper) => {
    const signal = upper === 'TRACES' ? 'traces' : 'metrics';
    const endpointVariable = pick(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', upper);
    const exported = config[signal];
    if (exported !== undefined) return { signal, exported, endpointVariable };
    const exporterVariable = `OTEL_${upper}_EXPORTER`;
    let why: string;
    if (config.disabled) why = 'the agent is disabled';
    else if (isSet(env, exporterVariable) && !/otlp/i.test(env[exporterVariable] ?? ''))
      why = `${exporterVariable}=${env[exporterVariable]?.trim()} does not name otlp`;
    else if (!isSet(env, endpointVariable)) why = `no endpoint: ${endpointVariable} is not set`;
    else if (warnings.some((w) => w.variable === endpointVariable))
      why = `${endpointVariable} is not a usable URL`;
    else why = 'not configured for OTLP';
    return { signal, exported, endpointVariable, why };
  });
}
