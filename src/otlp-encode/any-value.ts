// Attributes as repeated opentelemetry.proto.common.v1.KeyValue, with AnyValue chosen the way
// @opentelemetry/otlp-transformer chooses it. Loaded by encode-span.ts, scope.ts and resource.ts.
import { FIXED64, LEN, type ProtoWriter, tag, VARINT } from './proto-writer.js';

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
      w.varint32(STRING_VALUE);
      w.string(value);
      return;
    case 'boolean':
      w.ensure(2);
      w.buf[w.pos++] = BOOL_VALUE;
      w.buf[w.pos++] = value ? 1 : 0;
      return;
    case 'number':
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
        w.varint32(INT_VALUE);
        w.varint64(value);
      } else {
        w.varint32(DOUBLE_VALUE);
        w.double(value);
      }
      return;
    case 'object':
      if (value === null) return;
      if (value instanceof Uint8Array) {
        w.varint32(BYTES_VALUE);
        w.bytes(value);
      } else if (Array.isArray(value)) {
        w.varint32(ARRAY_VALUE);
        const array = w.beginLength();
        for (const item of value) {
          w.varint32(VALUES);
          const itemMark = w.beginLength();
          writeAnyValue(w, item);
          w.endLength(itemMark);
        }
        w.endLength(array);
      } else {
        w.varint32(KVLIST_VALUE);
        const list = w.beginLength();
        writeKeyValues(w, value as Readonly<Record<string, unknown>>, VALUES);
        w.endLength(list);
      }
      return;
    default:
      return;
  }
}

/** Each own enumerable key of `attributes` as a KeyValue in the field whose tag is `fieldTag`. */
export function writeKeyValues(
  w: ProtoWriter,
  attributes: Readonly<Record<string, unknown>>,
  fieldTag: number,
) {
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    w.varint32(fieldTag);
    const kv = w.beginLength();
    w.varint32(KEY);
    w.string(key);
    w.varint32(VALUE);
    const any = w.beginLength();
    writeAnyValue(w, attributes[key]);
    w.endLength(any);
    w.endLength(kv);
  }
}
