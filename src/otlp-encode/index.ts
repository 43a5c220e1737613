// The OTLP span encoder's surface: spans to bytes at span end, bytes to one request at export.
// Loaded by the batch processor.
export { assembleTraceRequest, type QueuedSpan } from './assemble.js';
export { encodeSpan } from './encode-span.js';
export { type EncodedResource, encodeResource } from './resource.js';
export { type ScopeKey, scopeKeyOf } from './scope.js';
