// Retries one OTLP/HTTP export as upstream's retrying transport does (otlp-exporter-base 0.300):
// up to 5 retries of a retryable answer, 1 s backoff growing 1.5x with 20% jitter (at most 5 s, or
// the collector's Retry-After), never past the export's own timeout. Loaded by http-sender.ts.

/** One attempt's outcome; `error` is the one-line reason of a failure. */
export type Attempt =
  | { readonly status: 'success' }
  | { readonly status: 'failure'; readonly error: string }
  | { readonly status: 'retryable'; readonly error?: string; readonly retryInMs?: number };

const MAX_RETRIES = 5;
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5000;
const MULTIPLIER = 1.5;
const JITTER = 0.2;

/** Runs `attempt` (given the time left) until it is not retryable, retries run out, or time does. */
export async function retryWithin(
  attempt: (timeoutMs: number) => Promise<Attempt>,
  timeoutMs: number,
): Promise<Attempt> {
  const deadline = Date.now() + timeoutMs;
  let result = await attempt(timeoutMs);
  let nextBackoff = INITIAL_BACKOFF_MS;
  for (let retries = 0; result.status === 'retryable' && retries < MAX_RETRIES; retries++) {
    const jittered = nextBackoff * (1 + (Math.random() * 2 * JITTER - JITTER));
    nextBackoff *= MULTIPLIER;
    const wait = result.retryInMs ?? Math.max(Math.min(jittered, MAX_BACKOFF_MS), 0);
    const left = deadline - Date.now();
    if (wait > left) return result;
    await new Promise((resolve) => setTimeout(resolve, Math.max(wait, 0)));
    result = await attempt(Math.max(deadline - Date.now(), 1));
  }
  return result;
}
