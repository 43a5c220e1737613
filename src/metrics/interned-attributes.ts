// One frozen object per distinct attribute set, so that sdk-metrics hashes each set once (see
// attribute-hash-cache.ts) where a caller makes a new object at every record. For instruments whose
// attribute sets are few (methods, statuses, hosts); bounded, in case they are not.
import type { Attributes } from '@opentelemetry/api';

const interned = new Map<string, Attributes>();
/** Past this many sets the cache starts again: a misbehaving caller cannot grow it. */
const MAX_SETS = 2048;

/** A frozen set equal to `attributes` (same keys in the same order, same values and types). */
export function internAttributes(attributes: Attributes): Attributes {
  let key = '';
  for (const name in attributes) {
    const value = attributes[name];
    // Values of these instruments are strings and numbers; anything else is passed as it is.
    if (typeof value === 'object' && value !== null) return attributes;
    key += `${name}\u0000${typeof value}\u0000${String(value)}\u0001`;
  }
  let set = interned.get(key);
  if (set === undefined) {
    set = Object.freeze({ ...attributes });
    if (interned.size >= MAX_SETS) interned.clear();
    interned.set(key, set);
  }
  return set;
}
