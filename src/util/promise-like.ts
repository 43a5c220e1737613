// Whether a value is a thenable, as Promise.resolve would treat it. Used by api/manual.ts (withSpan)
// and the express guard, which both wait for what an app's function returns.

/** True for a promise or any object or function with a `then` method. */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
