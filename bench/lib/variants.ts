// The agents under test and how each is started: bare Node, upstream's register (with the loader
// hook that gives it full ESM coverage, or without), ours, and two anchors (Datadog's dd-trace and
// Elastic's EDOT Node); and the environment for each export mode. Shared by every scenario.

/** Which agent a process runs under. */
export type Agent = 'bare' | 'upstream' | 'upstream-no-loader' | 'ours' | 'dd-trace' | 'edot';

/** Where spans go: nowhere, a live receiver, a closed port, or a collector that never answers. */
export type Exporting = 'off' | 'live' | 'down' | 'hung';

export interface Variant {
  /** Short id used in JSON and service names, e.g. `ours-live`. */
  readonly id: string;
  /** Row label in the tables. */
  readonly label: string;
  readonly agent: Agent;
  readonly exporting: Exporting;
  /** Settings of this variant on top of the export mode's (e.g. a sampler). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Collector endpoints for the export modes that need one. */
export interface Endpoints {
  readonly live?: string;
  readonly down?: string;
  readonly hung?: string;
  /** The stand-in Datadog agent's URL, where dd-trace's "export on" goes. */
  readonly datadog?: string;
}

const EXPORT_LABEL: Record<Exporting, string> = {
  off: 'export off',
  live: 'export on',
  down: 'collector down',
  hung: 'collector hung',
};

const AGENT_LABEL: Record<Agent, string> = {
  bare: 'bare node',
  upstream: 'upstream',
  'upstream-no-loader': 'upstream, no loader',
  ours: 'ours',
  'dd-trace': 'dd-trace',
  edot: 'EDOT',
};

export function variant(
  agent: Agent,
  exporting: Exporting = 'off',
  suffix = '',
  env?: Readonly<Record<string, string>>,
): Variant {
  const id = agent === 'bare' ? 'bare' : `${agent}-${exporting}`;
  const label = agent === 'bare' ? AGENT_LABEL.bare : `${AGENT_LABEL[agent]} (${EXPORT_LABEL[exporting]})`;
  return {
    id: `${id}${suffix ? `-${suffix.replace(/[^\w-]+/g, '-')}` : ''}`,
    label: `${label}${suffix ? ` [${suffix}]` : ''}`,
    agent,
    exporting,
    env,
  };
}

/** Head sampling of 1 trace in 10 (children follow their parent's decision), for either agent. */
export const SAMPLED_10: Readonly<Record<string, string>> = {
  OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
  OTEL_TRACES_SAMPLER_ARG: '0.1',
};

/**
 * Node flags that load the agent. The specifiers resolve from the app's directory, as a user's would:
 * the bench workspace links both packages into its node_modules.
 */
export function nodeArgs(agent: Agent): string[] {
  switch (agent) {
    case 'bare':
      return [];
    case 'ours':
      return ['--import', '@logos/otel/register'];
    case 'upstream':
      // Without the loader hook, upstream's register patches only what is require()d: an ESM app's
      // imports of express (and node:http from ESM) give no spans. With it, the same spans as ours.
      return [
        '--experimental-loader=@opentelemetry/instrumentation/hook.mjs',
        '--import',
        '@opentelemetry/auto-instrumentations-node/register',
      ];
    case 'upstream-no-loader':
      return ['--import', '@opentelemetry/auto-instrumentations-node/register'];
    case 'dd-trace':
      // Its zero-code ESM entry: starts the tracer and registers its loader hook.
      return ['--import', 'dd-trace/initialize.mjs'];
    case 'edot':
      return ['--import', '@elastic/opentelemetry-node'];
  }
}

/**
 * Environment of one process. Both agents export over OTLP/gRPC (ours' default; upstream defaults to
 * http/protobuf). Upstream's default resource detectors include the cloud ones, which call
 * metadata endpoints off this machine: they are limited to the local ones ours also has.
 * Upstream "export off" means OTEL_{TRACES,METRICS,LOGS}_EXPORTER=none, which leaves it without a
 * tracer provider at all (spans are not recorded); ours keeps recording spans with export off.
 */
export function agentEnv(v: Variant, endpoints: Endpoints, serviceName: string): Record<string, string> {
  if (v.agent === 'bare') return {};
  if (v.agent === 'dd-trace') return { ...datadogEnv(v, endpoints, serviceName), ...v.env };
  const env: Record<string, string> = { OTEL_SERVICE_NAME: serviceName, ...v.env };
  const upstream = v.agent !== 'ours';
  if (upstream) {
    env.OTEL_NODE_RESOURCE_DETECTORS = 'env,host,os,process,serviceinstance,container';
    env.OTEL_EXPORTER_OTLP_PROTOCOL = 'grpc';
  }
  // EDOT's central configuration (OpAMP) starts only with ELASTIC_OTEL_OPAMP_ENDPOINT, which is
  // never set here; everything else it sends goes to the OTLP endpoint like upstream's. Its log
  // goes to stdout, a JSON start-up line at info level first, which the harness would take for the
  // app's ready line.
  if (v.agent === 'edot') env.OTEL_LOG_LEVEL = 'warn';
  if (v.exporting === 'off') {
    if (upstream) {
      env.OTEL_TRACES_EXPORTER = 'none';
      env.OTEL_METRICS_EXPORTER = 'none';
      env.OTEL_LOGS_EXPORTER = 'none';
    }
    return env;
  }
  const endpoint = endpoints[v.exporting];
  if (endpoint === undefined) throw new Error(`no ${v.exporting} endpoint for ${v.id}`);
  env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
  return env;
}

/**
 * dd-trace's environment: every trace kept (sample rate 1, no per-second limit) and sent to the
 * stand-in agent on 127.0.0.1; everything that would dial elsewhere (remote configuration,
 * telemetry, profiling, runtime metrics over DogStatsD, crash tracking) off; no start-up log.
 * "export off" is the tracer disabled, like upstream's.
 */
function datadogEnv(v: Variant, endpoints: Endpoints, serviceName: string): Record<string, string> {
  const env: Record<string, string> = {
    DD_SERVICE: serviceName,
    DD_ENV: 'bench',
    DD_TRACE_SAMPLE_RATE: '1',
    DD_TRACE_RATE_LIMIT: '-1',
    DD_REMOTE_CONFIGURATION_ENABLED: 'false',
    DD_TELEMETRY_ENABLED: 'false',
    DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'false',
    DD_PROFILING_ENABLED: 'false',
    DD_RUNTIME_METRICS_ENABLED: 'false',
    DD_CRASHTRACKING_ENABLED: 'false',
    DD_DATA_STREAMS_ENABLED: 'false',
    DD_APPSEC_ENABLED: 'false',
    DD_IAST_ENABLED: 'false',
    DD_DYNAMIC_INSTRUMENTATION_ENABLED: 'false',
    DD_TRACE_STARTUP_LOGS: 'false',
    DD_TRACE_STATS_COMPUTATION_ENABLED: 'false',
    // DogStatsD is UDP: keep it on loopback even if something still reports there.
    DD_DOGSTATSD_HOST: '127.0.0.1',
  };
  if (v.exporting === 'off') {
    env.DD_TRACE_ENABLED = 'false';
    env.DD_TRACE_AGENT_URL = 'http://127.0.0.1:9';
    return env;
  }
  const url = v.exporting === 'live' ? endpoints.datadog : endpoints[v.exporting];
  if (url === undefined) throw new Error(`no ${v.exporting} endpoint for ${v.id}`);
  env.DD_TRACE_AGENT_URL = url;
  return env;
}
