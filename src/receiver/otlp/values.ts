// Leaf converters shared by the decode-* modules. Their input is either a protobufjs-decoded message
// (Long for 64-bit ints, Uint8Array for bytes) or parsed OTLP/JSON (strings for both): same keys.
import type { Attributes, ReceivedScope } from '../types.js';

/** A decoded message or JSON object, read field by field. */
export type Loose = Readonly<Record<string, unknown>>;

/** Thrown for a request that parses but is not valid OTLP; the servers map it to 400 / INVALID_ARGUMENT. */
export class OtlpDecodeError extends Error {
  override name = 'OtlpDecodeError';
}

const EMPTY: Loose = Object.freeze({});

/**
 * Whether `key` is set. protobufjs keeps defaults on the prototype, so only own properties count;
 * JSON senders may write null for an absent field.
 */
export const has = (o: Loose, key: string): boolean => Object.hasOwn(o, key) && o[key] != null;

/** A nested message, or an empty one. */
export const obj = (v: unknown): Loose => (typeof v === 'object' && v !== null ? (v as Loose) : EMPTY);

/** A repeated message field, or []. */
export const list = (v: unknown): Loose[] => (Array.isArray(v) ? v.map(obj) : []);

/** A string field, or ''. */
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

interface LongLike {
  low: number;
  high: number;
  unsigned?: boolean;
}

const isLong = (v: unknown): v is LongLike =>
  typeof v === 'object' && v !== null && typeof (v as LongLike).low === 'number';

/** Any 64-bit integer encoding (Long, number, decimal string, bigint) as a bigint; absent is 0n. */
export function int64(v: unknown, signed = false): bigint {
  if (v == null) return 0n;
  if (typeof v === 'bigint') return v;
  if (isLong(v)) {
    const bits = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
    return signed && !v.unsigned ? BigInt.asIntN(64, bits) : bits;
  }
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  throw new OtlpDecodeError(`expected a 64-bit integer, got ${JSON.stringify(String(v)).slice(0, 40)}`);
}

/** A 64-bit integer as a number: exact up to 2^53, which covers counts and realistic values. */
export const int64Number = (v: unknown, signed = false): number => Number(int64(v, signed));

/** A double; OTLP/JSON may also send "NaN", "Infinity", "-Infinity" or a numeric string. */
export function double(v: unknown): number {
  if (v == null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  if (v === 'NaN') return Number.NaN;
  if (isLong(v)) return int64Number(v, true);
  throw new OtlpDecodeError(`expected a number, got ${JSON.stringify(String(v)).slice(0, 40)}`);
}

/** A int32/int32/fixed32 field. */
export const int32 = (v: unknown): number => (typeof v === 'number' ? v : v == null ? 0 : double(v));

/** An enum: protobufjs gives numbers; OTLP/JSON gives numbers and, from some senders, names. */
export function enumValue(v: unknown, names: Readonly<Record<string, number>>): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return names[v] ?? (/^\d+$/.test(v) ? Number(v) : 0);
  return 0;
}

const hex = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');

/**
 * A trace or span id as lowercase hex ('' when absent or all zero, as OTLP means "no id").
 * OTLP/JSON sends hex; a string that is not hex is taken as the standard protobuf-JSON base64.
 */
export function id(v: unknown): string {
  let out = '';
  if (v instanceof Uint8Array) out = hex(v);
  else if (typeof v === 'string') {
    out = /^[0-9a-f]*$/i.test(v) ? v.toLowerCase() : Buffer.from(v, 'base64').toString('hex');
  }
  return /^0*$/.test(out) ? '' : out;
}

/** A `bytes` AnyValue as hex; OTLP/JSON sends these as base64. */
const bytesValue = (v: unknown): string =>
  v instanceof Uint8Array ? hex(v) : Buffer.from(str(v), 'base64').toString('hex');

/** Flattens an OTLP AnyValue to a plain JS value. */
export function anyValue(v: unknown): unknown {
  const o = obj(v);
  if (has(o, 'stringValue')) return str(o.stringValue);
  if (has(o, 'boolValue')) return o.boolValue === true;
  if (has(o, 'intValue')) {
    const n = int64(o.intValue, true);
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  if (has(o, 'doubleValue')) return double(o.doubleValue);
  if (has(o, 'arrayValue')) return list(obj(o.arrayValue).values).map(anyValue);
  if (has(o, 'kvlistValue')) return attributes(obj(o.kvlistValue).values);
  if (has(o, 'bytesValue')) return bytesValue(o.bytesValue);
  return undefined;
}

/** Flattens repeated KeyValue to an object; a repeated key keeps its last value. */
export function attributes(v: unknown): Attributes {
  const out: Attributes = {};
  for (const kv of list(v)) {
    // defineProperty, so a key named "__proto__" stays data instead of replacing the prototype.
    Object.defineProperty(out, str(kv.key), {
      value: anyValue(kv.value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** An InstrumentationScope. */
export function scope(v: unknown): ReceivedScope {
  const o = obj(v);
  return { name: str(o.name), version: str(o.version), attributes: attributes(o.attributes) };
}
