// The agent's own voice: one-line messages on stderr, prefixed, deduplicated and rate-limited.
// Loaded by everything that may need to tell the user something; it never throws.
import { format } from 'node:util';

const PREFIX = '@logos/otel:';

const sink: (line: string) => void = (line) => {
  try {
    process.stderr.write(`${line}\n`);
  } catch {
    // stderr closed: there is nobody left to tell.
  }
};

/** Prints one line, prefixed with the package name. */
export function logLine(message: string, ...args: unknown[]): void {
  const text = args.length > 0 ? format(message, ...args) : message;
  sink(`${PREFIX} ${text.replace(/\s*\n\s*/g, ' ')}`);
}

const said = new Set<string>();
/** Beyond this many distinct one-time lines something is repeating with variations: stop there. */
const MAX_ONCE_KEYS = 200;

/** Prints a line the first time `key` is seen and never again in this process (bounded memory). */
export function logOnce(key: string, message: string): void {
  if (said.has(key) || said.size >= MAX_ONCE_KEYS) return;
  said.add(key);
  logLine(message);
}

/** Lets a repeated event print at most once per `intervalMs`, counting what it held back. */
export class RateLimitedLog {
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly intervalMs: number) {}

  /** True when a line may be printed now; the caller then prints its summary. */
  due(now = Date.now()): boolean {
    if (now - this.lastAt < this.intervalMs) return false;
    this.lastAt = now;
    return true;
  }
}
