// The OTLP span encoder's surface, for the batch processor: at span end queue { scope: scopeKeyOf(scope),
// bytes: encodeSpan(span) } (bounded by bytes.length); at export, once the resource's async attributes
// have settled, send assembleTraceRequest(encodeResource(resource), batch) as the request body.
export { assembleTraceRequest, type QueuedSpan } from './assemble.js';
export { encodeSpan } from './encode-span.js';
export { type EncodedResource, encodeResource } from './resource.js';
export { type ScopeKey, scopeKeyOf } from './scope.js';
