// Typed readers for environment variables, used only by config.ts.
// Each reader returns a safe value and pushes one warning for a bad input; none of them throws.

/** A variable's raw values, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** One problem found while reading the environment, printed once at start-up. */
export interface ConfigWarning {
  readonly variable: string;
  readonly message: string;
}

/** The kinds of value a variable holds, as the readers below read them. */
export type VariableKind = 'text' | 'bool' | 'int' | 'number' | 'enum' | 'list' | 'url' | 'pairs';

/** Collects warnings while one environment is read, and which variables were read as what. */
export class EnvReader {
  readonly warnings: ConfigWarning[] = [];
  /** Every variable read, with its kind: the config's own table of variables. */
  readonly variables = new Map<string, VariableKind>();

  constructor(private readonly env: Env) {}

  /** Notes that `name` is read as `kind` (the first, most specific kind wins). */
  note(name: string, kind: VariableKind): void {
    if (!this.variables.has(name) || this.variables.get(name) === 'text') this.variables.set(name, kind);
  }

  /** Whether `name` is set, without counting it as read. */
  isSet(name: string): boolean {
    return (this.env[name]?.trim() ?? '') !== '';
  }

  /** The trimmed value, or undefined when unset or blank. */
  raw(name: string): string | undefined {
    this.note(name, 'text');
    const value = this.env[name];
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  /** Records a warning once; the same message for the same variable is not repeated. */
  warn(variable: string, message: string): void {
    if (this.warnings.some((w) => w.variable === variable && w.message === message)) return;
    this.warnings.push({ variable, message });
  }

  /** Warns that `name` holds an unusable value; `shown` is what may be printed of it. */
  invalid(name: string, shown: string, problem: string, fallback: string): void {
    this.warn(name, `${name}=${quote(shown)} ${problem}; using ${fallback}`);
  }

  bool(name: string, fallback: boolean): boolean {
    this.note(name, 'bool');
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
    this.invalid(name, value, 'is not true or false', String(fallback));
    return fallback;
  }

  /** A whole number within [min, max]. */
  int(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    return this.optionalInt(name, min, max, String(fallback)) ?? fallback;
  }

  /** A whole number within [min, max], or undefined when unset or invalid (`fallback` names what is used then). */
  optionalInt(name: string, min: number, max: number, fallback: string): number | undefined {
    this.note(name, 'int');
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const parsed = /^[+-]?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.invalid(name, value, `is not a whole number from ${min} to ${max}`, fallback);
      return undefined;
    }
    return parsed;
  }

  /** A real number within [min, max]. */
  number(name: string, fallback: number, min: number, max: number): number {
    this.note(name, 'number');
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
      this.invalid(name, value, `is not a number from ${min} to ${max}`, String(fallback));
      return fallback;
    }
    return parsed;
  }

  enumOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    this.note(name, 'enum');
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase() as T;
    if (allowed.includes(lower)) return lower;
    this.invalid(name, value, `is not one of ${allowed.join(', ')}`, fallback);
    return fallback;
  }

  /** A comma-separated list, lower-cased, without blanks and duplicates; undefined when unset. */
  list(name: string): string[] | undefined {
    this.note(name, 'list');
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const items = value
      .split(',')
      .map((item) => item.trim().toLowerCase())
      .filter((item) => item !== '');
    return [...new Set(items)];
  }
}

/** One `key=value` entry of a comma-separated, percent-encoded list, decoded; undefined parts did not decode. */
export interface PairEntry {
  /** 1-based position in the list. */
  readonly index: number;
  readonly text: string;
  readonly key: string | undefined;
  readonly value: string | undefined;
}

/** Splits `k=v,k2=v2` (OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS) into decoded entries, skipping blanks. */
export function splitPairs(list: string): PairEntry[] {
  const entries: PairEntry[] = [];
  list.split(',').forEach((entry, position) => {
    const text = entry.trim();
    if (text === '') return;
    const eq = text.indexOf('=');
    entries.push({
      index: position + 1,
      text,
      key: eq > 0 ? decode(text.slice(0, eq).trim()) : undefined,
      value: eq > 0 ? decode(text.slice(eq + 1).trim()) : undefined,
    });
  });
  return entries;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Quotes a value for a warning, cut short and with control characters made visible. */
export function quote(value: string): string {
  const printable = [...value]
    .map((char) => {
      const code = char.codePointAt(0) ?? 0;
      return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : char;
    })
    .join('');
  const cut = printable.length > 80 ? `${printable.slice(0, 77)}...` : printable;
  return `'${cut}'`;
}
