// Keeps a fastify reply's status code what it is without a subscriber. Used by fastify.ts.
// Fastify 5.12 sets the error's status code on the reply (500, or err.statusCode) before it
// publishes the handler channel's `error` event, but only when the channel has subscribers: an app's
// error handler or onError hook would then see 500 where it sees 200 bare, and a reply it sends
// without reply.code() would go out as 500. Fastify assigns `store.error` just before; an accessor
// there notes the status, and the `error` listener puts it back.

/** The reply fields involved: the raw response's status and fastify's "status set" flag. */
interface Reply {
  readonly raw?: { statusCode?: number };
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

/** Makes `message.error`'s assignment note the reply's status first. */
export function noteStatusOnError(message: Message): void {
  let error: unknown;
  Object.defineProperty(message, 'error', {
    configurable: true,
    enumerable: true,
    get: () => error,
    set: (value: unknown) => {
      error = value;
      (message as Message & { [SAVED]?: Saved })[SAVED] = save(message.reply);
    },
  });
}

/** Puts back what {@link noteStatusOnError} noted, once fastify has published the error. */
export function restoreStatus(message: Message): void {
  const saved = (message as Message & { [SAVED]?: Saved })[SAVED];
  const reply = message.reply;
  if (saved === undefined || reply?.raw === undefined) return;
  (message as Message & { [SAVED]?: Saved })[SAVED] = undefined;
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
