// Instrumentation scopes encoded once each: the ScopeSpans fields that surround a scope's spans.
// Loaded by the batch processor (a key per finished span) and by assemble.ts.
import type { InstrumentationScope } from '@opentelemetry/core';
import { LEN, ProtoWriter, tag } from './proto-writer.js';

/**
 * One instrumentation scope, interned by name, version and schema URL: queue it beside a span's
 * bytes, and {@link assembleTraceRequest} groups spans by it.
 */
export interface ScopeKey {
  /** `name@version:schemaUrl`, as upstream's JSON serializer groups scopes. */
  readonly key: string;
  /** ScopeSpans field 1: the tagged, length-prefixed InstrumentationScope message. */
  readonly head: Uint8Array;
  /** ScopeSpans field 3 (schema_url) when the scope has one, else empty. */
  readonly tail: Uint8Array;
}

// Scopes are few and live as long as their tracers: the byKey map stays small. The WeakMap makes
// the per-span lookup one identity hit, as the SDK hands every span of a tracer the same object.
const byObject = new WeakMap<InstrumentationScope, ScopeKey>();
const byKey = new Map<string, ScopeKey>();

function encodeScope(key: string, scope: InstrumentationScope): ScopeKey {
  // Small one-off messages: a private slab sized for them, not the span writer's.
  const w = new ProtoWriter(256);
  w.varint32(tag(1, LEN));
  const mark = w.beginLength();
  w.varint32(tag(1, LEN));
  w.string(scope.name);
  if (scope.version) {
    w.varint32(tag(2, LEN));
    w.string(scope.version);
  }
  w.endLength(mark);
  const head = Uint8Array.from(w.finish());
  if (scope.schemaUrl) {
    w.varint32(tag(3, LEN));
    w.string(scope.schemaUrl);
  }
  return { key, head, tail: Uint8Array.from(w.finish()) };
}

/** The interned {@link ScopeKey} of a span's `instrumentationScope`. */
export function scopeKeyOf(scope: InstrumentationScope): ScopeKey {
  let found = byObject.get(scope);
  if (found !== undefined) return found;
  const key = `${scope.name}@${scope.version ?? ''}:${scope.schemaUrl ?? ''}`;
  found = byKey.get(key);
  if (found === undefined) {
    found = encodeScope(key, scope);
    byKey.set(key, found);
  }
  byObject.set(scope, found);
  return found;
}
