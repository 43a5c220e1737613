// Routes OpenTelemetry's internal diagnostics (diag) and its global error handler to the agent's
// own one-line output at OTEL_LOG_LEVEL, deduplicated. Loaded by boot/sdk.ts.
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import type { LogLevel } from '../config/config.js';
import { REPORTED } from '../export/guard.js';
import { logLine, logOnce } from './logger.js';

const LEVELS: Record<LogLevel, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

let muted = 0;

/**
 * The metric reader's own lines about an export the ExportGuard already reports (its failure, wrapped
 * in a new Error that loses the REPORTED mark) or reports at its own, earlier deadline.
 */
const SAID_BY_GUARD = /^PeriodicExportingMetricReader: metrics export (failed|timed out)/;

/**
 * At warn and below, what the SDK and the instrumentations say reaches stderr only when it is about
 * export (the exporters' own component logger, or a line naming an export or the collector): their
 * other warnings are about the app's use of the API or its data ("Failed to record an exception
 * <value>"), which a silent agent must not print. OTEL_LOG_LEVEL=info and above print everything.
 */
function aboutExport(message: string): boolean {
  return message === 'OTLPExportDelegate' || /export|collector|partial success/i.test(message);
}

/** Runs `build` with diag silenced: exporters re-read the environment and would repeat our warnings. */
export function muteDiag<T>(build: () => T): T {
  muted++;
  try {
    return build();
  } finally {
    muted--;
  }
}

/** Installs the diag logger and the global error handler. */
export function installDiag(level: LogLevel): void {
  const verbose = LEVELS[level] >= DiagLogLevel.DEBUG;
  const quiet = LEVELS[level] <= DiagLogLevel.WARN;
  const say =
    (tag: string) =>
    (message: string, ...args: unknown[]): void => {
      if (muted > 0 || SAID_BY_GUARD.test(message) || (quiet && !aboutExport(message))) return;
      const text = args.length > 0 ? `${message} ${args.map(String).join(' ')}` : message;
      // At debug level and above every line matters; below it, a repeated line is said once.
      if (verbose) logLine(`[${tag}] ${text}`);
      else logOnce(`diag:${text.replace(/\b[0-9a-f]{16}(?:[0-9a-f]{16})?\b/g, '#')}`, `[${tag}] ${text}`);
    };
  const logger: DiagLogger = {
    error: say('error'),
    warn: say('warn'),
    info: say('info'),
    debug: say('debug'),
    verbose: say('verbose'),
  };
  diag.setLogger(logger, { logLevel: LEVELS[level], suppressOverrideMessage: true });
  setGlobalErrorHandler((error) => {
    if (typeof error === 'object' && error !== null && REPORTED in error) return;
    if (LEVELS[level] < DiagLogLevel.ERROR) return;
    const message = error instanceof Error ? error.message : String(error);
    if (SAID_BY_GUARD.test(message)) return;
    logOnce(`error:${message}`, `[error] ${message.split('\n')[0]}`);
  });
}
