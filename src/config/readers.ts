// The generic readers: one per kind of value in the variables table (config/table.ts), used by
// config/config.ts and the parts beside it. Each returns a safe value and pushes one warning for a bad
// input (naming the variable, the value and what is used instead); none of them throws.

import { redactUrl } from '../util/redact.js';
import { isHeaderName, type PairEntry, splitPairs } from './pairs.js';
import {
  type BoolSpec,
  type EnumSpec,
  type ListSpec,
  type NameOf,
  type NumberSpec,
  type PairsSpec,
  type Signal,
  signalName,
  specOf,
  type TextSpec,
  type UrlSpec,
  type VariableName,
  type Variables,
} from './table.js';

/** A variable's raw values, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** One problem found while reading the environment, printed once at start-up. */
export interface ConfigWarning {
  readonly variable: string;
  readonly message: string;
}

type EnumValue<N extends NameOf<'enum'>> = Variables[N]['values'][number];
type ListItem<N extends NameOf<'list'>> = Variables[N] extends { values: readonly (infer T)[] } ? T : string;
type TextValue<N extends NameOf<'text' | 'path'>> = Variables[N] extends { default: string }
  ? string
  : string | undefined;

/** Whether `name` is set in `env` (not blank): blank counts as unset everywhere. */
export function isSet(env: Env, name: string): boolean {
  return (env[name]?.trim() ?? '') !== '';
}

/** The variable read for `name` in `env`: for a signal, its per-signal form when that is set. */
export function pick(env: Env, name: VariableName, signal?: Signal): string {
  if (signal === undefined || specOf(name).perSignal !== true) return name;
  const specific = signalName(name, signal);
  return isSet(env, specific) ? specific : name;
}

/** Collects the warnings while one environment is read. */
export class EnvReader {
  readonly warnings: ConfigWarning[] = [];

  constructor(private readonly env: Env) {}

  /** Whether `name` is set (not blank). */
  isSet(name: string): boolean {
    return isSet(this.env, name);
  }

  /** The variable read for `name`: for a signal, its per-signal form when that is set. */
  pick(name: VariableName, signal?: Signal): string {
    return pick(this.env, name, signal);
  }

  /** The trimmed value of any variable, or undefined when unset or blank. */
  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
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

  /** A text or path variable; its default from the table when unset. */
  text<N extends NameOf<'text' | 'path'>>(name: N, signal?: Signal): TextValue<N> {
    const { default: fallback } = specOf(name) as TextSpec;
    return (this.raw(this.pick(name, signal)) ?? fallback) as TextValue<N>;
  }

  bool(name: NameOf<'bool'>, signal?: Signal): boolean {
    const variable = this.pick(name, signal);
    const { default: fallback } = specOf(name) as BoolSpec;
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
    this.invalid(variable, value, 'is not true or false', String(fallback));
    return fallback;
  }

  /** A whole number within the table's limits; its default when unset or invalid. */
  int(name: NameOf<'int'>, signal?: Signal): number {
    const spec = specOf(name) as NumberSpec;
    return this.optionalInt(name, signal, String(spec.default)) ?? spec.default;
  }

  /** A whole number within the table's limits, or undefined when unset or invalid (`fallback` names what is used then). */
  optionalInt(name: NameOf<'int'>, signal: Signal | undefined, fallback: string): number | undefined {
    const variable = this.pick(name, signal);
    const { min, max } = specOf(name) as NumberSpec;
    const value = this.raw(variable);
    if (value === undefined) return undefined;
    const parsed = /^[+-]?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.invalid(variable, value, `is not a whole number from ${min} to ${max}`, fallback);
      return undefined;
    }
    return parsed;
  }

  /** A real number within the table's limits. */
  number(name: NameOf<'number'>): number {
    const { min, max, default: fallback } = specOf(name) as NumberSpec;
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
      this.invalid(name, value, `is not a number from ${min} to ${max}`, String(fallback));
      return fallback;
    }
    return parsed;
  }

  /** One of the table's values (case-insensitive); its default otherwise. */
  enumOf<N extends NameOf<'enum'>>(name: N, signal?: Signal): EnumValue<N> {
    const variable = this.pick(name, signal);
    const { values, default: fallback } = specOf(name) as EnumSpec;
    const value = this.raw(variable);
    if (value === undefined) return fallback as EnumValue<N>;
    const lower = value.toLowerCase();
    if (values.includes(lower)) return lower as EnumValue<N>;
    this.invalid(variable, value, `is not one of ${values.join(', ')}`, fallback);
    return fallback as EnumValue<N>;
  }

  /**
   * A comma-separated list, without blanks; undefined when unset. A list of known names is
   * lower-cased and de-duplicated, and its unknown names are reported (in the table's words) and left out.
   */
  list<N extends NameOf<'list'>>(name: N): ListItem<N>[] | undefined {
    const spec = specOf(name) as ListSpec;
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    if (spec.values === undefined) return items as ListItem<N>[];
    const given = [...new Set(items.map((item) => item.toLowerCase()))];
    const { prefix } = spec;
    const names =
      prefix === undefined
        ? given
        : given.map((item) => (item.startsWith(prefix) ? item.slice(prefix.length) : item));
    const known = names.filter((item) => spec.values?.includes(item));
    const unknown = names.filter((item) => !known.includes(item));
    if (unknown.length > 0 && spec.unknown?.style === 'fallback') {
      const fallback = known.length > 0 ? known.join(',') : spec.default.join(',');
      this.invalid(
        name,
        given.join(','),
        `names ${spec.unknown.noun} other than ${spec.values.join(', ')}`,
        fallback,
      );
    } else if (unknown.length > 0) {
      this.warn(
        name,
        `${name} names unknown ${spec.unknown?.noun ?? 'values'} (${unknown.join(', ')}); they are ignored (known: ${spec.values.join(', ')})`,
      );
    }
    return known as ListItem<N>[];
  }

  /**
   * An http(s) URL; a value without a scheme is read as `http://` plus it, with a warning. Undefined,
   * with a warning, when it is not a URL. Credentials in it are never printed.
   */
  url(name: NameOf<'url'>, signal?: Signal): { url: URL; schemeless: boolean } | undefined {
    const variable = this.pick(name, signal);
    const spec = specOf(name) as UrlSpec;
    const value = this.raw(variable);
    if (value === undefined) return undefined;
    const schemeless = !/^[a-z][a-z0-9+.-]*:\/\//i.test(value);
    const shown = redactUrl(schemeless ? `http://${value}` : value).replace(
      schemeless ? /^http:\/\// : /^$/,
      '',
    );
    let url: URL | undefined;
    try {
      url = new URL(schemeless ? `http://${value}` : value);
    } catch {
      url = undefined;
    }
    const valid =
      url !== undefined &&
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.hostname !== '' &&
      !value.includes('\uFFFD') &&
      !/\s/.test(value);
    if (!valid || url === undefined) {
      this.invalid(variable, shown, 'is not a valid http(s) URL', spec.invalid);
      return undefined;
    }
    if (schemeless) this.invalid(variable, shown, 'has no scheme', `${url.host} (${spec.schemeless})`);
    return { url, schemeless };
  }

  /**
   * `k=v,k2=v2`, percent-encoded, as an object; entries that are not key=value are dropped with one
   * warning. A secret list (headers) must have header names as keys, which are lower-cased, and its
   * warning shows entry numbers, never text.
   */
  pairs(name: NameOf<'pairs'>, signal?: Signal): Record<string, string> {
    const variable = this.pick(name, signal);
    const { secret } = specOf(name) as PairsSpec;
    const value = this.raw(variable);
    const pairs: Record<string, string> = {};
    if (value === undefined) return pairs;
    const bad: PairEntry[] = [];
    for (const entry of splitPairs(value)) {
      const { key, value: val } = entry;
      const ok =
        key !== undefined &&
        val !== undefined &&
        (secret ? isHeaderName(key) && !/[\r\n\0]/.test(val) : key !== '');
      if (!ok) bad.push(entry);
      else pairs[secret ? key.toLowerCase() : key] = val;
    }
    if (bad.length > 0 && secret) {
      this.warn(
        variable,
        `${variable} entries ${bad.map((e) => e.index).join(', ')} are not key=value pairs and are ignored (values are not shown: they may be secrets)`,
      );
    } else if (bad.length > 0) {
      this.warn(
        variable,
        `${variable} has entries that are not key=value (${bad.map((e) => e.text.slice(0, 40)).join('; ')}); they are ignored`,
      );
    }
    return pairs;
  }
}

/** Quotes a value for a warning, cut short and with control characters made visible. */
function quote(value: string): string {
  const printable = [...value]
    .map((char) => {
      const code = char.codePointAt(0) ?? 0;
      return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : char;
    })
    .join('');
  const cut = printable.length > 80 ? `${printable.slice(0, 77)}...` : printable;
  return `'${cut}'`;
}
