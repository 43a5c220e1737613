// A Resource encoded once: the ResourceSpans fields that surround every batch's scopes.
// Loaded by the batch processor when it assembles a request.
import type { Resource } from '@opentelemetry/resources';
import { writeKeyValues } from './any-value.js';
import { LEN, ProtoWriter, tag, VARINT } from './proto-writer.js';

/** The ResourceSpans fields of one resource, ready to be placed around the scopes of a batch. */
export interface EncodedResource {
  /** ResourceSpans field 1: the tagged, length-prefixed Resource message. */
  readonly head: Uint8Array;
  /** ResourceSpans field 3 (schema_url) when the resource has one, else empty. */
  readonly tail: Uint8Array;
}

const settled = new WeakMap<Resource, EncodedResource>();

function encode(resource: Resource): EncodedResource {
  const w = new ProtoWriter(4096);
  w.varint32(tag(1, LEN));
  const mark = w.beginLength();
  if (resource.attributes) writeKeyValues(w, resource.attributes, tag(1, LEN));
  // Upstream always writes dropped_attributes_count = 0 and no entity_refs.
  w.varint32(tag(2, VARINT));
  w.varint32(0);
  w.endLength(mark);
  const head = Uint8Array.from(w.finish());
  if (resource.schemaUrl) {
    w.varint32(tag(3, LEN));
    w.string(resource.schemaUrl);
  }
  return { head, tail: Uint8Array.from(w.finish()) };
}

/**
 * The encoded resource, cached per Resource object once its async attributes have settled. Call it
 * when assembling a request, after awaiting `resource.waitForAsyncAttributes?.()` as upstream's batch
 * processor does: while attributes are pending it encodes the settled ones only and caches nothing.
 */
export function encodeResource(resource: Resource): EncodedResource {
  const cached = settled.get(resource);
  if (cached !== undefined) return cached;
  const encoded = encode(resource);
  if (!resource.asyncAttributesPending) settled.set(resource, encoded);
  return encoded;
}
