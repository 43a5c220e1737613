// Flags shared by every scenario script: --quick (a short smoke run) and --rounds N, plus the
// numeric flags a scenario declares for itself (e.g. memory's --down-s).
import { parseArgs } from 'node:util';

export interface BenchOptions {
  readonly quick: boolean;
  /** Rounds of interleaved runs; undefined means the scenario's default. */
  readonly rounds: number | undefined;
  /** The scenario's own numeric flags that were given. */
  readonly numbers: Readonly<Record<string, number | undefined>>;
}

/**
 * Parses the flags; `own` names a scenario's extra numeric flags. run-all passes every scenario the
 * same argv, so each scenario accepts (and ignores) the others' flags too.
 */
export function benchOptions(
  argv: readonly string[] = process.argv.slice(2),
  own: readonly string[] = [],
): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      ...Object.fromEntries(ALL_NUMERIC.map((name) => [name, { type: 'string' as const }])),
    },
    strict: true,
  });
  const positive = (name: string): number | undefined => {
    const raw = values[name as keyof typeof values];
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!(Number.isFinite(value) && value > 0))
      throw new Error(`--${name} must be a positive number, got ${String(raw)}`);
    return value;
  };
  const rounds = positive('rounds');
  if (rounds !== undefined && !Number.isInteger(rounds))
    throw new Error(`--rounds must be an integer, got ${rounds}`);
  return {
    quick: values.quick === true,
    rounds,
    numbers: Object.fromEntries(own.map((name) => [name, positive(name)])),
  };
}

/** Every scenario's own numeric flags. */
const ALL_NUMERIC = ['down-s', 'back-s', 'rate', 'http-rate', 'chain-rate', 'starts'] as const;
