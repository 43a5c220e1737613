// Removes secrets from every span before it is exported, whatever instrumentation made it:
// credentials and secret query values in URL attributes, and captured secret headers.
// Runs in onEnding, when all attributes are set but the span can still be changed. Loaded by sdk.ts.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { isSecretHeader, REDACTED, redactQuery, redactUrl } from './redact.js';

const URL_KEYS = ['url.full', 'http.url', 'url.original', 'http.target', 'db.connection_string'] as const;
const QUERY_KEYS = ['url.query'] as const;
const REQUEST_HEADER = 'http.request.header.';
const RESPONSE_HEADER = 'http.response.header.';

/** Rewrites secret-bearing attributes of a span in place. */
function redactSpan(span: Span): void {
  const attributes = span.attributes;
  for (const key of URL_KEYS) {
    const value = attributes[key];
    if (typeof value === 'string') {
      const clean = redactUrl(value);
      if (clean !== value) span.setAttribute(key, clean);
    }
  }
  for (const key of QUERY_KEYS) {
    const value = attributes[key];
    if (typeof value === 'string') {
      const clean = redactQuery(value);
      if (clean !== value) span.setAttribute(key, clean);
    }
  }
  for (const key in attributes) {
    const header = key.startsWith(REQUEST_HEADER)
      ? key.slice(REQUEST_HEADER.length)
      : key.startsWith(RESPONSE_HEADER)
        ? key.slice(RESPONSE_HEADER.length)
        : undefined;
    if (header !== undefined && isSecretHeader(header)) span.setAttribute(key, [REDACTED]);
  }
}

/** Runs {@link redactSpan} on every span as it ends. */
export class RedactionProcessor implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    redactSpan(span);
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
