// A tiny JSON-over-HTTP client for calls between the example services. Plain global fetch: the agent
// traces it and carries the trace context to the callee, so nothing here knows about telemetry.

const TIMEOUT_MS = 10_000;

/** A call to another service that failed: an error answer (with its status) or no answer at all. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';

  constructor(
    /** Who was called and where, e.g. `hermes POST /embed`. */
    readonly target: string,
    /** The callee's own error message, or why there was no answer. */
    readonly detail: string,
    /** The HTTP status of the error answer; undefined when the call got no answer. */
    readonly status?: number,
  ) {
    super(
      status === undefined ? `${target} unreachable: ${detail}` : `${target} answered ${status}: ${detail}`,
    );
  }
}

/**
 * POSTs `body` as JSON to `path` under `base` and returns the parsed JSON answer. A non-2xx answer
 * throws an {@link UpstreamError} carrying the callee's `{ error }` message; so does a failed call.
 */
export async function postJson<T>(service: string, base: URL, path: string, body: unknown): Promise<T> {
  const url = new URL(path, base);
  const target = `${service} POST ${url.pathname}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new UpstreamError(target, causeOf(error));
  }
  const text = await response.text();
  const parsed = parseJson(text);
  if (!response.ok) {
    throw new UpstreamError(
      target,
      errorMessageOf(parsed) ?? (text.slice(0, 200) || response.statusText),
      response.status,
    );
  }
  if (parsed === undefined) throw new UpstreamError(target, 'answer is not JSON', response.status);
  return parsed as T;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorMessageOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { error, message } = body as { error?: unknown; message?: unknown };
  if (typeof error === 'string') return error;
  return typeof message === 'string' ? message : undefined;
}

// fetch reports a refused connection as TypeError('fetch failed') with the real reason in `cause`.
function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return error.message;
}
