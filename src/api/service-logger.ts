// getLogger(): a small structured logger for services that have none, whose JSON lines carry the
// current trace and span ids, so a log line leads to its trace. Loaded through the manual API.
import { trace } from '@opentelemetry/api';
import { safeJson } from './attributes.js';

export const LOG_LEVEL_ORDER = ['debug', 'info', 'warn', 'error'] as const;
export type ServiceLogLevel = (typeof LOG_LEVEL_ORDER)[number];

/** A leveled logger; `fields` are merged into the line. */
export interface ServiceLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Options of {@link getLogger}. */
export interface ServiceLoggerOptions {
  /** Lines below this level are dropped; default info. */
  readonly level?: ServiceLogLevel;
  /** Where a line goes; default stdout. */
  readonly write?: (line: string) => void;
}

/**
 * A logger named `name` that writes one JSON object per line with time, level, logger, msg and,
 * inside a span, trace_id and span_id. It never throws.
 */
export function getLogger(name: string, options: ServiceLoggerOptions = {}): ServiceLogger {
  const threshold = LOG_LEVEL_ORDER.indexOf(options.level ?? 'info');
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const emit = (level: ServiceLogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (LOG_LEVEL_ORDER.indexOf(level) < threshold) return;
    try {
      const spanContext = trace.getActiveSpan()?.spanContext();
      const ids =
        spanContext && trace.isSpanContextValid(spanContext)
          ? { trace_id: spanContext.traceId, span_id: spanContext.spanId }
          : {};
      write(
        safeJson({ time: new Date().toISOString(), level, logger: name, msg: message, ...ids, ...fields }),
      );
    } catch {
      // A logger must not be the thing that breaks the service.
    }
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
