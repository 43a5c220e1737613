// Removes secrets from every span before it is exported, whatever instrumentation made it:
// credentials and secret query values in URL attributes, and captured secret headers.
// Runs in onEnding, when all attributes are set but the span can still be changed. Loaded by boot/sdk.ts.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { isSecretHeader, REDACTED, redactQuery, redactUrl } from '../util/redact.js';

const URL_KEYS: ReadonlySet<string> = new Set([
  'url.full',
  'http.url',
  'url.original',
  'http.target',
  'db.connection_string',
]);
const QUERY_KEY = 'url.query';
const REQUEST_HEADER = 'http.request.header.';
const RESPONSE_HEADER = 'http.response.header.';
const U = 117;
const H = 104;
const D = 100;

/**
 * Rewrites secret-bearing attributes of a span in place. One pass over the keys, and only those
 * starting with u, h or d (every key above does) are looked at further: this runs on every span.
 */
function redactSpan(span: Span): void {
  const attributes = span.attributes;
  for (const key in attributes) {
    const first = key.charCodeAt(0);
    if (first !== U && first !== H && first !== D) continue;
    const value = attributes[key];
    if (URL_KEYS.has(key)) {
      if (typeof value === 'string') {
        const clean = redactUrl(value);
        if (clean !== value) span.setAttribute(key, clean);
      }
    } else if (key === QUERY_KEY) {
      if (typeof value === 'string') {
        const clean = redactQuery(value);
        if (clean !== value) span.setAttribute(key, clean);
      }
    } else if (first === H) {
      const header = key.startsWith(REQUEST_HEADER)
        ? key.slice(REQUEST_HEADER.length)
        : key.startsWith(RESPONSE_HEADER)
          ? key.slice(RESPONSE_HEADER.length)
          : undefined;
      if (header !== undefined && isSecretHeader(header)) span.setAttribute(key, [REDACTED]);
    }
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
