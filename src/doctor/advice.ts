// The doctor's advice: what to change for the common reasons spans do not arrive (no endpoint, the
// wrong protocol for the port, a collector that does not answer, -r versus --import, bad values).
// Read by doctor/doctor.ts; pure.
import type { Config, ConfigWarning } from '../config/config.js';
import type { SignalRoute } from './config.js';
import type { Loading } from './loading.js';
import { NODE_FLOOR } from './loading.js';
import { endpointAddress, type ProbeResult } from './probe.js';

export interface AdviceInput {
  readonly mode: 'cli' | 'start';
  readonly config: Config;
  readonly warnings: readonly ConfigWarning[];
  readonly loading: Loading;
  readonly routes: readonly SignalRoute[];
  /** Probe results by endpoint URL, when probed. */
  readonly probes: ReadonlyMap<string, ProbeResult>;
  readonly unknown: readonly string[];
}

export function advice(input: AdviceInput): string[] {
  const { config, loading, routes, probes } = input;
  const out: string[] = [];
  if (!loading.nodeOk)
    out.push(
      `Run the app on Node ${NODE_FLOOR.join('.')} or newer: on this Node the agent turns itself off.`,
    );
  if (config.disabled) out.push('Unset OTEL_SDK_DISABLED (or set it to false) to turn the agent on.');
  if (input.mode === 'cli' && !loading.installed)
    out.push(
      'Install @logos/otel in the app (a git tag or a release tarball: see the README) before loading the register.',
    );
  if (input.mode === 'cli' && loading.flag === undefined && loading.nodeOk && !config.disabled)
    out.push(
      'Start the app with the agent: NODE_OPTIONS="--import @logos/otel/register" node app.js (-r @logos/otel/register for ts-node and other -r preloads).',
    );
  if (loading.flag === '--import' && loading.preloads.length > 0)
    out.push(
      `-r preloads (${loading.preloads.join(', ')}) run before --import: load the agent with -r @logos/otel/register after them instead (node -r ts-node/register -r @logos/otel/register src/server.ts).`,
    );
  else if (loading.flag === '--import' && loading.tsNode)
    out.push(
      'ts-node is installed here: if the app runs under ts-node (CommonJS), load the agent with -r @logos/otel/register, not --import (node -r ts-node/register -r @logos/otel/register src/server.ts).',
    );
  const exporting =
    routes.some((r) => r.exported !== undefined) || config.console || config.prometheus !== undefined;
  if (!exporting && !config.disabled)
    out.push(
      'Nothing is exported: set OTEL_EXPORTER_OTLP_ENDPOINT to your collector (http://127.0.0.1:4317 with `npx logos-otel dev` running shows traces in a terminal).',
    );
  const said = new Set<string>();
  for (const route of routes) {
    const exported = route.exported;
    if (exported === undefined) continue;
    const port = endpointAddress(exported.endpoint, exported.protocol)?.port;
    const key = `${exported.protocol} ${port}`;
    if (said.has(key)) continue;
    said.add(key);
    if (port === 4318 && exported.protocol === 'grpc')
      out.push(
        `${route.endpointVariable} uses port 4318, the OTLP/HTTP port, with protocol grpc (the default): set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, or use port 4317.`,
      );
    if (port === 4317 && exported.protocol !== 'grpc')
      out.push(
        `${route.endpointVariable} uses port 4317, the OTLP/gRPC port, with protocol ${exported.protocol}: set OTEL_EXPORTER_OTLP_PROTOCOL=grpc, or use port 4318.`,
      );
    const probe = probes.get(exported.endpoint);
    if (probe !== undefined && probe !== 'answers')
      out.push(
        `Nothing answers at ${exported.displayEndpoint} (${probe}): start the collector there (or \`npx logos-otel dev\`), or fix ${route.endpointVariable}; until then ${route.signal} are dropped.`,
      );
  }
  if (
    config.sampler.endsWith('always_off') ||
    (config.sampler.endsWith('traceidratio') && config.samplerRatio === 0)
  )
    out.push(
      `OTEL_TRACES_SAMPLER=${config.sampler} samples no new traces: use parentbased_always_on (the default).`,
    );
  if (input.warnings.length > 0)
    out.push(
      `${input.warnings.length} bad value(s) fell back to defaults (marked fallback above): fix them.`,
    );
  for (const name of input.unknown) out.push(`${name} is set but @logos/otel does not read it: a typo?`);
  if (out.length === 0) out.push('Nothing to change: spans should arrive where the endpoints above say.');
  return out;
}
