// One frozen object per distinct attribute set, so that sdk-metrics hashes each set once (see
// attribute-hash-cache.ts) where a caller makes a new object at every record. Found by walking a
// tree of Maps, key by key and value by value, so a set already seen costs lookups and no
// allocation. For instruments whose attribute sets are few (methods, statuses, hosts); bounded, in
// case they are not.
import type { Attributes } from '@opentelemetry/api';

interface Node {
  /** By attribute name, then by its value (a Map keeps 200 and '200' apart). */
  readonly next: Map<string, Map<unknown, Node>>;
  set?: Attributes;
}

let root: Node = { next: new Map() };
let sets = 0;
/** Past this many sets the cache starts again: a misbehaving caller cannot grow it. */
const MAX_SETS = 2048;

/** A frozen set equal to `attributes` (same keys in the same order, same values). */
export function internAttributes(attributes: Attributes): Attributes {
  let node = root;
  for (const name in attributes) {
    const value = attributes[name];
    // Values of these instruments are strings and numbers; a list is passed as it is.
    if (typeof value === 'object' && value !== null) return attributes;
    let byValue = node.next.get(name);
    if (byValue === undefined) {
      byValue = new Map();
      node.next.set(name, byValue);
    }
    let child = byValue.get(value);
    if (child === undefined) {
      child = { next: new Map() };
      byValue.set(value, child);
    }
    node = child;
  }
  if (node.set === undefined) {
    if (sets >= MAX_SETS) {
      root = { next: new Map() };
      sets = 0;
      return internAttributes(attributes);
    }
    node.set = Object.freeze({ ...attributes });
    sets++;
  }
  return node.set;
}
