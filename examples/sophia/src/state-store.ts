// A deterministic local stand-in for Sophia's CWM (causal world model) state store, a database in
// production: an in-memory key-value map behind the same async client shape, each call in a
// `sophia.state.*` span. Loaded by server.ts, used by planner.ts.
import { withSpan } from '@logos/otel';

/** Key-value state of the world model; values are copied in and out, as a remote store would. */
export class StateStore {
  readonly #values = new Map<string, unknown>();

  /** The value at `key`, or undefined (span `sophia.state.read`). */
  async read<T>(key: string): Promise<T | undefined> {
    return withSpan('sophia.state.read', { 'state.key': key }, async (span) => {
      const value = this.#values.get(key);
      span.setAttribute('state.found', value !== undefined);
      return value === undefined ? undefined : (structuredClone(value) as T);
    });
  }

  /** Stores `value` at `key` (span `sophia.state.write`). */
  async write(key: string, value: unknown): Promise<void> {
    return withSpan('sophia.state.write', { 'state.key': key }, async () => {
      this.#values.set(key, structuredClone(value));
    });
  }
}
