// Loads one of the agent's own modules on demand, synchronously (require of an ES module), so that
// code only some configurations need (an instrumentation, the metrics SDK, an exporter) stays off
// the start-up path. The build keeps every such module beside this one, at the same relative path.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The module `name` (a path below src/ without extension, e.g. 'instrumentation-modules/http'). */
export function loadModule<T>(name: string): T {
  return require(fileURLToPath(new URL(`./${name}.js`, import.meta.url))) as T;
}
