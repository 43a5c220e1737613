// dts-bundle-generator's configuration, run by scripts/build.mjs: one self-contained declaration
// file per public entry, with the OpenTelemetry types it uses inlined, since a service installs
// @logos/otel alone (the OpenTelemetry packages are bundled dev dependencies, not installed with it).
// The generator then type-checks each file on its own, so an import left out fails the build.

// ReadableSpan (./testing) reaches Resource and InstrumentationScope through the SDK's packages.
const inlinedLibraries = [
  '@opentelemetry/api',
  '@opentelemetry/sdk-trace',
  '@opentelemetry/resources',
  '@opentelemetry/core',
];

const entry = (name) => ({
  filePath: `../src/${name}.ts`,
  outFile: `../dist/${name}.d.ts`,
  libraries: { inlinedLibraries },
  // Only what the entry exports is public: the inlined types it needs are declared, not exported.
  output: { exportReferencedTypes: false, noBanner: true },
});

module.exports = {
  compilationOptions: { preferredConfigPath: '../tsconfig.build.json' },
  entries: [entry('index'), entry('testing')],
};
