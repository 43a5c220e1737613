// One ExportTraceServiceRequest from queued span bytes: groups them by scope and concatenates them
// behind length prefixes, never re-encoding a span. Loaded by the batch processor.

import { varintSize } from './proto-writer.js';
import type { EncodedResource } from './resource.js';
import type { ScopeKey } from './scope.js';

/** What a queue holds per finished span: its scope and its `encodeSpan` bytes. */
export interface QueuedSpan {
  readonly scope: ScopeKey;
  readonly bytes: Uint8Array;
}

const RESOURCE_SPANS = 0x0a; // ExportTraceServiceRequest.resource_spans = 1, LEN
const SCOPE_SPANS = 0x12; // ResourceSpans.scope_spans = 2, LEN
const SPAN = 0x12; // ScopeSpans.spans = 2, LEN

function writeVarint(out: Uint8Array, p: number, v: number): number {
  while (v > 0x7f) {
    out[p++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[p++] = v;
  return p;
}

/**
 * The protobuf bytes of an `ExportTraceServiceRequest` holding `spans` under one resource: one
 * ScopeSpans per scope, in the order scopes first appear, spans in queue order within each. The
 * result owns its ArrayBuffer exactly (transferable, safe to hand to an exporter). No spans, no bytes,
 * as upstream's serializer.
 */
export function assembleTraceRequest(resource: EncodedResource, spans: readonly QueuedSpan[]): Uint8Array {
  const n = spans.length;
  if (n === 0) return new Uint8Array(0);
  // Pass 1: the group of each span (first-appearance order) and each group's ScopeSpans length.
  const scopes: ScopeKey[] = [];
  const lengths: number[] = [];
  const counts: number[] = [];
  const groupOf = new Uint32Array(n);
  let last: ScopeKey | undefined;
  let lastGroup = 0;
  for (let i = 0; i < n; i++) {
    const span = spans[i] as QueuedSpan;
    let g = lastGroup;
    if (span.scope !== last) {
      g = scopes.indexOf(span.scope);
      if (g < 0) {
        g = scopes.push(span.scope) - 1;
        lengths.push(span.scope.head.length + span.scope.tail.length);
        counts.push(0);
      }
      last = span.scope;
      lastGroup = g;
    }
    groupOf[i] = g;
    const size = span.bytes.length;
    (lengths[g] as number) += 1 + varintSize(size) + size;
    (counts[g] as number)++;
  }
  let resourceSpansLength = resource.head.length + resource.tail.length;
  for (const length of lengths) resourceSpansLength += 1 + varintSize(length) + length;
  const total = 1 + varintSize(resourceSpansLength) + resourceSpansLength;

  // Spans in group order, by counting sort over the groups.
  const order = new Uint32Array(n);
  const next = new Array<number>(scopes.length);
  for (let g = 0, at = 0; g < scopes.length; g++) {
    next[g] = at;
    at += counts[g] as number;
  }
  for (let i = 0; i < n; i++) {
    const g = groupOf[i] as number;
    order[(next[g] as number)++] = i;
  }

  // Pass 2: write into a buffer of exactly the right size.
  const out = Buffer.allocUnsafeSlow(total);
  out[0] = RESOURCE_SPANS;
  let p = writeVarint(out, 1, resourceSpansLength);
  out.set(resource.head, p);
  p += resource.head.length;
  let k = 0;
  for (let g = 0; g < scopes.length; g++) {
    const scope = scopes[g] as ScopeKey;
    out[p++] = SCOPE_SPANS;
    p = writeVarint(out, p, lengths[g] as number);
    out.set(scope.head, p);
    p += scope.head.length;
    for (const end = k + (counts[g] as number); k < end; k++) {
      const bytes = (spans[order[k] as number] as QueuedSpan).bytes;
      out[p++] = SPAN;
      p = writeVarint(out, p, bytes.length);
      out.set(bytes, p);
      p += bytes.length;
    }
    out.set(scope.tail, p);
    p += scope.tail.length;
  }
  out.set(resource.tail, p);
  p += resource.tail.length;
  if (p !== total) throw new Error(`OTLP request assembly wrote ${p} of ${total} bytes`);
  return out;
}
