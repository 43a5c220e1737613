// One wrapper of `emit` per prototype (IncomingMessage, ServerResponse, http.Server): the server's
// 'request' event, and every event of a request or response that carries a context, run inside it,
// so the handler and the listeners it adds (data, end, close...) are in the request's trace on every
// Node; the 'request' event also reports a handler that throws. No listener and no closure per
// request. Loaded by http-server.ts.
import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from '@opentelemetry/api';

/** The context a request or response carries, set when its request starts. */
export const CARRIED = Symbol('logos.otel.http.context');

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
interface Carrier {
  [CARRIED]?: Context;
}
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
  watch?: (target: object, event: string | symbol, args: unknown[]) => void,
): () => void {
  return replaceEmit(
    proto,
    (inner) =>
      function emit(this: unknown, event, ...args) {
        const carried = (this as Carrier | null)?.[CARRIED];
        if (carried === undefined) return Reflect.apply(inner(), this, [event, ...args]);
        if (watch !== undefined) watch(this as object, event, args);
        const store = storage();
        if (store === undefined || store.getStore() === carried)
          return Reflect.apply(inner(), this, [event, ...args]);
        return store.run(carried, Reflect.apply, inner(), this, [event, ...args]);
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
      function emit(this: unknown, event, ...args) {
        if (event !== 'request') return Reflect.apply(inner(), this, [event, ...args]);
        const carried = (args[0] as Carrier | null | undefined)?.[CARRIED];
        const store = carried === undefined ? undefined : storage();
        try {
          if (carried === undefined || store === undefined || store.getStore() === carried) {
            return Reflect.apply(inner(), this, [event, ...args]);
          }
          return store.run(carried, Reflect.apply, inner(), this, [event, ...args]);
        } catch (error) {
          onThrow(args[1], error);
          throw error;
        }
      },
  );
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
