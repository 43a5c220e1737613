// An esbuild plugin for scripts/build.mjs: sdk-metrics' `hashAttributes` goes behind
// src/metrics/attribute-hash-cache.ts, so that a frozen attribute set is hashed once, not at every record.
// The build fails if sdk-metrics no longer has the function as expected.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

const DECLARATION = 'function hashAttributes(attributes) {';
const CACHE = resolve('src/metrics/attribute-hash-cache.ts');

export function sdkMetricsHash() {
  return {
    name: 'sdk-metrics-hash',
    setup(build) {
      build.onLoad(
        { filter: /@opentelemetry[\\/]sdk-metrics[\\/]dist[\\/]utils\.mjs$/ },
        async ({ path }) => {
          const source = await readFile(path, 'utf8');
          if (source.split(DECLARATION).length !== 2)
            throw new Error(`${path}: no single "${DECLARATION}" to put the hash cache in front of`);
          const contents = `${source.replace(DECLARATION, 'function hashAttributesUncached(attributes) {')}
import { cachedHash as logosCachedHash } from ${JSON.stringify(CACHE)};
const hashAttributes = logosCachedHash(hashAttributesUncached);
`;
          return { contents, loader: 'js' };
        },
      );
    },
  };
}
