// `logos-otel doctor` and LOGOS_OTEL_DOCTOR's report: "why don't I see my spans?" on one screen
// (Node and loading, configuration and where each value came from, instrumentations and their
// packages, endpoints and whether they answer, advice). Loaded by doctor/command.ts (the CLI) and doctor/start.ts (LOGOS_OTEL_DOCTOR).
import { findAppPackage } from '../boot/app-package.js';
import {
  type AppPackage,
  type Config,
  type ConfigWarning,
  type Env,
  INSTRUMENTATION_NAMES,
  parseConfig,
} from '../config/config.js';
import { OFF_BY_DEFAULT } from '../config/instrumentations.js';
import { instrumentationTargets } from '../instrumentations/build.js';
import { presenceChecker } from '../instrumentations/module-presence.js';
import { advice } from './advice.js';
import { configLines, type SignalRoute, signalRoutes, unknownVariables } from './config.js';
import { cliLoading, type Loading, runtimeLoading } from './loading.js';
import { type ProbeResult, probeEndpoint } from './probe.js';

/** What a report is made from. */
export interface DoctorInput {
  readonly mode: 'cli' | 'start';
  readonly env: Env;
  /** Directories the app loads packages from. */
  readonly dirs: readonly string[];
  readonly app: AppPackage;
  /** Connect once to each endpoint (≤ 1 s in all). */
  readonly probe: boolean;
  readonly version: string;
  /** The config as the agent read it (at start); parsed from `env` when left out. */
  readonly parsed?: { config: Config; warnings: ConfigWarning[] };
}

/** The report, as lines. */
export async function doctorReport(input: DoctorInput): Promise<string[]> {
  const { env } = input;
  const { config, warnings } = input.parsed ?? parseConfig(env, input.app);
  const loading: Loading =
    input.mode === 'cli'
      ? cliLoading(env, input.dirs[0] ?? process.cwd(), config.disabled)
      : runtimeLoading(env, config.disabled);
  const routes = signalRoutes(env, config, warnings);
  const probes = new Map<string, ProbeResult>();
  if (input.probe) {
    // All at once; the probe makes one connect per host:port (traces and metrics usually share one).
    const exported = new Map<string, string>();
    for (const r of routes)
      if (r.exported && !exported.has(r.exported.endpoint))
        exported.set(r.exported.endpoint, r.exported.protocol);
    await Promise.all(
      [...exported].map(async ([url, protocol]) => {
        probes.set(url, await probeEndpoint(url, 1000, protocol));
      }),
    );
  }
  const unknown = unknownVariables(env);
  return [
    `@logos/otel ${input.version} doctor${input.mode === 'start' ? ` (LOGOS_OTEL_DOCTOR, pid ${process.pid})` : ''}`,
    ...loading.lines,
    ...routes.map((route) => routeLine(route, probes, input.probe)),
    ...extraOutputs(config),
    'configuration',
    ...configLines(env, config, warnings, input.app),
    'instrumentations',
    ...instrumentationLines(config, presenceChecker(input.dirs)),
    'advice',
    ...advice({ mode: input.mode, config, warnings, loading, routes, probes, unknown }).map(
      (line) => `  - ${line}`,
    ),
  ];
}

function routeLine(route: SignalRoute, probes: ReadonlyMap<string, ProbeResult>, probed: boolean): string {
  const label = route.signal.padEnd(9);
  const exported = route.exported;
  if (exported === undefined) return `${label} not exported: ${route.why}`;
  const probe = probes.get(exported.endpoint);
  const reach = !probed
    ? 'not probed (LOGOS_OTEL_DOCTOR=probe checks)'
    : probe === 'answers'
      ? 'answers'
      : `does not answer: ${probe}`;
  return `${label} OTLP ${exported.protocol} to ${exported.displayEndpoint} (${route.endpointVariable}): ${reach}`;
}

function extraOutputs(config: Config): string[] {
  const lines: string[] = [];
  if (config.console)
    lines.push(
      'console   spans printed to stderr, one line each (OTEL_EXPORT_CONSOLE or OTEL_TRACES_EXPORTER=console)',
    );
  if (config.consoleMetrics)
    lines.push('console   metrics printed to stdout (OTEL_METRICS_EXPORTER=console)');
  if (config.prometheus)
    lines.push(
      `prometheus metrics served for scraping on ${config.prometheus.host}:${config.prometheus.port}/metrics`,
    );
  return lines;
}

/** On, and for those that need a package, whether it was found; off ones by name. */
function instrumentationLines(config: Config, isPresent: (pkg: string) => boolean): string[] {
  const builtIn: string[] = [];
  const found: string[] = [];
  const missing: string[] = [];
  for (const name of config.instrumentations) {
    const targets = instrumentationTargets(name);
    const label = targets.length === 1 && targets[0] === name ? name : `${name} (${targets.join(' or ')})`;
    if (targets.length === 0) builtIn.push(name);
    else if (targets.some(isPresent)) found.push(label);
    else missing.push(label);
  }
  const off = INSTRUMENTATION_NAMES.filter((name) => !config.instrumentations.includes(name));
  const lines = [`  on (Node's own modules): ${builtIn.join(', ') || 'none'}`];
  lines.push(`  on, package found: ${found.join(', ') || 'none'}`);
  if (missing.length > 0)
    lines.push(
      `  ${config.instrumentationsExplicit ? 'on (listed explicitly), package not found' : 'not loaded, package not found'}: ${missing.join(', ')}`,
    );
  if (off.length > 0)
    lines.push(
      `  off: ${off.join(', ')}${off.every((name) => OFF_BY_DEFAULT.includes(name)) ? ' (off by default; OTEL_NODE_ENABLED_INSTRUMENTATIONS turns them on)' : ''}`,
    );
  return lines;
}

/** `logos-otel doctor` from this directory and environment (the app's package.json is looked for from `cwd`). */
export function cliDoctorInput(version: string, cwd = process.cwd(), env: Env = process.env): DoctorInput {
  return { mode: 'cli', env, dirs: [cwd], app: findAppPackage('', cwd), probe: true, version };
}
