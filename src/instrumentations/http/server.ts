// The HTTP server side of the http instrumentation: one SERVER span per request, started on Node's
// `http.server.request.start` channel and ended on `http.server.response.finish` (or the response's
// close or error), with the names, attributes, status and duration histogram upstream's
// instrumentation-http 0.300 gives. Started by instrumentations/http/http.ts.
import type { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { IncomingMessage as Incoming, type IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  type Context,
  context,
  type Exception,
  type Histogram,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { type RPCMetadata, RPCType, setRPCMetadata, suppressTracing } from '@opentelemetry/core';
import { LINKED_ROOT } from '../../traces/lean-tracer/context.js';
import { requestAttributes } from './server-attributes.js';
import { CARRIED, wrapEmit, wrapServerEmit } from './server-emit.js';
import { durationAttributes } from './server-metric.js';

/** What the server side needs of the instrumentation that owns it. */
export interface ServerOwner {
  /** The tracer, read at each request: a new tracer provider replaces it. */
  tracer(): Tracer;
  /** The duration histogram, read at each record: a new meter provider replaces it. */
  histogram(): Histogram | undefined;
  /** Whether `request` is a health check: it gets no span and runs with tracing suppressed. */
  isIgnored(request: IncomingMessage): boolean;
}

/** What Node publishes on `http.server.request.start` and `http.server.response.finish`. */
interface ServerMessage {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly socket: { readonly encrypted?: boolean };
}

/** One request's span and what its measurement needs, until it ends. */
interface Open {
  readonly span: Span;
  readonly rpc: RPCMetadata;
  readonly method: string;
  readonly rawMethod: string;
  readonly scheme: string;
  readonly version: string | undefined;
  readonly startedAt: number;
}

/** Each response's open span, until it ends (kept off the response, as CARRIED is). */
const OPEN = new WeakMap<object, Open>();

const START = 'http.server.request.start';
const FINISH = 'http.server.response.finish';

/** Starts tracing server requests for `owner`; returns the undo. */
export function traceServerRequests(
  owner: ServerOwner,
  storage: () => AsyncLocalStorage<Context> | undefined,
): () => void {
  // https.Server has an emit chain of its own: watched from its first request on (before that
  // request's 'request' event), so that node:https is not loaded for apps that never serve it.
  let httpsWatched = false;
  const watchHttps = () => {
    httpsWatched = true;
    const https = process.getBuiltinModule?.('node:https');
    if (https !== undefined) undo.push(wrapServerEmit(https.Server.prototype, storage, onThrow));
  };
  const onStart = (message: unknown) => {
    const encrypted = (message as ServerMessage).socket?.encrypted === true;
    if (encrypted && !httpsWatched) watchHttps();
    start(owner, message as ServerMessage, encrypted ? 'https' : 'http');
  };
  const onFinish = (message: unknown) => {
    const response = (message as ServerMessage).response;
    const open = OPEN.get(response);
    if (open !== undefined) endWithResponse(owner, response, open);
  };
  const onThrow = (response: unknown, error: unknown) => {
    // WeakMap.get of a non-object is undefined, never a throw.
    const open = OPEN.get(response as object);
    if (open !== undefined && error) endWithError(owner, response as object, open, error);
  };
  subscribe(START, onStart);
  subscribe(FINISH, onFinish);
  const undo: (() => unknown)[] = [() => unsubscribe(START, onStart), () => unsubscribe(FINISH, onFinish)];
  undo.push(wrapServerEmit(Server.prototype, storage, onThrow));
  undo.push(wrapEmit(Incoming.prototype, storage));
  undo.push(
    wrapEmit(ServerResponse.prototype, storage, (target, args) => {
      const open = OPEN.get(target);
      if (open === undefined) return;
      // As upstream: a response that closes unfinished (the client went away) ends the span
      // with what it has; an error on it ends the span as failed.
      const event = args[0];
      if (event === 'close') endWithResponse(owner, target as ServerResponse, open);
      else if (event === 'error') endWithError(owner, target, open, args[1]);
    }),
  );
  return () => {
    for (const step of undo) step();
  };
}

function start(owner: ServerOwner, message: ServerMessage, scheme: 'http' | 'https'): void {
  const { request, response } = message;
  let ignored = false;
  try {
    ignored = owner.isIgnored(request);
  } catch {
    // As upstream: a hook that throws does not ignore the request.
  }
  let ctx: Context;
  if (ignored) ctx = suppressTracing(context.active());
  else {
    const attributes = requestAttributes(request, scheme);
    const parent = propagation.extract(LINKED_ROOT, request.headers);
    const rawMethod = request.method || 'GET';
    const span = owner.tracer().startSpan(rawMethod, { kind: SpanKind.SERVER, attributes }, parent);
    const rpc: RPCMetadata = { type: RPCType.HTTP, span };
    ctx = setRPCMetadata(trace.setSpan(parent, span), rpc);
    OPEN.set(response, {
      span,
      rpc,
      method: attributes['http.request.method'] as string,
      rawMethod,
      scheme,
      version: request.httpVersion,
      startedAt: performance.now(),
    });
  }
  // Published right before the server emits 'request', which then runs the handler in `ctx`.
  CARRIED.set(request, ctx);
  CARRIED.set(response, ctx);
}

function endWithResponse(owner: ServerOwner, response: ServerResponse, open: Open): void {
  OPEN.delete(response);
  const { span, rpc } = open;
  const status = response.statusCode;
  const route = rpc.route;
  span.setAttribute('http.response.status_code', status);
  if (route !== undefined) span.setAttribute('http.route', route);
  const failed = !(status >= 100 && status < 500);
  span.setStatus({ code: failed ? SpanStatusCode.ERROR : SpanStatusCode.UNSET });
  if (status >= 500 && status < 600) span.setAttribute('error.type', String(status));
  if (route) span.updateName(`${open.rawMethod} ${route}`);
  span.end();
  record(owner, open, status, route, false, undefined);
}

function endWithError(owner: ServerOwner, carrier: object, open: Open, error: unknown): void {
  OPEN.delete(carrier);
  const { span } = open;
  let name: string | undefined;
  let message: string | undefined;
  try {
    ({ name, message } = (error ?? {}) as { name?: string; message?: string });
  } catch {
    // A value whose properties throw when read: the span is an error without a name.
  }
  if (name !== undefined) span.setAttribute('error.type', name);
  span.setStatus({ code: SpanStatusCode.ERROR, ...(message === undefined ? {} : { message }) });
  span.recordException(error as Exception);
  span.end();
  record(owner, open, undefined, undefined, true, name);
}

function record(
  owner: ServerOwner,
  open: Open,
  status: number | undefined,
  route: string | undefined,
  failed: boolean,
  errorName: string | undefined,
): void {
  const histogram = owner.histogram();
  if (histogram === undefined) return;
  const seconds = (performance.now() - open.startedAt) / 1000;
  histogram.record(
    seconds,
    durationAttributes(open.method, open.scheme, open.version, status, route, failed, errorName),
  );
}
