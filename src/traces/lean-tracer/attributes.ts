// Attribute validation and limits for the lean tracer, with the SDK's outcomes (what is kept, cut,
// dropped and counted) but without its warnings and without a WeakSet per value: strings, numbers
// and booleans take a fast path. Loaded by traces/lean-tracer/span.ts and traces/lean-tracer/tracer.ts.
import type { Attributes, AttributeValue, Link } from '@opentelemetry/api';
import { isAnyValue, isSimpleAttributeValue } from '@opentelemetry/core';

/** What happened to one attribute. */
export enum Put {
  /** undefined value: silently nothing, as in the SDK. */
  Skipped,
  /** Empty key or a value OpenTelemetry cannot carry (a function, a symbol, a class instance...). */
  Invalid,
  /** A new key over the count limit. */
  OverLimit,
  Added,
  Replaced,
}

/** The count and length limits that apply to one set of attributes. */
export interface AttributeLimits {
  readonly count: number;
  readonly length: number;
}

/**
 * Sets `key` on `target` (holding `count` keys) the way the SDK's maybeAddAttribute does: any
 * AnyValue (`simple` false) or only simple values (event attributes), strings cut to `limits.length`,
 * arrays and maps copied.
 */
export function putAttribute(
  target: Attributes,
  count: number,
  key: string,
  value: unknown,
  limits: AttributeLimits,
  simple: boolean,
): Put {
  if (value === undefined) return Put.Skipped;
  if (key.length === 0) return Put.Invalid;
  const isNew = !Object.hasOwn(target, key);
  if (isNew && count >= limits.count) return Put.OverLimit;
  switch (typeof value) {
    case 'string':
      target[key] = value.length <= limits.length ? value : value.substring(0, limits.length);
      break;
    case 'number':
    case 'boolean':
      target[key] = value;
      break;
    case 'object':
      if (simple ? !isSimpleAttributeValue(value) : !isAnyValue(value)) return Put.Invalid;
      target[key] = copyValue(value as AttributeValue, limits.length);
      break;
    default:
      return Put.Invalid;
  }
  return isNew ? Put.Added : Put.Replaced;
}

/** A cleaned attribute set: what the SDK's cleanAttributes returns, and how many keys it holds. */
export interface Cleaned {
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly count: number;
}

/** A cleaned copy of `input` and how many of its entries were dropped, as the SDK's cleanAttributes. */
export function cleanAttributes(input: Attributes, limits: AttributeLimits, simple: boolean): Cleaned {
  const plain = plainCount(input, limits);
  if (plain >= 0) return { attributes: { ...input }, droppedAttributesCount: 0, count: plain };
  const attributes: Attributes = {};
  let count = 0;
  let dropped = 0;
  for (const key in input) {
    if (!Object.hasOwn(input, key)) continue;
    const put = putAttribute(attributes, count, key, input[key], limits, simple);
    if (put === Put.Added) count++;
    else if (put === Put.Invalid || put === Put.OverLimit) dropped++;
  }
  return { attributes, droppedAttributesCount: dropped, count };
}

/**
 * How many entries `input` has when every one would be kept as it is (non-empty key, a string within
 * the length limit, a number or a boolean; within the count limit), the usual case, else -1. Then a
 * spread copy, which V8 makes in one step, gives the same object as the entry-by-entry loop.
 */
function plainCount(input: Attributes, limits: AttributeLimits): number {
  let count = 0;
  for (const key in input) {
    if (!Object.hasOwn(input, key)) return -1;
    const value = input[key];
    if (typeof value === 'string') {
      if (value.length > limits.length) return -1;
    } else if (typeof value !== 'number' && typeof value !== 'boolean') return -1;
    if (key.length === 0 || ++count > limits.count) return -1;
  }
  return count;
}

/**
 * A deep copy of a valid value with its strings (and byte arrays) cut to `limit`, so later changes
 * by the caller do not reach the span. Only called after isAnyValue, so there are no cycles.
 */
function copyValue(value: AttributeValue, limit: number): AttributeValue {
  if (typeof value === 'string') return value.length <= limit ? value : value.substring(0, limit);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return value.length <= limit ? value : value.slice(0, limit);
  if (Array.isArray(value)) return value.map((item: AttributeValue) => copyValue(item, limit));
  const copy: Record<string, AttributeValue> = {};
  const map = value as Record<string, AttributeValue>;
  for (const key of Object.keys(map)) if (map[key] !== undefined) copy[key] = copyValue(map[key], limit);
  return copy;
}

/** A link with its attributes cleaned under the per-link limits (no attributes key when none given). */
export function cleanLink(link: Link, limits: AttributeLimits): Link {
  if (typeof link.attributes !== 'object' || link.attributes === null) return { context: link.context };
  const clean = cleanAttributes(link.attributes, limits, false);
  return {
    context: link.context,
    attributes: clean.attributes,
    droppedAttributesCount: clean.droppedAttributesCount,
  };
}
