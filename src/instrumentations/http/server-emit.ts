// One wrapper of `emit` per prototype (IncomingMessage, ServerResponse, http.Server): the server's
// 'request' event, and every event of a request or response that carries a context, run inside it,
// so the handler and the listeners it adds (data, end, close...) are in the request's trace on every
// Node; the 'request' event also reports a handler that throws. No listener and no closure per
// request. Loaded by server.ts.
import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from '@opentelemetry/api';

/**
 * The context each request and response carries, set when its request starts: kept here rather than
 * on the objects, so that an app that prints or compares a request sees nothing of the agent's.
 */
export const CARRIED = new WeakMap<object, Context>();

type EmitArgs = [event: string | symbol, ...rest: unknown[]];
type Emit = (this: unknown, ...args: EmitArgs) => boolean;
interface Emitting {
  emit: Emit;
}

/**
 * Makes `proto.emit` run the inherited emit in the context `this` carries (in `storage()`, the
 * context manager's storage once there is one), calling `watch` first for each event of a carrier;
 * returns the undo.
 */
export function wrapEmit(
  proto: object,
  storage: () => AsyncLocalStorage<Context> | undefined,
  watch?: (target: object, args: EmitArgs) => void,
): () => void {
  return replaceEmit(
    proto,
    // One array of the arguments, passed on as it is: this is every request's and response's
    // emit, each 'data' chunk included.
    (inner) =>
      function emit(this: unknown, ...args) {
        const carried = CARRIED.get(this as object);
        if (carried === undefined) return Reflect.apply(inner(), this, args);
        if (watch !== undefined) watch(this as object, args);
        // Nothing listens: no listener's context to set (a Map copy per run on Node 24).
        if (!listened(this as Listened, args[0])) return Reflect.apply(inner(), this, args);
        return runIn(storage(), carried, inner(), this, args);
      },
  );
}

/**
 * Makes the server's 'request' event run in the context its request carries (scoped to the
 * handler's call, as `context.with` would, so nothing of it stays on the socket's callbacks), and
 * tell `onThrow` about a handler that throws, then rethrow.
 */
export function wrapServerEmit(
  proto: object,
  storage: () => AsyncLocalStorage<Context> | undefined,
  onThrow: (response: unknown, error: unknown) => void,
): () => void {
  return replaceEmit(
    proto,
    (inner) =>
      function emit(this: unknown, ...args) {
        if (args[0] !== 'request') return Reflect.apply(inner(), this, args);
        const carried = CARRIED.get(args[1] as object);
        try {
          if (carried === undefined) return Reflect.apply(inner(), this, args);
          return runIn(storage(), carried, inner(), this, args);
        } catch (error) {
          try {
            onThrow(args[2], error);
          } catch {
            // Recording it failed: the app's own error is what goes on.
          }
          throw error;
        }
      },
  );
}

interface Listened {
  readonly _events?: Readonly<Record<string | symbol, unknown>>;
}

/** Whether `event` may have listeners on `target` (EventEmitter keeps them in `_events`). */
function listened(target: Listened, event: string | symbol): boolean {
  const events = target._events;
  return events === undefined || events === null || events[event] !== undefined;
}

/** Calls `emit` on `self` with `args`, inside `carried` unless it is already the active context. */
function runIn(
  store: AsyncLocalStorage<Context> | undefined,
  carried: Context,
  emit: Emit,
  self: unknown,
  args: EmitArgs,
): boolean {
  if (store === undefined || store.getStore() === carried) return Reflect.apply(emit, self, args);
  return store.run(carried, Reflect.apply, emit, self, args) as boolean;
}

/**
 * Puts `make`'s emit on `proto`, as enumerable as the one it shadows; returns the undo. The emit it
 * wraps is looked up at each call, so a later patch of EventEmitter's is still used.
 */
function replaceEmit(target: object, make: (inner: () => Emit) => Emit): () => void {
  const proto = target as Emitting;
  const parent = Object.getPrototypeOf(proto) as Emitting;
  const own = Object.getOwnPropertyDescriptor(proto, 'emit');
  const inner = own === undefined ? () => parent.emit : () => own.value as Emit;
  const emit = make(inner);
  // A rest parameter has length 0; the emit it stands for has its own (EventEmitter's: 1).
  Object.defineProperty(emit, 'length', { value: inner().length });
  let enumerable = own?.enumerable ?? true;
  for (let p: object | null = parent; own === undefined && p !== null; p = Object.getPrototypeOf(p)) {
    const inherited = Object.getOwnPropertyDescriptor(p, 'emit');
    if (inherited === undefined) continue;
    enumerable = inherited.enumerable ?? true;
    break;
  }
  Object.defineProperty(proto, 'emit', { value: emit, writable: true, configurable: true, enumerable });
  return () => {
    if (proto.emit !== emit) return;
    if (own === undefined) delete (proto as Partial<Emitting>).emit;
    else Object.defineProperty(proto, 'emit', own);
  };
}
