// Our fastify instrumentation: listens on the tracing channel fastify (>= 5.x) publishes around every
// route handler, so fastify itself is never patched. Loaded through instrumentations/modules/fastify.
// Why not @fastify/otel: it registers a plugin and per-route hooks, which apps can see (plugin names,
// printRoutes, setNotFoundHandler's return value, addHook validation, non-Error throws).
import { subscribe, type TracingChannel, tracingChannel } from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';
import { type Context, context, type Exception, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { getRPCMetadata, isTracingSuppressed, RPCType } from '@opentelemetry/core';
import { InstrumentationBase } from '@opentelemetry/instrumentation';
import { ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import { contextStorage } from '../../traces/tracing.js';
import { noteStatusOnError, othersListen, restoreBeforeSend } from './status.js';

/** What fastify publishes on `tracing:fastify.request.handler:*` (lib/handle-request.js). */
interface HandlerMessage {
  readonly route?: { readonly url?: string; readonly method?: string };
  readonly reply?: { readonly sent?: boolean; readonly raw?: ServerResponse };
  readonly async?: boolean;
  error?: unknown;
}

/**
 * Each handler's span, by the message fastify publishes (it keeps that object on the Reply): not a
 * property of it, so an app that prints or compares a Reply does not reach the span.
 */
const SPANS = new WeakMap<HandlerMessage, Span>();
const SCOPE = '@logos/otel/instrumentation-fastify';
const VERSION = '1.0.0';

type Channel = TracingChannel<object, HandlerMessage>;

/**
 * Makes one span per route handler, `request handler - <route>`, current while the handler runs,
 * and gives the HTTP server span its `http.route` (and so its name and the duration histogram's).
 */
export class FastifyInstrumentation extends InstrumentationBase {
  /**
   * What enable() subscribed, for disable() to take back. Declared, not initialised: the base
   * constructor already calls enable(), and a field initialiser would then wipe what it set.
   */
  declare private undo: (() => void)[] | undefined;

  constructor(config: object = {}) {
    super(SCOPE, VERSION, config);
  }

  protected override init(): [] {
    // Nothing is patched: fastify publishes the events itself.
    return [];
  }

  override enable(): void {
    super.enable();
    if (this.undo !== undefined) return;
    const channel: Channel = tracingChannel('fastify.request.handler');
    const undo: (() => void)[] = [];
    // Each entry of `undo` is one subscription or bound store of ours on one of these.
    const parts = [channel.start, channel.end, channel.asyncStart, channel.asyncEnd, channel.error];
    const on = (name: 'start' | 'end' | 'asyncEnd' | 'error', fn: (message: HandlerMessage) => void) => {
      const listener = (message: unknown) => fn(message as HandlerMessage);
      channel[name].subscribe(listener);
      undo.push(() => channel[name].unsubscribe(listener));
    };
    // With our context storage bound to the start event, the handler runs inside its span; without
    // it (another context manager is global) the span is still made, just not current.
    const storage = contextStorage();
    if (storage === undefined) on('start', (message) => void this.onStart(message));
    else {
      channel.start.bindStore(storage, (message) => this.onStart(message));
      undo.push(() => channel.start.unbindStore(storage));
    }
    on('end', (message) => {
      if (message.async !== true) finish(message);
      // A hijacked reply (streams, websockets) gets no asyncEnd: the response's end closes the span.
      else if (message.reply?.sent === true) endWithResponse(message);
    });
    on('asyncEnd', finish);
    on('error', (message) => {
      if (!othersListen(parts, undo.length)) restoreBeforeSend(message);
      const span = SPANS.get(message);
      if (span === undefined) return;
      // Our spans' recordException takes any thrown value (traces/safe-exceptions.ts).
      span.recordException(message.error as Exception);
      span.setStatus({ code: SpanStatusCode.ERROR });
    });
    this.undo = undo;
  }

  override disable(): void {
    super.disable();
    for (const step of this.undo ?? []) step();
    this.undo = undefined;
  }

  /** The context the handler runs in: the request's, with the handler span current in it. */
  private onStart(message: HandlerMessage): Context {
    // First, whatever follows: with a subscriber, fastify sets a thrown error's status early.
    noteStatusOnError(message);
    const parent = context.active();
    if (!this.isEnabled() || isTracingSuppressed(parent)) return parent;
    const route = message.route?.url;
    const rpc = getRPCMetadata(parent);
    if (route !== undefined && rpc?.type === RPCType.HTTP) rpc.route = route;
    const span = this.tracer.startSpan(
      route === undefined ? 'request handler' : `request handler - ${route}`,
      {
        attributes: {
          'fastify.type': 'request_handler',
          ...(route === undefined ? {} : { [ATTR_HTTP_ROUTE]: route }),
        },
      },
      parent,
    );
    SPANS.set(message, span);
    return trace.setSpan(parent, span);
  }
}

/** Async handler spans whose reply was hijacked, by response; ended when the response finishes. */
const byResponse = new WeakMap<ServerResponse, HandlerMessage>();
let watchingResponses = false;

function endWithResponse(message: HandlerMessage): void {
  const response = message.reply?.raw;
  if (response === undefined) return;
  byResponse.set(response, message);
  if (watchingResponses) return;
  watchingResponses = true;
  // Node's own channel: no listener is added to the app's response objects.
  subscribe('http.server.response.finish', (data) => {
    const finished = (data as { response?: ServerResponse }).response;
    const waiting = finished === undefined ? undefined : byResponse.get(finished);
    if (waiting === undefined || finished === undefined) return;
    byResponse.delete(finished);
    finish(waiting);
  });
}

function finish(message: HandlerMessage): void {
  const span = SPANS.get(message);
  if (span === undefined) return;
  SPANS.delete(message);
  span.end();
}
