// Finds and loads the agent's own files by their path below src/ (dist/ once built). Loading on
// demand, synchronously (require of an ES module), keeps code only some configurations need (an
// instrumentation, the metrics SDK, an exporter) off the start-up path. This file stays at the top
// of src/: the build puts its code in a chunk at the top of dist/, so paths resolve alike from both.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The URL of `path`, below src/ (or dist/): e.g. 'export/worker/worker.js', or '../package.json'. */
export function ownUrl(path: string): URL {
  return new URL(`./${path}`, import.meta.url);
}

/** The module `name` (a path below src/ without extension, e.g. 'instrumentations/modules/http'). */
export function loadModule<T>(name: string): T {
  return require(fileURLToPath(ownUrl(`${name}.js`))) as T;
}
