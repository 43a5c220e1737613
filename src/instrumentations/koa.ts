// Upstream's koa instrumentation, guarded so that koa still validates what app.use() is given.
// Loaded through instrumentations/modules/koa.
// Upstream's patched use() reads `.router` from its argument before koa checks it, so `app.use(null)`
// threw a TypeError of the patch's instead of koa's "middleware must be a function!".
import { KoaInstrumentation, type KoaInstrumentationConfig } from '@opentelemetry/instrumentation-koa';

type Use = (this: unknown, ...args: unknown[]) => unknown;
interface Patcher {
  _getKoaUsePatch(original: Use): Use;
}

/** KoaInstrumentation whose use() hands anything but a function to koa's own use(), untouched. */
export class GuardedKoaInstrumentation extends KoaInstrumentation {
  constructor(config: KoaInstrumentationConfig = {}) {
    super(config);
    const patcher = this as unknown as Patcher;
    const usePatch = patcher._getKoaUsePatch.bind(this);
    patcher._getKoaUsePatch = (original) => {
      const patched = usePatch(original);
      return function use(this: unknown, ...args: unknown[]) {
        return typeof args[0] === 'function' ? patched.apply(this, args) : original.apply(this, args);
      };
    };
  }
}
