// The OTLP span encoder's surface, for the batch processor: at span end, queue
// `{ scope: scopeKeyOf(span.instrumentationScope), bytes: encodeSpan(span) }` (bound the queue by
// `bytes.length`); at export, after `await resource.waitForAsyncAttributes?.()`, send
// `assembleTraceRequest(encodeResource(resource), batch)` as the ExportTraceServiceRequest body.
export { assembleTraceRequest, type QueuedSpan } from './assemble.js';
export { encodeSpan } from './encode-span.js';
export { type EncodedResource, encodeResource } from './resource.js';
export { type ScopeKey, scopeKeyOf } from './scope.js';
