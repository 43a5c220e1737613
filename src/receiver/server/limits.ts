// Size limits of the receiver: defaults, and validation of what startReceiver is given.
// Loaded by index.ts; pure.

/** How much the receiver accepts per request and keeps in memory. All values are positive integers. */
export interface ReceiverLimits {
  /**
   * Largest request body accepted, in bytes after decompression. Bigger ones get RESOURCE_EXHAUSTED
   * (HTTP 413). Default 8 MiB: twice grpc-js's 4 MiB default, so an SDK batch that a collector with
   * default settings would take is never refused here, yet one request cannot eat much memory.
   */
  maxRequestBytes: number;
  /** Spans kept; the oldest are dropped first. Default 20 000. */
  maxSpans: number;
  /** Metric data points kept, counted over all stored metrics; oldest metrics go first. Default 20 000. */
  maxMetricPoints: number;
  /** Log records kept; the oldest are dropped first. Default 20 000. */
  maxLogs: number;
  /**
   * Encoded request bytes kept per signal, so a few huge items cannot hold the memory that the
   * item counts alone would allow. Default 64 MiB (decoded objects take a small multiple of that).
   */
  maxStoredBytes: number;
}

/** The limits used for anything not given. */
export const DEFAULT_LIMITS: Readonly<ReceiverLimits> = Object.freeze({
  maxRequestBytes: 8 * 1024 * 1024,
  maxSpans: 20_000,
  maxMetricPoints: 20_000,
  maxLogs: 20_000,
  maxStoredBytes: 64 * 1024 * 1024,
});

/**
 * Merges `given` over the defaults and freezes the result.
 * @throws {TypeError} naming the option, for an unknown key or a value that is not a positive integer.
 */
export function resolveLimits(given: Partial<ReceiverLimits> = {}): Readonly<ReceiverLimits> {
  const limits: ReceiverLimits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(given)) {
    if (!Object.hasOwn(DEFAULT_LIMITS, key)) throw new TypeError(`unknown receiver limit "${key}"`);
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new TypeError(`receiver limit ${key} must be a positive integer, got ${String(value)}`);
    }
    limits[key as keyof ReceiverLimits] = value;
  }
  return Object.freeze(limits);
}
