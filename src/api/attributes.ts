// Turns whatever a service passes as span attributes into valid OpenTelemetry attribute values.
// Loaded by api/manual.ts; never throws, whatever the input (circular objects, getters that throw).
import type { Attributes, AttributeValue, Exception } from '@opentelemetry/api';

/** What the span helper accepts: anything, made safe before it reaches the span. */
export type LooseAttributes = Readonly<Record<string, unknown>>;

const MAX_JSON = 4096;

/** Valid attributes from `input`; null and undefined are left out, objects become JSON text. */
export function toAttributes(input: LooseAttributes | undefined): Attributes {
  const out: Attributes = {};
  if (input === null || typeof input !== 'object') return out;
  let keys: string[];
  try {
    keys = Object.keys(input);
  } catch {
    return out;
  }
  for (const key of keys) {
    let value: unknown;
    try {
      value = input[key];
    } catch {
      continue;
    }
    const converted = toAttributeValue(value);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}

/** One value made valid, or undefined to leave it out. */
export function toAttributeValue(value: unknown): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      if (value === null) return undefined;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
      if (Array.isArray(value) && isHomogeneous(value)) return value as AttributeValue;
      return safeJson(value);
  }
}

function isHomogeneous(values: unknown[]): boolean {
  const types = new Set(values.filter((v) => v !== null && v !== undefined).map((v) => typeof v));
  if (types.size > 1) return false;
  const [type] = types;
  return type === undefined || type === 'string' || type === 'number' || type === 'boolean';
}

/** JSON of `value` with cycles marked, errors caught and the text capped. */
export function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  let text: string;
  try {
    text =
      JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === 'bigint') return v.toString();
        if (v instanceof Error) return { name: v.name, message: v.message };
        if (typeof v === 'object' && v !== null) {
          if (seen.has(v)) return '[Circular]';
          seen.add(v);
        }
        return v;
      }) ?? String(value);
  } catch {
    try {
      text = Object.prototype.toString.call(value);
    } catch {
      text = '[unserializable]';
    }
  }
  return text.length > MAX_JSON ? `${text.slice(0, MAX_JSON - 1)}…` : text;
}

/**
 * What `span.recordException` accepts, for any thrown value: an Error or a string as they are, and
 * anything else (null, a Symbol, a plain object) as a message, so the SDK never warns about it.
 */
export function toException(value: unknown): Exception {
  try {
    if (value instanceof Error || typeof value === 'string' || isExceptionLike(value))
      return value as Exception;
  } catch {
    // A revoked Proxy throws even on instanceof: it is described below like any other value.
  }
  let message: string;
  try {
    message = String(value);
  } catch {
    // An object without a usable toString (Object.create(null)): its tag is all that is safe to say.
    message = safeTag(value);
  }
  return { name: value === null ? 'null' : typeof value, message };
}

/** An object that already says what it is (`{ code }`, `{ name, message }`), as the SDK reads it. */
function isExceptionLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  try {
    const { code, name, message } = value as Record<string, unknown>;
    return (
      typeof message === 'string' ||
      typeof name === 'string' ||
      typeof code === 'string' ||
      typeof code === 'number'
    );
  } catch {
    return false;
  }
}

function safeTag(value: unknown): string {
  try {
    return Object.prototype.toString.call(value);
  } catch {
    return '[unprintable]';
  }
}
