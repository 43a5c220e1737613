// A Context as a chain of one-entry links: setValue allocates one small object where the API's
// BaseContext copies its whole Map and makes three closures. The HTTP server side roots each
// request's context here (instrumentations/http/server.ts), so every context derived inside a
// request is one link more than its parent.
import type { Context } from '@opentelemetry/api';

/** Past this many links a lookup would walk too far: the chain is flattened into one Map. */
const MAX_DEPTH = 16;

/** Stands for a key deleted from a parent's entries. */
const DELETED = Symbol('deleted');

class LinkedContext implements Context {
  constructor(
    private readonly parent: LinkedContext | undefined,
    private readonly key: symbol | undefined,
    private readonly value: unknown,
    private readonly depth: number,
    private readonly flat: ReadonlyMap<symbol, unknown> | undefined,
  ) {}

  getValue(key: symbol): unknown {
    for (let link: LinkedContext | undefined = this; link !== undefined; link = link.parent) {
      if (link.key === key) return link.value === DELETED ? undefined : link.value;
      if (link.flat !== undefined) return link.flat.get(key);
    }
    return undefined;
  }

  setValue(key: symbol, value: unknown): Context {
    return this.link(key, value);
  }

  deleteValue(key: symbol): Context {
    return this.link(key, DELETED);
  }

  private link(key: symbol, value: unknown): LinkedContext {
    if (this.depth < MAX_DEPTH) return new LinkedContext(this, key, value, this.depth + 1, undefined);
    const entries = this.entries();
    if (value === DELETED) entries.delete(key);
    else entries.set(key, value);
    return new LinkedContext(undefined, undefined, undefined, 0, entries);
  }

  /** Every live entry, the nearest link's value winning. */
  private entries(): Map<symbol, unknown> {
    const chain: LinkedContext[] = [];
    let base: ReadonlyMap<symbol, unknown> | undefined;
    for (let link: LinkedContext | undefined = this; link !== undefined; link = link.parent) {
      if (link.flat !== undefined) {
        base = link.flat;
        break;
      }
      chain.push(link);
    }
    const entries = new Map(base);
    for (let i = chain.length - 1; i >= 0; i--) {
      const { key, value } = chain[i] as LinkedContext;
      if (key === undefined) continue;
      if (value === DELETED) entries.delete(key);
      else entries.set(key, value);
    }
    return entries;
  }
}

/** The empty context the chains start from. */
export const LINKED_ROOT: Context = new LinkedContext(undefined, undefined, undefined, 0, new Map());
