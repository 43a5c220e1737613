// Upstream's express instrumentation, guarded so that middleware sees the `next` express would give
// it. Loaded through instrumentations/modules/express.
// Upstream hands each layer its own wrapper of `next` (to end the layer's span), so `next !== req.next`
// and express's res.format, which calls req.next, breaks; a `req.next()` also skipped the wrapper.
import {
  ExpressInstrumentation,
  type ExpressInstrumentationConfig,
} from '@opentelemetry/instrumentation-express';
import { isPromiseLike } from '../util/promise-like.js';

type Next = (this: unknown, ...args: unknown[]) => unknown;
type Handle = (this: unknown, ...args: unknown[]) => unknown;
interface Layer {
  handle?: Handle;
  [GUARDED]?: true;
}
interface Request {
  next?: unknown;
}
interface Patcher {
  _applyPatch(layer: Layer, layerPath?: unknown): void;
}

const GUARDED = Symbol('logos.otel.express.guarded');

/** ExpressInstrumentation whose layers keep `req.next` and the `next` argument one function. */
export class GuardedExpressInstrumentation extends ExpressInstrumentation {
  constructor(config: ExpressInstrumentationConfig = {}) {
    super(config);
    const patcher = this as unknown as Patcher;
    const applyPatch = patcher._applyPatch.bind(this);
    patcher._applyPatch = (layer, layerPath) => guardLayer(layer, () => applyPatch(layer, layerPath));
  }
}

/**
 * Runs upstream's patch of `layer` between two thin wrappers of ours: the outer one notes the `next`
 * express passes; the inner one, which upstream's wrapper calls, gets upstream's `next` and, where
 * express had made `req.next` that same function, makes `req.next` what the layer is given, until
 * it is called. Error handlers (four arguments) are left to upstream, which does not patch them.
 */
function guardLayer(layer: Layer, applyPatch: () => void): void {
  const real = layer?.handle;
  if (typeof real !== 'function' || real.length === 4 || layer[GUARDED] === true) {
    applyPatch();
    return;
  }
  layer[GUARDED] = true;
  // Handed from the outer wrapper to the inner one within one synchronous call.
  let given: unknown;
  const inner = like(real, function guardedHandle(this: unknown, ...args: unknown[]) {
    const expressNext = given;
    given = undefined;
    const [req, , wrapped] = args as [Request | undefined, unknown, unknown];
    if (
      typeof wrapped !== 'function' ||
      wrapped === expressNext ||
      req === null ||
      typeof req !== 'object' ||
      req.next !== expressNext
    ) {
      return real.apply(this, args);
    }
    const restore = (): void => {
      if (req.next === next) req.next = expressNext;
    };
    // One declared parameter, as express's own `next (err)`: its length is 1 without defining it.
    const next: Next = function next(this: unknown, err?: unknown, ...rest: unknown[]) {
      restore();
      return (wrapped as Next).call(this, err, ...rest);
    };
    req.next = next;
    args[2] = next;
    // A throw or a rejection makes express call its own next with the error, not this one: req.next
    // goes back first (this handler is attached before express's own), as error handlers expect.
    let result: unknown;
    try {
      result = real.apply(this, args);
    } catch (error) {
      restore();
      throw error;
    }
    if (isPromiseLike(result)) result.then(undefined, restore);
    return result;
  });
  layer.handle = inner;
  applyPatch();
  const patched = layer.handle;
  if (patched === inner || typeof patched !== 'function') {
    layer.handle = real;
    return;
  }
  layer.handle = like(patched, function tracedHandle(this: unknown, ...args: unknown[]) {
    given = args[2];
    try {
      return patched.apply(this, args);
    } finally {
      given = undefined;
    }
  });
}

/** `wrapper` with `target`'s length (express reads it) and its own properties passed through. */
function like(target: Handle, wrapper: Handle): Handle {
  Object.defineProperty(wrapper, 'length', { value: target.length, configurable: true });
  for (const key in target) {
    Object.defineProperty(wrapper, key, {
      configurable: true,
      enumerable: true,
      get: () => (target as unknown as Record<string, unknown>)[key],
      set: (value: unknown) => {
        (target as unknown as Record<string, unknown>)[key] = value;
      },
    });
  }
  return wrapper;
}
