// Remembers sdk-metrics' hash of a frozen attribute set whose values are all primitives: such a set
// cannot change, so its hash is computed once instead of at every record (a key sort and a JSON
// string each time). The HTTP server side records every request with such cached sets
// (instrumentations/http/server-metric.ts). Put in front of sdk-metrics' `hashAttributes` by the
// build (scripts/sdk-metrics-hash.mjs).
import type { Attributes } from '@opentelemetry/api';

type Hash = (attributes: Attributes) => string;

export function cachedHash(hash: Hash): Hash {
  const hashes = new WeakMap<Attributes, string>();
  return (attributes) => {
    if (!Object.isFrozen(attributes)) return hash(attributes);
    let known = hashes.get(attributes);
    if (known === undefined) {
      known = hash(attributes);
      if (primitivesOnly(attributes)) hashes.set(attributes, known);
    }
    return known;
  };
}

/** An array value could still change inside a frozen set. */
function primitivesOnly(attributes: Attributes): boolean {
  for (const key in attributes)
    if (typeof attributes[key] === 'object' && attributes[key] !== null) return false;
  return true;
}
