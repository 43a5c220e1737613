// Attributes as repeated opentelemetry.proto.common.v1.KeyValue, with AnyValue chosen the way
// @opentelemetry/otlp-transformer chooses it. Loaded by encode-span.ts and resource.ts.
import { FIXED64, LEN, type ProtoWriter, putAscii, SHORT, tag, VARINT } from './proto-writer.js';

const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

const KEY = tag(1, LEN);
const VALUE = tag(2, LEN);
const STRING_VALUE = tag(1, LEN);
const BOOL_VALUE = tag(2, VARINT);
const INT_VALUE = tag(3, VARINT);
const DOUBLE_VALUE = tag(4, FIXED64);
const ARRAY_VALUE = tag(5, LEN);
const KVLIST_VALUE = tag(6, LEN);
const BYTES_VALUE = tag(7, LEN);
/** ArrayValue.values and KeyValueList.values are both field 1. */
const VALUES = tag(1, LEN);

/**
 * One AnyValue's fields. Integers in int64 range are int_value, other numbers double_value;
 * null, undefined and anything else (bigint, symbol, function) leave the AnyValue empty, as upstream does.
 */
export function writeAnyValue(w: ProtoWriter, value: unknown): void {
  switch (typeof value) {
    case 'string':
      w.byte(STRING_VALUE);
      w.string(value);
      return;
    case 'boolean':
      w.ensure(2);
      w.buf[w.pos++] = BOOL_VALUE;
      w.buf[w.pos++] = value ? 1 : 0;
      return;
    case 'number':
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
        w.byte(INT_VALUE);
        w.varint64(value);
      } else {
        w.byte(DOUBLE_VALUE);
        w.double(value);
      }
      return;
    case 'object':
      if (value === null) return;
      if (value instanceof Uint8Array) {
        w.byte(BYTES_VALUE);
        w.bytes(value);
      } else if (Array.isArray(value)) {
        w.byte(ARRAY_VALUE);
        const array = w.beginLength();
        for (const item of value) {
          w.byte(VALUES);
          const itemMark = w.beginLength();
          writeAnyValue(w, item);
          w.endLength(itemMark);
        }
        w.endLength(array);
      } else {
        w.byte(KVLIST_VALUE);
        const list = w.beginLength();
        writeKeyValues(w, value as Readonly<Record<string, unknown>>, VALUES);
        w.endLength(list);
      }
      return;
    default:
      return;
  }
}

/**
 * A KeyValue whose key and value fit the one-byte length prefixes they are given: an ASCII key and
 * string value under {@link SHORT} chars, a non-negative int32, a double or a bool. Written after one
 * capacity check with no back-patching; false (nothing committed) sends the caller the general way.
 */
function shortKeyValue(w: ProtoWriter, fieldTag: number, key: string, value: unknown): boolean {
  w.ensure(2 * SHORT + 16);
  const buf = w.buf;
  const at = w.pos;
  buf[at] = fieldTag;
  buf[at + 2] = KEY;
  buf[at + 3] = key.length;
  let p = putAscii(buf, at + 4, key);
  if (p < 0) return false;
  buf[p++] = VALUE;
  const anyAt = p++;
  if (typeof value === 'string') {
    buf[p++] = STRING_VALUE;
    buf[p++] = value.length;
    p = putAscii(buf, p, value);
    if (p < 0) return false;
  } else if (typeof value === 'number') {
    if (Number.isInteger(value)) {
      if (value < 0 || value > 0x7fffffff) return false;
      buf[p++] = INT_VALUE;
      let v = value;
      while (v > 0x7f) {
        buf[p++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buf[p++] = v;
    } else {
      buf[p++] = DOUBLE_VALUE;
      w.buf.writeDoubleLE(value, p);
      p += 8;
    }
  } else {
    buf[p++] = BOOL_VALUE;
    buf[p++] = value ? 1 : 0;
  }
  buf[anyAt] = p - anyAt - 1;
  buf[at + 1] = p - at - 2;
  w.pos = p;
  return true;
}

/** Each own enumerable key of `attributes` as a KeyValue in the field whose tag (< 128) is `fieldTag`. */
export function writeKeyValues(
  w: ProtoWriter,
  attributes: Readonly<Record<string, unknown>>,
  fieldTag: number,
) {
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    const value = attributes[key];
    const type = typeof value;
    if (
      key.length < SHORT &&
      (type === 'string' ? (value as string).length < SHORT : type === 'number' || type === 'boolean') &&
      shortKeyValue(w, fieldTag, key, value)
    ) {
      continue;
    }
    w.byte(fieldTag);
    const kv = w.beginLength();
    w.byte(KEY);
    w.string(key);
    w.byte(VALUE);
    const any = w.beginLength();
    writeAnyValue(w, value);
    w.endLength(any);
    w.endLength(kv);
  }
}
