// Keeps the status code a fastify app sees what it is without a subscriber. Used by fastify.ts.
// Fastify 5.12 sets a thrown error's status on the reply (500, or err.statusCode) before it
// publishes the handler channel's `error` event, so that subscribers see it, but only when the
// channel has subscribers: the app's onError hooks and error handler would then see 500 where they
// see 200 bare, and a reply they send without reply.code() would go out as 500. Fastify assigns
// `store.error` just before: an accessor there notes the status. Subscribers still see fastify's
// status during the event; the reply's next send(), which fastify calls right after it, first puts
// the app's status back.

/** The reply fields involved: the raw response's status, fastify's "status set" flag, send(). */
interface Reply {
  readonly raw?: { statusCode?: number };
  readonly sent?: boolean;
  send?: (...args: unknown[]) => unknown;
}
interface Message {
  readonly reply?: Reply;
  error?: unknown;
}
interface Saved {
  readonly status: number | undefined;
  readonly flag: unknown;
}

const SAVED = Symbol('logos.otel.fastify.status');
const FLAG_NAME = 'fastify.reply.hasStatusCode';
let flagSymbol: symbol | undefined;

type WithSaved = Message & { [SAVED]?: Saved };

const ERROR = Symbol('logos.otel.fastify.error');

/** One accessor for every request's `error` (no closures per request). */
const NOTE_ON_ERROR: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: WithSaved & { [ERROR]?: unknown }) {
    return this[ERROR];
  },
  set(this: WithSaved & { [ERROR]?: unknown }, value: unknown) {
    this[ERROR] = value;
    this[SAVED] = save(this.reply);
  },
};

/** Makes `message.error`'s assignment note the reply's status first. */
export function noteStatusOnError(message: Message): void {
  Object.defineProperty(message, 'error', NOTE_ON_ERROR);
}

/**
 * Called from the `error` listener: the noted status comes back when fastify next calls the reply's
 * send() (its error path), after every subscriber has seen the event.
 */
export function restoreBeforeSend(message: Message): void {
  const saved = (message as WithSaved)[SAVED];
  const reply = message.reply;
  (message as WithSaved)[SAVED] = undefined;
  if (saved === undefined || reply === undefined || Object.hasOwn(reply, 'send')) return;
  Object.defineProperty(reply, 'send', {
    configurable: true,
    enumerable: false,
    writable: true,
    value: function send(this: Reply, ...args: unknown[]) {
      delete reply.send;
      restore(reply, saved);
      // Without the own property, fastify's own send, from the prototype.
      const original = Reflect.get(reply, 'send') as Reply['send'];
      return original?.apply(this, args);
    },
  });
  // A rejection after the reply was sent is only logged: no send() follows, so restore now.
  queueMicrotask(() => {
    if (Object.hasOwn(reply, 'send') && reply.sent === true) {
      delete reply.send;
      restore(reply, saved);
    }
  });
}

function restore(reply: Reply, saved: Saved): void {
  if (reply.raw === undefined) return;
  if (saved.status !== undefined) reply.raw.statusCode = saved.status;
  const flag = flagOf(reply);
  if (flag !== undefined) (reply as Record<symbol, unknown>)[flag] = saved.flag;
}

function save(reply: Reply | undefined): Saved | undefined {
  if (reply?.raw === undefined) return undefined;
  const flag = flagOf(reply);
  return {
    status: reply.raw.statusCode,
    flag: flag === undefined ? undefined : (reply as Record<symbol, unknown>)[flag],
  };
}

/** Fastify's own symbol for "the app set a status code", found once on a reply by its name. */
function flagOf(reply: Reply): symbol | undefined {
  if (flagSymbol === undefined) {
    flagSymbol = Object.getOwnPropertySymbols(reply).find((s) => s.description === FLAG_NAME);
  }
  return flagSymbol;
}

interface CountedChannel {
  readonly _subscribers?: readonly unknown[];
  readonly _stores?: { readonly size: number };
}

/**
 * Whether anyone but us listens on the handler channel: then fastify sets the status for them too,
 * bare, and it must stay. Node keeps each channel's subscribers and bound stores in `_subscribers`
 * and `_stores` (Node 22 and 24 alike); where it does not, nobody else is assumed.
 */
export function othersListen(channels: readonly object[], ours: number): boolean {
  let listeners = 0;
  for (const channel of channels as readonly CountedChannel[])
    listeners += (channel._subscribers?.length ?? 0) + (channel._stores?.size ?? 0);
  return listeners > ours;
}
