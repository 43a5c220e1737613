// The http instrumentation: upstream's instrumentation-http for outgoing requests only, and our own
// server side (server.ts) for incoming ones. Loaded through instrumentations/modules/http.
// Why our own server side: upstream's parses every request URL with `new URL()`, binds the request
// and response emitters to the context and hashes fresh metric attributes, ~35 us per request.
import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Context, Histogram } from '@opentelemetry/api';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import { contextStorage } from '../../traces/tracing.js';
import { traceServerRequests } from './server.js';

/** HttpInstrumentation whose incoming requests are traced by our server side instead of its own. */
export class ClientAndServerHttpInstrumentation extends HttpInstrumentation {
  /** The server side's undo while enabled. Declared: the base constructor already calls enable(). */
  declare private stopServer: (() => void) | undefined;

  constructor(config: HttpInstrumentationConfig = {}) {
    super({ ...config, disableIncomingRequestInstrumentation: true });
  }

  override enable(): void {
    super.enable();
    if (this.stopServer !== undefined) return;
    let storage: AsyncLocalStorage<Context> | undefined;
    this.stopServer = traceServerRequests(
      {
        tracer: () => this.tracer,
        histogram: () =>
          (this as unknown as { _httpServerDurationHistogram?: Histogram })._httpServerDurationHistogram,
        isIgnored: (request) => this.getConfig().ignoreIncomingRequestHook?.(request) === true,
      },
      // Read when requests come: the instrumentation is enabled before the SDK installs its
      // context manager (as under tsx's CLI), and that manager is the storage the handler must run in.
      () => (storage ??= contextStorage()),
    );
  }

  override disable(): void {
    super.disable();
    this.stopServer?.();
    this.stopServer = undefined;
  }
}
