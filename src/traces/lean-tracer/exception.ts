// The attributes of the lean span's exception event, as the SDK's recordException reads a thrown
// value, for any value at all (see toException): never a throw, never a warning. Loaded by
// traces/lean-tracer/span.ts.
import type { Attributes, Exception } from '@opentelemetry/api';
import { toException } from '../../api/attributes.js';

/** exception.type/message/stacktrace of `thrown`, or undefined when it says nothing (the SDK records no event then). */
export function exceptionAttributes(thrown: unknown): Attributes | undefined {
  try {
    const value: Exception = toException(thrown);
    const attributes: Attributes = {};
    if (typeof value === 'string') attributes['exception.message'] = value;
    else {
      if (value.code) attributes['exception.type'] = value.code.toString();
      else if (value.name) attributes['exception.type'] = value.name;
      if (value.message) attributes['exception.message'] = value.message;
      if (value.stack) attributes['exception.stacktrace'] = value.stack;
    }
    return attributes['exception.type'] || attributes['exception.message'] ? attributes : undefined;
  } catch {
    // A value whose properties throw when read: the event is left out, the app's error stands.
    return undefined;
  }
}
