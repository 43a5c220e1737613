// Builds dist/: the runtime is bundled with esbuild into a few ES modules (one copy of each
// OpenTelemetry package, few files to resolve and compile at start-up), and dts-bundle-generator
// writes one self-contained type declaration file per public entry (scripts/dts-bundle.config.cjs).
// Run by `npm run build`, `npm pack` (prepack) and the repo's own install.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { bundleBareRequires } from './bundle-bare-requires.mjs';
import { sdkMetricsHash } from './sdk-metrics-hash.mjs';

// Public entries, plus every module loaded on demand through src/lazy-module.ts: each must land
// at the same path below dist/ as below src/.
const entryPoints = [
  'src/register.ts',
  'src/index.ts',
  'src/testing.ts',
  'src/cli.ts',
  'src/boot/start.ts',
  'src/metrics/meter-provider.ts',
  'src/metrics/prometheus-exporter.ts',
  'src/traces/extra-propagators.ts',
  'src/metrics/otlp-exporter.ts',
  // Started as a worker thread by src/export/worker-host.ts, by this path.
  'src/export/worker/worker.ts',
  ...(await instrumentationModules()),
];

/**
 * Every instrumentation's module, from the registry's rows (src/instrumentations/registry.ts). This
 * script runs on plain Node, which may not read TypeScript: esbuild turns the registry into one
 * ES module first (it imports only types, so nothing else comes with it).
 */
async function instrumentationModules() {
  const compiled = await build({
    entryPoints: ['src/instrumentations/registry.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  const source = Buffer.from(compiled.outputFiles[0].contents).toString('base64');
  const { INSTRUMENTATIONS } = await import(`data:text/javascript;base64,${source}`);
  return INSTRUMENTATIONS.map((row) => `src/${row.module}.ts`);
}

// The loader hook is registered by file name, and grpc-js (now used only by the dev receiver of
// `logos-otel dev`, src/receiver/: the export worker speaks gRPC over node:http2) stays one
// package of its own: both are the only entries of `dependencies` (test/e2e/bundle-imports.test.ts
// checks dist/ loads nothing else).
const external = ['import-in-the-middle', '@grpc/grpc-js'];

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints,
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.15',
  external,
  plugins: [bundleBareRequires({ external }), sdkMetricsHash()],
  alias: {
    // require-in-the-middle's debug logging, off unless DEBUG is set, is not worth loading `debug`.
    debug: './scripts/no-debug.cjs',
    '@opentelemetry/winston-transport': './scripts/no-winston-transport.cjs',
  },
  // Shared chunks sit beside the entries, so relative URLs computed in them resolve alike.
  chunkNames: '[name]-[hash]',
  // Bundled CommonJS code calls require(); ES modules have none of their own.
  banner: {
    js: "import { createRequire as __logosOtelCreateRequire } from 'node:module'; const require = __logosOtelCreateRequire(import.meta.url);",
  },
  sourcemap: true,
  sourcesContent: false,
  // Whitespace only: names stay, so stack traces read as before (and map back to src/ through the
  // source maps), for about a quarter less to install and to parse at start-up.
  minifyWhitespace: true,
  logLevel: 'warning',
});
// The -r entry is CommonJS (see src/register-require.ts): its few lines of checks are bundled in,
// and the agent itself is the ES module dist/boot/start.js above, required at run time.
await build({
  entryPoints: ['src/register-require.ts'],
  outfile: 'dist/register.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  // Old Nodes must parse it, to say telemetry is off and run the app.
  target: 'node18',
  external: ['./boot/start.js'],
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
});
execFileSync('dts-bundle-generator', ['--silent', '--config', 'scripts/dts-bundle.config.cjs'], {
  stdio: 'inherit',
});
