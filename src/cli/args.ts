// Flag parsing for the `logos-otel` subcommands: node:util's parseArgs made strict, and number and
// port readers that refuse bad values. A bad flag is a UsageError: one line on stderr, exit 2.
import { parseArgs } from 'node:util';

/** A mistake in the command line: cli.ts prints its message alone and exits with 2. */
export class UsageError extends Error {}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/**
 * Parses `args` against `options` (no positionals). Node's own message is cut to its first sentence,
 * which names the flag (`Unknown option '--prot'`), and pointed at the command's --help.
 */
export function parseFlags<T extends Options>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true })
      .values as Record<string, string | boolean | undefined>;
  } catch (error) {
    const full = (error as Error).message;
    // `--metrics-every -1`: parseArgs will not take a value that looks like a flag.
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(full);
    const message = ambiguous
      ? `${ambiguous[1]} got no value (one starting with '-' is written ${ambiguous[1]}=-1)`
      : (full.split(/\.\s/)[0]?.replace(/\.$/, '') ?? String(error));
    throw new UsageError(`${message} (see logos-otel ${command} --help)`);
  }
}

/** A whole number from `min` to `max`; anything else (`x`, `1.5`, `-1`) is a UsageError. */
export function readCount(flag: string, value: string, min: number, max: number, what: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`--${flag} must be ${what}, not '${value}'`);
  return n;
}

/** A port number, 0 for any free port, or `off` (false). */
export function readPort(flag: string, value: string | undefined, fallback: number): number | false {
  if (value === undefined) return fallback;
  if (value === 'off') return false;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n > 65535)
    throw new UsageError(`--${flag} must be a port number (0 for any free port) or 'off', not '${value}'`);
  return n;
}
